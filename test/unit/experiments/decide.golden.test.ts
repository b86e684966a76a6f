import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisTemplateLike } from '../../../src/analysis/index.js';
import {
  decideExperiment,
  EXPERIMENT_TEMPLATE_NAME_ANNOTATION,
  type Experiment,
  type ExperimentAction,
  type ExperimentDecision,
} from '../../../src/experiments/index.js';
import type { KubeObject } from '../../../src/kube/index.js';
import type { AnalysisRun, ReplicaSet } from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

/** One decision: the world as the reconciler observes it, and what Argo's experiment controller does. */
interface DecideCase {
  readonly name: string;
  readonly now: string;
  readonly experiment: Experiment;
  readonly replicaSets?: readonly ReplicaSet[];
  readonly services?: readonly KubeObject[];
  readonly runs?: readonly AnalysisRun[];
  readonly analysisTemplates?: readonly AnalysisTemplateLike[];
  /** Refused actions of a first attempt, by failure key (`createReplicaSet/<template>`, …). */
  readonly failures?: Readonly<Record<string, string>>;
  /** Compared field by field: only the fields given here (objects recursively; arrays whole). */
  readonly want: Partial<DecisionSummary>;
}

interface DecisionSummary {
  readonly status: unknown;
  /** `type/<template or analysis> detail`. */
  readonly actions: readonly string[];
  /** `Type Reason: message`. */
  readonly events: readonly string[];
  readonly wakeAt: string | null;
  readonly invalid: string | null;
  /** The created objects, by `kind/name`, for cases that check names, labels and specs. */
  readonly created: Readonly<Record<string, unknown>>;
}

const byTemplate = <T extends KubeObject>(objects: readonly T[] | undefined) =>
  new Map(
    (objects ?? []).map((o) => [o.metadata.annotations?.[EXPERIMENT_TEMPLATE_NAME_ANNOTATION] ?? '', o]),
  );

function describeAction(a: ExperimentAction): string {
  switch (a.type) {
    case 'createReplicaSet':
      return `createReplicaSet/${a.template} ${a.replicaSet.metadata.name} replicas=${a.replicaSet.spec?.replicas}`;
    case 'scaleReplicaSet':
      return `scaleReplicaSet/${a.template} ${a.name} ${a.from}->${a.to}`;
    case 'setScaleDownDeadline':
      return `setScaleDownDeadline/${a.template} ${a.name} ${a.deadline}`;
    case 'createService':
      return `createService/${a.template} ${a.service.metadata.name}`;
    case 'deleteService':
      return `deleteService/${a.template} ${a.name}`;
    case 'createAnalysisRun':
      return `createAnalysisRun/${a.analysis} ${a.run.metadata.name}`;
    case 'terminateAnalysisRun':
      return `terminateAnalysisRun/${a.analysis} ${a.name}`;
  }
}

function summarize(d: ExperimentDecision): DecisionSummary {
  const created: Record<string, unknown> = {};
  for (const a of d.actions) {
    if (a.type === 'createReplicaSet') created[`ReplicaSet/${a.replicaSet.metadata.name}`] = a.replicaSet;
    if (a.type === 'createService') created[`Service/${a.service.metadata.name}`] = a.service;
    if (a.type === 'createAnalysisRun') created[`AnalysisRun/${a.run.metadata.name}`] = a.run;
  }
  return {
    status: JSON.parse(JSON.stringify(d.status)),
    actions: d.actions.map(describeAction),
    events: d.events.map((e) => `${e.eventType} ${e.reason}: ${e.message}`),
    wakeAt: d.wakeAt === undefined ? null : new Date(d.wakeAt).toISOString(),
    invalid: d.invalid ?? null,
    created: JSON.parse(JSON.stringify(created)),
  };
}

function decideCase(c: DecideCase): ExperimentDecision {
  const templates = c.analysisTemplates ?? [];
  return decideExperiment({
    experiment: c.experiment,
    replicaSets: byTemplate(c.replicaSets),
    services: byTemplate(c.services),
    runs: new Map((c.runs ?? []).map((r) => [r.metadata.name ?? '', r])),
    runNamesInUse: new Set((c.runs ?? []).map((r) => r.metadata.name ?? '')),
    templates: (ref) =>
      templates.find(
        (t) =>
          t.metadata?.name === ref.templateName &&
          (t.kind === 'ClusterAnalysisTemplate') === (ref.clusterScope === true),
      ),
    now: Date.parse(c.now),
    ...(c.failures !== undefined && { failures: new Map(Object.entries(c.failures)) }),
  });
}

/** Every field of `want` equals the one in `got` (objects compared by the keys `want` names). */
function assertPartial(got: unknown, want: unknown, path: string): void {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    assert.ok(
      got !== null && typeof got === 'object',
      `${path}: expected an object, got ${JSON.stringify(got)}`,
    );
    for (const [k, v] of Object.entries(want))
      assertPartial((got as Record<string, unknown>)[k], v, `${path}.${k}`);
    return;
  }
  assert.deepEqual(got, want, path);
}

describe('golden: Experiment decisions (Argo experiments/experiment.go)', () => {
  const { cases } = readGolden<{ cases: DecideCase[] }>('experiments/decide.json');
  for (const c of cases) {
    it(c.name, () => {
      const got = summarize(decideCase(c));
      assertPartial(got, c.want, 'decision');
    });
  }

  it('is deterministic and idempotent: the same world decides the same', () => {
    for (const c of cases) assert.deepEqual(summarize(decideCase(c)), summarize(decideCase(c)), c.name);
  });
});
