/**
 * Rollout phase and message, computed from spec and status exactly as Argo Rollouts does
 * (utils/rollout/rolloututil.go: GetRolloutPhase and CalculateRolloutPhase).
 */

import type { Rollout, RolloutSpec, RolloutStatus } from '../types.js';
import { ConditionReason, RolloutConditionType } from './conditions.js';

export const RolloutPhase = {
  Healthy: 'Healthy',
  Progressing: 'Progressing',
  Paused: 'Paused',
  Degraded: 'Degraded',
} as const;
export type RolloutPhase = (typeof RolloutPhase)[keyof typeof RolloutPhase];

export interface PhaseResult {
  readonly phase: RolloutPhase;
  readonly message: string;
}

const progressing = (message: string): PhaseResult => ({ phase: RolloutPhase.Progressing, message });

/**
 * True when status.observedGeneration matches metadata.generation. Like Argo, a value that is not
 * a decimal integer (pre-v0.10 hashes) or one ahead of the generation counts as observed.
 */
export function isGenerationObserved(rollout: Rollout): boolean {
  const observed = rollout.status?.observedGeneration;
  const text = typeof observed === 'number' ? String(observed) : (observed ?? '');
  if (!/^[+-]?\d+$/.test(text)) return true;
  return Number.parseInt(text, 10) >= (rollout.metadata?.generation ?? 0);
}

/** A user cleared the pause conditions but the controller has not reacted yet. */
export function isUnpausing(rollout: Rollout): boolean {
  return rollout.status?.controllerPause === true && (rollout.status.pauseConditions ?? []).length === 0;
}

export function isFullyPromoted(status: RolloutStatus): boolean {
  return (status.stableRS ?? '') === (status.currentPodHash ?? '');
}

const COMPLETED_ANALYSIS = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

function waitingForPostPromotionAnalysis(spec: RolloutSpec, status: RolloutStatus): boolean {
  if (spec.strategy?.blueGreen?.postPromotionAnalysis === undefined) return false;
  const run = status.blueGreen?.postPromotionAnalysisRunStatus as { status?: string } | undefined;
  return run === undefined || !COMPLETED_ANALYSIS.has(run.status ?? '');
}

const sameInstant = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);

/**
 * Argo's `CalculateRolloutPhase`: the controller-side phase from spec and status only (it does not
 * look at observedGeneration; see `calculateRolloutPhase`).
 */
export function computeRolloutPhase(spec: RolloutSpec, status: RolloutStatus): PhaseResult {
  for (const condition of status.conditions ?? []) {
    if (condition.type === RolloutConditionType.InvalidSpec) {
      return {
        phase: RolloutPhase.Degraded,
        message: `${RolloutConditionType.InvalidSpec}: ${condition.message}`,
      };
    }
    if (
      condition.reason === ConditionReason.RolloutAborted ||
      condition.reason === ConditionReason.ProgressDeadlineExceeded
    ) {
      return { phase: RolloutPhase.Degraded, message: `${condition.reason}: ${condition.message}` };
    }
  }
  if (spec.paused) return { phase: RolloutPhase.Paused, message: 'manually paused' };
  const [pause] = status.pauseConditions ?? [];
  if (pause !== undefined) return { phase: RolloutPhase.Paused, message: pause.reason };
  if (
    spec.restartAt !== undefined &&
    (status.restartedAt === undefined || !sameInstant(spec.restartAt, status.restartedAt))
  ) {
    return progressing('rollout is restarting');
  }
  const updated = status.updatedReplicas ?? 0;
  if (updated < (spec.replicas ?? 1)) return progressing('more replicas need to be updated');
  if ((status.availableReplicas ?? 0) < updated)
    return progressing('updated replicas are still becoming available');
  const blueGreen = spec.strategy?.blueGreen;
  const canary = spec.strategy?.canary;
  if (blueGreen !== undefined) {
    const activeSelector = (status.blueGreen?.activeSelector as string | undefined) ?? '';
    if (activeSelector === '' || activeSelector !== (status.currentPodHash ?? '')) {
      return progressing('active service cutover pending');
    }
    if (!status.stableRS || !isFullyPromoted(status)) {
      return progressing(
        waitingForPostPromotionAnalysis(spec, status)
          ? 'waiting for analysis to complete'
          : 'waiting for post-promotion verification to complete',
      );
    }
  } else if (canary !== undefined) {
    if (canary.trafficRouting === undefined && (status.replicas ?? 0) > updated) {
      return progressing('old replicas are pending termination');
    }
    if (!status.stableRS || !isFullyPromoted(status)) return progressing('waiting for all steps to complete');
  }
  return { phase: RolloutPhase.Healthy, message: '' };
}

/**
 * The phase a client sees (Argo's `GetRolloutPhase` without its fallback to a stored phase):
 * a spec change the controller has not observed yet, or a pending unpause, reads as Progressing;
 * otherwise `computeRolloutPhase`.
 */
export function calculateRolloutPhase(rollout: Rollout): PhaseResult {
  if (!isGenerationObserved(rollout)) return progressing('waiting for rollout spec update to be observed');
  if (isUnpausing(rollout)) return progressing('waiting for rollout to unpause');
  return computeRolloutPhase(rollout.spec ?? {}, rollout.status ?? {});
}
