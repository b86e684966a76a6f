import { type ConditionRules, type ConditionStatus, setCondition } from '../core/index.js';
import type { FluxCondition } from './types.js';

/** fluxcd/pkg apis/meta and source-controller condition types. */
export const FluxConditionType = {
  Ready: 'Ready',
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
  Healthy: 'Healthy',
  ArtifactInStorage: 'ArtifactInStorage',
  FetchFailed: 'FetchFailed',
} as const;
export type FluxConditionType = (typeof FluxConditionType)[keyof typeof FluxConditionType];

/** The reasons Flux writes, with its exact strings (fluxcd/pkg apis/meta, source-controller). */
export const FluxReason = {
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  Progressing: 'Progressing',
  ProgressingWithRetry: 'ProgressingWithRetry',
  ReconciliationSucceeded: 'ReconciliationSucceeded',
  ReconciliationFailed: 'ReconciliationFailed',
  BuildFailed: 'BuildFailed',
  HealthCheckFailed: 'HealthCheckFailed',
  DependencyNotReady: 'DependencyNotReady',
  ArtifactFailed: 'ArtifactFailed',
  PruneFailed: 'PruneFailed',
  GitOperationFailed: 'GitOperationFailed',
  GitOperationSucceeded: 'GitOperationSucceeded',
  AuthenticationFailed: 'AuthenticationFailed',
  URLInvalid: 'URLInvalid',
  InvalidRef: 'InvalidRef',
  NewRevision: 'NewRevision',
} as const;
export type FluxReason = (typeof FluxReason)[keyof typeof FluxReason];

/**
 * fluxcd/pkg runtime/conditions' rules: a condition whose status, reason, message and generation are
 * unchanged is kept as it is; any change restarts lastTransitionTime.
 */
const FLUX_RULES: ConditionRules = {
  keepWhenSame: ['status', 'reason', 'message'],
  transitionOn: ['status', 'reason', 'message'],
  updateTime: false,
  replaced: 'in-place',
  fillTransitionTime: false,
};

export interface FluxConditionInput {
  readonly type: FluxConditionType;
  readonly status: ConditionStatus;
  readonly reason: FluxReason;
  readonly message: string;
}

/** Sets one condition, stamped with the object's generation. Pure. */
export function setFluxCondition(
  conditions: readonly FluxCondition[] | undefined,
  input: FluxConditionInput,
  generation: number | undefined,
  now: string,
): readonly FluxCondition[] {
  const next = { ...input, ...(generation !== undefined && { observedGeneration: generation }) };
  const stored = conditions?.find((c) => c.type === input.type);
  // set for another generation: the same text is still a new state (a fresh transition time)
  const base =
    stored !== undefined && stored.observedGeneration !== generation
      ? (conditions ?? []).map((c) => (c === stored ? { type: c.type, status: c.status } : c))
      : conditions;
  return setCondition<FluxCondition>(base, next, now, FLUX_RULES).conditions;
}

/** Removes a condition type. */
export function deleteFluxCondition(
  conditions: readonly FluxCondition[] | undefined,
  type: FluxConditionType,
): readonly FluxCondition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** Flux's `finalizeStatus`: a failed Ready turns a Reconciling condition's reason into ProgressingWithRetry. */
export function withRetryReason(conditions: readonly FluxCondition[]): readonly FluxCondition[] {
  const ready = conditions.find((c) => c.type === FluxConditionType.Ready);
  if (ready?.status !== 'False') return conditions;
  return conditions.map((c) =>
    c.type === FluxConditionType.Reconciling ? { ...c, reason: FluxReason.ProgressingWithRetry } : c,
  );
}
