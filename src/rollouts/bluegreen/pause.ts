/**
 * The blue-green pause and promotion rules (Argo Rollouts' rollout/bluegreen.go, rollout/pause.go and
 * shouldFullPromote in rollout/sync.go), over the machine's context. Pure.
 */
import { PauseReason } from '../canary/steps.js';
import type { BlueGreenContext } from './context.js';

const FAILED = new Set(['Failed', 'Error']);

export const hasPause = (c: BlueGreenContext, reason: string) =>
  c.pauseConditions.some((p) => p.reason === reason);

/** Argo's haltProgress: a user pause or an inconclusive analysis hold everything. */
export const isHalted = (c: BlueGreenContext) =>
  c.specPaused || hasPause(c, PauseReason.InconclusiveAnalysis);

/** Argo's needsBlueGreenControllerPause. */
export const needsControllerPause = (c: BlueGreenContext) =>
  !c.autoPromotionEnabled || c.autoPromotionSeconds > 0;

/** Argo's isBlueGreenFastTracked: nothing to wait for before the active Service moves. */
export const isFastTracked = (c: BlueGreenContext) =>
  c.fastRollback || c.promoteFull || !c.activeHasHashSelector || c.activeSelector === c.currentPodHash;

/** Argo's completedPrePromotionAnalysis. */
export const completedPrePromotionAnalysis = (c: BlueGreenContext) =>
  !c.hasPrePromotionAnalysis || c.preRun?.phase === 'Successful';

/** When the auto-promotion pause in the context's pause conditions ends (epoch ms), if there is one. */
export function autoPromotionAt(c: BlueGreenContext): number | undefined {
  const pause = c.pauseConditions.find((p) => p.reason === PauseReason.BlueGreenPause);
  if (!c.autoPromotionEnabled || c.autoPromotionSeconds <= 0 || pause === undefined) return undefined;
  const start = Date.parse(pause.startTime);
  return Number.isNaN(start) ? undefined : start + c.autoPromotionSeconds * 1000;
}

/** Argo's CompletedBlueGreenPause: promoted by a user, or autoPromotionSeconds passed. */
export function completedBlueGreenPause(c: BlueGreenContext): boolean {
  if (c.pauseAdded) return false;
  if (c.scaleUpPreviewCheckPoint) return true;
  if (c.autoPromotionEnabled) {
    if (c.autoPromotionSeconds === 0) return true;
    // the pause of the status read (Argo reads rollout.Status), even when this reconcile removed it
    const start = Date.parse(c.pauseStartedAt ?? '');
    return !Number.isNaN(start) && c.now > start + c.autoPromotionSeconds * 1000;
  }
  return c.controllerPause && c.pauseStartedAt === undefined;
}

/** The failed pre- or post-promotion run that aborts the update, with Argo's abort message. */
export function failedAnalysis(c: BlueGreenContext): string | undefined {
  for (const [run, kind] of [
    [c.preRun, 'pre'],
    [c.postRun, 'post'],
  ] as const) {
    if (run === undefined || !FAILED.has(run.phase)) continue;
    const base = `Blue/green ${kind}-promotion analysis phase error/failed`;
    return run.message ? `${base}: ${run.message}` : base;
  }
  return undefined;
}

export const isInconclusive = (c: BlueGreenContext) =>
  c.preRun?.phase === 'Inconclusive' || c.postRun?.phase === 'Inconclusive';

/** Argo's shouldFullPromote for blue-green, after the active Service moved; "" when not yet. */
export function fullPromotionReason(c: BlueGreenContext): string {
  if (!c.hasStableRS) return 'Initial deploy';
  if (c.activeTarget === '') return 'Initial deploy';
  if (c.activeTarget !== c.currentPodHash) return '';
  if (c.promoteFull) return 'Full promotion requested';
  if (c.fastRollback) return c.rollbackWithinWindow ? 'Rollback within window' : 'Fast rollback';
  if (c.abort) return '';
  if (c.hasPostPromotionAnalysis && c.postRun?.phase !== 'Successful') return '';
  return 'Completed blue-green update';
}

/** Argo's reconcileActiveService: the hash the active Service should select after this reconcile. */
export function activeServiceTarget(c: BlueGreenContext): string {
  if (isHalted(c) || !c.readyForPause || !c.saturated) return c.activeSelector;
  let target = c.activeSelector;
  if (isFastTracked(c)) target = c.currentPodHash;
  if (completedBlueGreenPause(c) && completedPrePromotionAnalysis(c)) target = c.currentPodHash;
  if (c.abort) target = c.stableRS ?? '';
  return target;
}
