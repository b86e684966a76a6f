/**
 * The Rollout side of analysis: which AnalysisRuns are current (referenced from status, or one this
 * controller created before a restart), which must be created, terminated or garbage-collected, and
 * the AnalysisRun objects themselves, named and labelled like Argo's
 * (`<rollout>-<hash>-<revision>-<stepIndex>`, `rollout-type`, `step-index`). Pure.
 */
import {
  type AnalysisTemplateLike,
  type Argument,
  buildAnalysisRunSpec,
  instanceIdLabels,
  resolveTemplateRefs,
  type TemplateLookup,
} from '../../analysis/index.js';
import type { KubeObject } from '../../kube/index.js';
import type { AnalysisPhase, ObservedRun } from '../canary/machine.js';
import { controllerRef } from '../replica-sets/replica-sets.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../spec/pod-template-hash.js';
import type { AnalysisRunStatusRef, Rollout, RolloutAnalysis } from '../types.js';

export const ROLLOUT_TYPE_LABEL = 'rollout-type';
export const STEP_INDEX_LABEL = 'step-index';
export const RolloutType = {
  Step: 'Step',
  Background: 'Background',
  PrePromotion: 'PrePromotion',
  PostPromotion: 'PostPromotion',
} as const;
export type RolloutRunType = (typeof RolloutType)[keyof typeof RolloutType];

export interface AnalysisRun extends KubeObject {
  readonly spec?: { readonly terminate?: boolean; readonly [key: string]: unknown };
  readonly status?: { readonly phase?: string; readonly message?: string };
}

const COMPLETED = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);
export const runPhase = (run: AnalysisRun): AnalysisPhase =>
  (run.status?.phase || 'Pending') as AnalysisPhase;
export const isRunCompleted = (run: AnalysisRun): boolean => COMPLETED.has(run.status?.phase ?? '');

export function observedRun(run: AnalysisRun): ObservedRun {
  const step = run.metadata.labels?.[STEP_INDEX_LABEL];
  return {
    name: run.metadata.name ?? '',
    phase: runPhase(run),
    ...(run.status?.message && { message: run.status.message }),
    ...(step !== undefined && { stepIndex: Number(step) }),
  };
}

/** The `status.canary.current*AnalysisRunStatus` entry: the run's phase as is ("" before it starts). */
export const statusRef = (run: AnalysisRun): AnalysisRunStatusRef => ({
  name: run.metadata.name ?? '',
  status: run.status?.phase ?? '',
  ...(run.status?.message && { message: run.status.message }),
});

export function runBaseName(
  rolloutName: string,
  podHash: string,
  revision: number,
  /** The step index, or Argo's `pre` / `post` infix of blue-green runs. */
  infix?: number | string,
): string {
  const base = `${rolloutName}-${podHash}-${revision}`;
  return infix === undefined ? base : `${base}-${infix}`;
}

/**
 * The name of a run to create: the one status already names for it when that run does not exist
 * (planned by an earlier reconcile whose create was lost or is not in the cache yet), else the next
 * free name after `base`.
 */
export function plannedRunName(
  base: string,
  named: string | undefined,
  owned: readonly AnalysisRun[],
  inUse: ReadonlySet<string>,
): string {
  if (named !== undefined && named !== '' && !owned.some((r) => r.metadata.name === named)) return named;
  // Argo's collision counter: `<base>.<n>` when earlier runs took the name
  if (!inUse.has(base)) return base;
  for (let n = 1; ; n++) if (!inUse.has(`${base}.${n}`)) return `${base}.${n}`;
}

export interface RunSelector {
  readonly type: RolloutRunType;
  readonly podHash: string;
  readonly stepIndex?: number;
  /** The name status references for this kind of run. */
  readonly referenced?: string;
}

const matches = (run: AnalysisRun, s: RunSelector): boolean => {
  const labels = run.metadata.labels ?? {};
  return (
    labels[ROLLOUT_TYPE_LABEL] === s.type &&
    labels[POD_TEMPLATE_HASH_LABEL] === s.podHash &&
    (s.stepIndex === undefined || labels[STEP_INDEX_LABEL] === String(s.stepIndex))
  );
};

/**
 * The current run of a kind: the one status references (if it still matches), else a live one
 * (not completed, not terminated) this controller created before it could record it.
 */
