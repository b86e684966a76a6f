/**
 * "Is this pause step done?", answered in one place (Argo's CompletedCanaryPauseStep) for the machine's
 * guard, the requeue at the pause's end and the exported step helpers. A timed pause is done strictly
 * after `startTime + duration` of its CanaryPauseStep condition; any pause is done once the user removed
 * the controller's pause conditions (promote) while `controllerPause` stays set. Pure: `now` is a value.
 */
import type { PauseCondition } from '../types.js';
import { PauseReason } from './steps.js';

export interface PauseStepInput {
  /** The pause step's duration in seconds; undefined for an indefinite pause. */
  readonly durationSeconds: number | undefined;
  readonly pauseConditions: readonly PauseCondition[];
  readonly controllerPause: boolean;
  readonly now: number;
}

export interface PauseStepProgress {
  readonly done: boolean;
  /** When a started timed pause ends (ms since epoch); it is done strictly after this instant. */
  readonly expiresAt?: number;
}

export function pauseStepProgress(input: PauseStepInput): PauseStepProgress {
  const condition = input.pauseConditions.find((p) => p.reason === PauseReason.CanaryPauseStep);
  const start = condition === undefined ? Number.NaN : Date.parse(condition.startTime);
  const expiresAt =
    input.durationSeconds !== undefined && !Number.isNaN(start)
      ? start + input.durationSeconds * 1000
      : undefined;
  const timeUp = expiresAt !== undefined && input.now > expiresAt;
  const promoted = input.controllerPause && input.pauseConditions.length === 0;
  return { done: timeUp || promoted, ...(expiresAt !== undefined && { expiresAt }) };
}
