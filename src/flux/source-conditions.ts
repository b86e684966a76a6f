import { deleteFluxCondition, FluxConditionType, FluxReason, setFluxCondition } from './conditions.js';
import type { FluxCondition } from './types.js';

/**
 * source-controller's conditions once a source stored its artifact: FetchFailed, Reconciling and
 * Stalled gone, ArtifactInStorage and Ready True `Succeeded` with `message`. Pure.
 */
export function artifactStoredConditions(
  conditions: readonly FluxCondition[],
  message: string,
  generation: number | undefined,
  now: string,
): readonly FluxCondition[] {
  let next = deleteFluxCondition(conditions, FluxConditionType.FetchFailed);
  next = deleteFluxCondition(next, FluxConditionType.Reconciling);
  next = deleteFluxCondition(next, FluxConditionType.Stalled);
  for (const type of [FluxConditionType.ArtifactInStorage, FluxConditionType.Ready])
    next = setFluxCondition(
      next,
      { type, status: 'True', reason: FluxReason.Succeeded, message },
      generation,
      now,
    );
  return next;
}

/** A failed fetch's conditions, and whether the failure is news (an Event and a log line are due). */
export interface FetchFailure {
  readonly conditions: readonly FluxCondition[];
  /** FetchFailed did not already say `message`. */
  readonly isNew: boolean;
}

/**
 * source-controller's conditions after a failed fetch: FetchFailed True and Ready False with
 * `reason` and `message`, Reconciling True `ProgressingWithRetry`. Pure.
 */
export function fetchFailedConditions(
  conditions: readonly FluxCondition[],
  reason: string,
  message: string,
  generation: number | undefined,
  now: string,
): FetchFailure {
  const previous = conditions.find((c) => c.type === FluxConditionType.FetchFailed)?.message;
  // source-controller's reasons are wider than the shared catalogue (ChartPullError, NoSourceArtifact, …)
  const r = reason as FluxReason;
  let next = setFluxCondition(
    conditions,
    { type: FluxConditionType.FetchFailed, status: 'True', reason: r, message },
    generation,
    now,
  );
  next = setFluxCondition(
    next,
    { type: FluxConditionType.Ready, status: 'False', reason: r, message },
    generation,
    now,
  );
  next = setFluxCondition(
    next,
    {
      type: FluxConditionType.Reconciling,
      status: 'True',
      reason: FluxReason.ProgressingWithRetry,
      message: 'reconciliation in progress',
    },
    generation,
    now,
  );
  return { conditions: next, isNew: previous !== message };
}