export function findCurrentRun(runs: readonly AnalysisRun[], s: RunSelector): AnalysisRun | undefined {
  const candidates = runs.filter((r) => r.metadata.deletionTimestamp === undefined && matches(r, s));
  const referenced = candidates.find((r) => r.metadata.name === s.referenced);
  if (referenced !== undefined) return referenced;
  return candidates
    .filter((r) => !isRunCompleted(r) && r.spec?.terminate !== true)
    .sort((a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
    )[0];
}

/** Runs to terminate: every live run that is not current. */
export function runsToTerminate(
  runs: readonly AnalysisRun[],
  current: readonly AnalysisRun[],
): AnalysisRun[] {
  const keep = new Set(current.map((r) => r.metadata.name));
  return runs.filter(
    (r) =>
      !keep.has(r.metadata.name) &&
      !isRunCompleted(r) &&
      r.spec?.terminate !== true &&
      r.metadata.deletionTimestamp === undefined,
  );
}

/**
 * Old completed runs beyond `successfulRunHistoryLimit` / `unsuccessfulRunHistoryLimit` (default 5
 * each), oldest first (Argo's reconcileAnalysisRunHistory).
 */
export function runsToDelete(
  runs: readonly AnalysisRun[],
  current: readonly AnalysisRun[],
  limits: { readonly successful?: number; readonly unsuccessful?: number },
): AnalysisRun[] {
  const keep = new Set(current.map((r) => r.metadata.name));
  const old = runs
    .filter(
      (r) => !keep.has(r.metadata.name) && isRunCompleted(r) && r.metadata.deletionTimestamp === undefined,
    )
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  const successful = old.filter((r) => runPhase(r) === 'Successful');
  const unsuccessful = old.filter((r) => runPhase(r) !== 'Successful');
  return [...successful.slice(limits.successful ?? 5), ...unsuccessful.slice(limits.unsuccessful ?? 5)];
}

/** Resolves `podTemplateHashValue` and `fieldRef` args (the Rollout controller's job). */
export function resolveRolloutArgs(
  rollout: Rollout,
  args: RolloutAnalysis['args'],
  hashes: { readonly stable?: string; readonly latest: string },
): { readonly ok: true; readonly args: Argument[] } | { readonly ok: false; readonly message: string } {
  const out: Argument[] = [];
  for (const arg of args ?? []) {
    if (arg.value !== undefined) {
      out.push({ name: arg.name, value: arg.value });
      continue;
    }
    const from = arg.valueFrom;
    if (from?.podTemplateHashValue !== undefined) {
      const value = from.podTemplateHashValue === 'Stable' ? hashes.stable : hashes.latest;
      if (value === undefined || value === '')
        return { ok: false, message: `args.${arg.name}: the stable pod template hash is not known yet` };
      out.push({ name: arg.name, value });
    } else if (from?.fieldRef !== undefined) {
      const value = resolveFieldPath(rollout, from.fieldRef.fieldPath);
      if (value === undefined)
        return { ok: false, message: `args.${arg.name}: fieldPath ${from.fieldRef.fieldPath} not found` };
      out.push({ name: arg.name, value });
    } else {
      out.push({ name: arg.name });
    }
  }
  return { ok: true, args: out };
}

/** `metadata.name`, `metadata.labels['app']`, `spec.replicas`, … on the Rollout. */
export function resolveFieldPath(rollout: Rollout, path: string): string | undefined {
  const parts = [...path.matchAll(/([^.[\]]+)|\['([^']*)'\]/g)].map((m) => m[1] ?? m[2] ?? '');
  let value: unknown = rollout;
  for (const part of parts) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface RunRequest {
  readonly type: RolloutRunType;
  readonly analysis: RolloutAnalysis;
  readonly stepIndex?: number;
  readonly podHash: string;
  readonly stableHash?: string;
  readonly revision: number;
  readonly name: string;
}

/** The AnalysisRun to create, or a message saying why it cannot be built. */
export function buildAnalysisRun(
  rollout: Rollout,
  request: RunRequest,
  lookup: TemplateLookup,
): { readonly ok: true; readonly run: AnalysisRun } | { readonly ok: false; readonly message: string } {
  const refs = resolveTemplateRefs(request.analysis.templates ?? [], lookup);
  if (!refs.ok) return refs;
  const args = resolveRolloutArgs(rollout, request.analysis.args, {
    latest: request.podHash,
    ...(request.stableHash !== undefined && { stable: request.stableHash }),
  });
  if (!args.ok) return args;
  const built = buildAnalysisRunSpec(refs.templates as readonly AnalysisTemplateLike[], args.args, {
    ...(request.analysis.dryRun && { dryRun: request.analysis.dryRun }),
    ...(request.analysis.measurementRetention && {
      measurementRetention: request.analysis.measurementRetention,
    }),
  });
  if (!built.ok) return built;
  const meta = request.analysis.analysisRunMetadata;
  return {
    ok: true,
    run: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name: request.name,
        namespace: rollout.metadata?.namespace ?? '',
        labels: {
          ...(meta?.labels ?? {}),
          [POD_TEMPLATE_HASH_LABEL]: request.podHash,
          [ROLLOUT_TYPE_LABEL]: request.type,
          ...(request.stepIndex !== undefined && { [STEP_INDEX_LABEL]: String(request.stepIndex) }),
          ...instanceIdLabels(rollout),
        },
        annotations: { ...(meta?.annotations ?? {}), [REVISION_ANNOTATION]: String(request.revision) },
        ownerReferences: [controllerRef(rollout)],
      },
      spec: built.spec as unknown as Record<string, unknown>,
    },
  };
}
