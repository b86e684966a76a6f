/**
 * Pre- and post-promotion analysis of a blue-green Rollout (Argo Rollouts' reconcileAnalysisRuns,
 * reconcilePre/PostPromotionAnalysisRun, skipPre/PostPromotionAnalysisRun and needsNewAnalysisRun in
 * rollout/analysis.go): which runs are current, which to create (named in status before they exist, like
 * the canary's runs), which to terminate, and the `AnalysisRun<Phase>` events. Pure.
 */
import {
  type AnalysisRun,
  findCurrentRun,
  plannedRunName,
  RolloutType,
  type RunRequest,
  runBaseName,
  statusRef,
} from '../analysis/analysis-runs.js';
import { PauseReason } from '../canary/steps.js';
import { podHashOf, type ReplicaSet } from '../replica-sets/replica-sets.js';
import type { EventIntent } from '../strategies/actions.js';
import type { AnalysisRunStatusRef, Rollout, RolloutAnalysis, RolloutStatus } from '../types.js';
import { isSaturated } from './replicas.js';

export type PromotionRunKind = 'pre' | 'post';

const TYPE = { pre: RolloutType.PrePromotion, post: RolloutType.PostPromotion } as const;
const REF = { pre: 'prePromotionAnalysisRunStatus', post: 'postPromotionAnalysisRunStatus' } as const;

const analysisOf = (rollout: Rollout, kind: PromotionRunKind): RolloutAnalysis | undefined => {
  const blueGreen = rollout.spec?.strategy?.blueGreen;
  const analysis = kind === 'pre' ? blueGreen?.prePromotionAnalysis : blueGreen?.postPromotionAnalysis;
  return (analysis?.templates ?? []).length > 0 ? analysis : undefined;
};

/** The current run of a kind for this pod template, as status references it (or one made before a crash). */
export function currentPromotionRun(
  rollout: Rollout,
  runs: readonly AnalysisRun[],
  podHash: string,
  kind: PromotionRunKind,
): AnalysisRun | undefined {
  const referenced = rollout.status?.blueGreen?.[REF[kind]]?.name;
  return findCurrentRun(runs, { type: TYPE[kind], podHash, ...(referenced && { referenced }) });
}

/** Argo's skipPre/PostPromotionAnalysisRun over the status read at the start of the reconcile. */
function skipRun(
  rollout: Rollout,
  newRS: ReplicaSet,
  current: AnalysisRun | undefined,
  kind: PromotionRunKind,
): boolean {
  const status = rollout.status ?? {};
  const hash = podHashOf(newRS);
  const active = status.blueGreen?.activeSelector ?? '';
  if (hash === '' || status.stableRS === hash) return true;
  if (kind === 'pre' ? active === '' || active === hash : active !== hash) return true;
  if (current !== undefined) return false;
  const preview = rollout.spec?.strategy?.blueGreen?.previewReplicaCount;
  if (kind === 'pre' && preview !== undefined)
    return (newRS.spec?.replicas ?? 0) !== preview || (newRS.status?.availableReplicas ?? 0) !== preview;
  return !isSaturated(rollout, newRS);
}

/** Argo's needsNewAnalysisRun (a retry shows as `abortedAt` in the status read). */
function needsNewRun(status: RolloutStatus, current: AnalysisRun | undefined): boolean {
  if (current === undefined) return true;
  const pauses = status.pauseConditions ?? [];
  if (
    status.controllerPause === true &&
    !pauses.some((p) => p.reason === PauseReason.CanaryPauseStep || p.reason === PauseReason.BlueGreenPause)
  )
    return current.status?.phase === 'Inconclusive';
  return status.abortedAt !== undefined;
}

export interface PromotionRunsInput {
  readonly rollout: Rollout;
  readonly newRS: ReplicaSet;
  readonly revision: number;
  /** Argo cancels analysis when fully promoted, aborted, promoting fully, rolling back fast or on the first deploy. */
  readonly cancelled: boolean;
  /** The stable hash the runs' `podTemplateHashValue: Stable` args resolve to. */
  readonly stableHash?: string;
  readonly current: { readonly pre?: AnalysisRun; readonly post?: AnalysisRun };
  readonly owned: readonly AnalysisRun[];
  readonly inUse: ReadonlySet<string>;
}

