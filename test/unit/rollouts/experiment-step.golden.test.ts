import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Experiment } from '../../../src/experiments/index.js';
import {
  actionsOf,
  buildReplicaSet,
  computeStepHash,
  decide,
  type ReplicaSet,
  type Rollout,
} from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

/** An owned Experiment as a case lists it. */
interface ExperimentCase {
  readonly name: string;
  readonly phase?: string;
  readonly message?: string;
  readonly terminate?: boolean;
  /** Not owned by the Rollout (only takes the name). */
  readonly foreign?: boolean;
  /** Its `rollouts-pod-template-hash` label (default "new"; null: none). */
  readonly hash?: string | null;
  readonly creationTimestamp?: string;
  readonly templateStatuses?: readonly Record<string, unknown>[];
}

interface Case {
  readonly name: string;
  /** Merged over the base Rollout's `spec.strategy.canary`. */
  readonly canary?: Record<string, unknown>;
  /** Merged over the base Rollout's `spec`. */
  readonly spec?: Record<string, unknown>;
  readonly status: Record<string, unknown>;
  /** The new ReplicaSet's hash (default "new"); another one than status.currentPodHash is a new revision. */
  readonly podHash?: string;
  readonly canaryReplicas?: number;
  readonly stableReplicas?: number;
  /** More ReplicaSets the Rollout owns (scaled to 0), by hash. */
  readonly otherHashes?: readonly string[];
  readonly experiments?: readonly ExperimentCase[];
  readonly trafficRouted?: boolean;
  readonly expected: {
    readonly stepIndex: number;
    readonly phase: string;
    readonly currentExperiment: string | null;
    readonly pauses: readonly string[];
    readonly abort: boolean;
    readonly reasons: readonly string[];
    readonly create: string | null;
    readonly terminate: readonly string[];
    readonly delete: readonly string[];
    /** The whole Experiment created, when given. */
    readonly experiment?: Record<string, unknown>;
    /** `status.canary.weights` and the additional destinations sent to the routers, when given. */
    readonly weights?: Record<string, unknown>;
    readonly routerAdditional?: readonly Record<string, unknown>[];
    /** The Progressing condition's message, when given. */
    readonly progressing?: string;
  };
}

const golden = readGolden<{ rollout: Rollout; cases: Case[] }>('rollouts/experiment-step.json');

function rolloutFor(c: Case): Rollout {
  const base = golden.rollout;
  const canary = { ...(base.spec?.strategy?.canary ?? {}), ...(c.canary ?? {}) };
  const r: Rollout = { ...base, spec: { ...base.spec, ...(c.spec ?? {}), strategy: { canary } } };
  return { ...r, status: { currentStepHash: computeStepHash(r), ...c.status } };
}

function replicaSet(r: Rollout, hash: string, replicas: number, revision: number): ReplicaSet {
  const built = buildReplicaSet(r, hash, revision, replicas);
  return {
    ...built,
    metadata: { ...built.metadata, uid: `uid-${hash}` },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
  };
}

function experimentFor(r: Rollout, e: ExperimentCase): Experiment {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: {
      name: e.name,
      namespace: 'ns',
      ...(e.hash !== null && { labels: { 'rollouts-pod-template-hash': e.hash ?? 'new' } }),
      ...(e.creationTimestamp !== undefined && { creationTimestamp: e.creationTimestamp }),
      ...(!e.foreign && {
        ownerReferences: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'demo', uid: r.metadata?.uid ?? '' },
        ],
      }),
    },
    spec: { templates: [], ...(e.terminate && { terminate: true }) },
    status: {
      ...(e.phase !== undefined && { phase: e.phase }),
      ...(e.message !== undefined && { message: e.message }),
      ...(e.templateStatuses !== undefined && { templateStatuses: e.templateStatuses as never }),
    },
  };
}

describe('canary experiment step (golden decisions)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const r = rolloutFor(c);
      const hash = c.podHash ?? 'new';
      const stable = replicaSet(r, 'stable', c.stableReplicas ?? 3, 1);
      const newRS = replicaSet(r, hash, c.canaryReplicas ?? 1, 2);
      const others = (c.otherHashes ?? []).map((h) => replicaSet(r, h, 0, 1));
      const all = [stable, ...others, newRS];
      const listed = (c.experiments ?? []).map((e) => experimentFor(r, e));
      const d = decide({
        rollout: r,
        replicaSets: all,
        newRS,
        newRSCreated: false,
        currentPodHash: hash,
        revision: 2,
        runs: [],
        experiments: listed.filter((ex) => ex.metadata.ownerReferences !== undefined),
        experimentNamesInUse: new Set(listed.map((ex) => ex.metadata.name ?? '')),
        trafficRouted: c.trafficRouted === true,
        now: 1_700_000_000_000,
      });
      const created = actionsOf(d.actions, 'createExperiment').map((a) => a.params);
      const weight = actionsOf(d.actions, 'setTrafficWeight').map((a) => a.params)[0];
      const actual = {
        stepIndex: d.status.currentStepIndex,
        phase: d.status.phase,
        currentExperiment: d.status.canary?.currentExperiment ?? null,
        pauses: (d.status.pauseConditions ?? []).map((p) => p.reason),
        abort: d.status.abort === true,
        reasons: d.events.map((e) => e.reason),
        create: created[0]?.metadata.name ?? null,
        terminate: actionsOf(d.actions, 'terminateExperiment').map((a) => a.params.metadata.name),
        delete: actionsOf(d.actions, 'deleteExperiment').map((a) => a.params.metadata.name),
        ...(c.expected.experiment !== undefined && { experiment: created[0] }),
        ...(c.expected.weights !== undefined && { weights: d.status.canary?.weights }),
        ...(c.expected.routerAdditional !== undefined && { routerAdditional: weight?.additional }),
        ...(c.expected.progressing !== undefined && {
          progressing: d.status.conditions?.find((x) => x.type === 'Progressing')?.message,
        }),
      };
      assert.deepEqual(JSON.parse(JSON.stringify(actual)), c.expected);
    });
  }
});