export interface PromotionRunsPlan {
  readonly createRuns: readonly RunRequest[];
  /** Runs left running (every other live run is terminated). */
  readonly live: readonly AnalysisRun[];
  /** Runs kept from garbage collection (the ones status references). */
  readonly kept: readonly AnalysisRun[];
  /** The runs whose result counts in this reconcile (Argo's setPauseOrAbortForBlueGreen input). */
  readonly observed: { readonly pre?: AnalysisRun; readonly post?: AnalysisRun };
  readonly refs: {
    readonly prePromotionAnalysisRunStatus?: AnalysisRunStatusRef;
    readonly postPromotionAnalysisRunStatus?: AnalysisRunStatusRef;
  };
}

export function planPromotionRuns(i: PromotionRunsInput): PromotionRunsPlan {
  const status = i.rollout.status ?? {};
  const createRuns: RunRequest[] = [];
  const live: AnalysisRun[] = [];
  const kept: AnalysisRun[] = [];
  const refs: Record<string, AnalysisRunStatusRef | undefined> = {};
  const observed: { pre?: AnalysisRun; post?: AnalysisRun } = {};
  const podHash = podHashOf(i.newRS);
  for (const kind of ['pre', 'post'] as const) {
    const current = i.current[kind];
    if (current !== undefined) {
      kept.push(current);
      refs[REF[kind]] = statusRef(current);
    }
    // For blue-green Argo keeps the current runs in status once cancelled.
    if (i.cancelled) continue;
    const analysis = analysisOf(i.rollout, kind);
    if (analysis === undefined) {
      refs[REF[kind]] = undefined;
      continue;
    }
    if (skipRun(i.rollout, i.newRS, current, kind)) {
      if (current !== undefined) observed[kind] = current;
      continue;
    }
    const inconclusivePause = (status.pauseConditions ?? []).some(
      (p) => p.reason === PauseReason.InconclusiveAnalysis,
    );
    if (!inconclusivePause && needsNewRun(status, current)) {
      const named = status.blueGreen?.[REF[kind]]?.name;
      const name = plannedRunName(
        runBaseName(i.rollout.metadata?.name ?? '', podHash, i.revision, kind),
        named,
        i.owned,
        i.inUse,
      );
      refs[REF[kind]] = { name, status: '' };
      createRuns.push({
        type: TYPE[kind],
        analysis,
        podHash,
        ...(i.stableHash !== undefined && { stableHash: i.stableHash }),
        revision: i.revision,
        name,
      });
      continue;
    }
    if (current !== undefined) {
      live.push(current);
      observed[kind] = current;
    }
  }
  return { createRuns, live, kept, refs, observed };
}

/** Argo's emitAnalysisRunStatusChanges for the pre- and post-promotion runs. */
export function promotionRunEvents(
  previous: RolloutStatus['blueGreen'],
  current: { readonly pre?: AnalysisRun; readonly post?: AnalysisRun },
): EventIntent[] {
  const out: EventIntent[] = [];
  for (const kind of ['post', 'pre'] as const) {
    const run = current[kind];
    const phase = run?.status?.phase ?? '';
    if (run === undefined || phase === '') continue;
    const prev = previous?.[REF[kind]];
    if (prev !== undefined && (prev.name !== run.metadata.name || prev.status === phase)) continue;
    out.push({
      type: 'event',
      eventType: phase === 'Failed' || phase === 'Error' ? 'Warning' : 'Normal',
      reason: `AnalysisRun${phase}`,
      message: `${TYPE[kind]} Analysis Run '${run.metadata.name}' Status New: '${phase}' Previous: '${prev?.status || 'NoPreviousStatus'}'`,
    });
  }
  return out;
}
