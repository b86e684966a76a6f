/**
 * Rollout condition types, reasons and messages with Argo Rollouts' exact strings
 * (pkg/apis/rollouts/v1alpha1/types.go, utils/conditions/conditions.go), and pure condition setters
 * with Argo's `SetRolloutCondition` semantics.
 */
import {
  type ConditionInput,
  ConditionRules,
  findCondition,
  type SetConditionResult,
  setCondition,
  toKubeTime,
} from '../../core/index.js';
import type { RolloutCondition } from '../types.js';

export const RolloutConditionType = {
  InvalidSpec: 'InvalidSpec',
  Available: 'Available',
  Progressing: 'Progressing',
  ReplicaFailure: 'ReplicaFailure',
  Paused: 'Paused',
  Completed: 'Completed',
  Healthy: 'Healthy',
} as const;
export type RolloutConditionType = (typeof RolloutConditionType)[keyof typeof RolloutConditionType];

/**
 * Condition reasons and event reasons this controller uses. Keys are Slipway names; values are
 * Argo's strings.
 */
export const ConditionReason = {
  InvalidSpec: 'InvalidSpec',
  /** Argo's AvailableReason really is the string "AvailableReason". */
  Available: 'AvailableReason',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  RolloutUpdated: 'RolloutUpdated',
  RolloutCompleted: 'RolloutCompleted',
  RolloutHealthy: 'RolloutHealthy',
  RolloutAborted: 'RolloutAborted',
  RolloutRetry: 'RolloutRetry',
  RolloutPaused: 'RolloutPaused',
  RolloutResumed: 'RolloutResumed',
  RolloutStepCompleted: 'RolloutStepCompleted',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  /** Argo's TimedOutReason. */
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  ScalingReplicaSet: 'ScalingReplicaSet',
  /** Argo's FailedRSCreateReason: the API server refused the new ReplicaSet (condition and Warning Event). */
  ReplicaSetCreateError: 'ReplicaSetCreateError',
  /** Argo's event when the router shows a new weight. */
  TrafficWeightUpdated: 'TrafficWeightUpdated',
  /** A router failed to set the weight (Argo records it as a Warning event). */
  TrafficRoutingError: 'TrafficRoutingError',
  /** A router could not tell whether the weight is in place. */
  WeightVerifyError: 'WeightVerifyError',
} as const;
export type ConditionReason = (typeof ConditionReason)[keyof typeof ConditionReason];

/** Fixed condition and event messages. */
export const ConditionMessage = {
  Available: 'Rollout has minimum availability',
  NotAvailable: 'Rollout does not have minimum availability',
  RolloutHealthy: 'Rollout is healthy',
  RolloutNotHealthy: 'Rollout is not healthy',
  RolloutRetry: 'Retrying Rollout after abort',
  RolloutPaused: 'Rollout is paused',
  RolloutResumed: 'Rollout is resumed',
  /** Why a Rollout with `progressDeadlineAbort` aborts once its deadline has passed. */
  ProgressDeadlineAbort: 'ReplicaSet has timed out progressing.',
} as const;

/** Go's `%q` for the names and messages we format (Kubernetes names never need Go-only escapes). */
const q = (value: string): string => JSON.stringify(value);

/** Formatted condition and event messages, one function per Argo format string this controller uses. */
export const formatMessage = {
  trafficWeightUpdated: (detail: string) => `Traffic weight updated ${detail}`,
  weightVerifyError: (error: string) => `Failed to verify weight: ${error}`,
  missingField: (field: string) => `Rollout has missing field '${field}'`,
  invalidSpec: (rolloutName: string, error: string) => `The Rollout "${rolloutName}" is invalid: ${error}`,
  replicaSetProgressing: (rs: string) => `ReplicaSet ${q(rs)} is progressing.`,
  newReplicaSet: (rs: string) => `Created new replica set ${q(rs)}`,
  /** Argo's FailedRSCreateMessage. */
  failedReplicaSetCreate: (rs: string, error: string) =>
    `Failed to create new replica set ${q(rs)}: ${error}`,
  newReplicaSetDetailed: (rs: string, revision: number) => `Created ReplicaSet ${rs} (revision ${revision})`,
  rolloutUpdated: (revision: string | number) => `Rollout updated to revision ${revision}`,
  rolloutCompleted: (revision: number, podHash: string, detail: string) =>
    `Rollout completed update to revision ${revision} (${podHash}): ${detail}`,
  /** Argo adds the abort message, when there is one, after a colon. */
  rolloutAborted: (revision: number, detail?: string) =>
    `Rollout aborted update to revision ${revision}${detail ? `: ${detail}` : ''}`,
  rolloutPausedFor: (pauseReason: string) => `${ConditionMessage.RolloutPaused} (${pauseReason})`,
  rolloutStepCompleted: (step: number, total: number, description: string) =>
    `Rollout step ${step}/${total} completed (${description})`,
  replicaSetTimedOut: (rs: string) => `ReplicaSet ${q(rs)} has timed out progressing.`,
  replicaSetCompleted: (rs: string) => `ReplicaSet ${q(rs)} has successfully progressed.`,
  scalingReplicaSet: (which: string, rs: string, revision: number, from: number, to: number) =>
    `Scaled ${which} ReplicaSet ${rs} (revision ${revision}) from ${from} to ${to}`,
} as const;

export type NewCondition = ConditionInput<RolloutCondition>;

/**
 * Re-exported from src/core for the machine and decide step, which import them from here under these
 * names; new code imports `findCondition` and `toKubeTime` from src/core.
 */
export { findCondition as getCondition, toKubeTime };

/**
 * Argo's `SetRolloutCondition`. If a condition of that type already has the same status and
 * reason, nothing changes (not even the message or lastUpdateTime). Otherwise the condition is
 * replaced and moved to the end, with lastUpdateTime = now and lastTransitionTime kept when the
 * status did not change.
 */
export const setRolloutCondition = (
  conditions: readonly RolloutCondition[] | undefined,
  condition: NewCondition,
  now: number,
): SetConditionResult<RolloutCondition> =>
  setCondition(conditions, condition, toKubeTime(now), ConditionRules.argoRollouts);

/**
 * The Progressing condition `ReplicaSetCreateError` (Argo's patchCondition in getNewReplicaSet): reused
 * while its message is unchanged, rewritten when the API server gives another reason.
 */
export function replicaSetCreateErrorCondition(
  conditions: readonly RolloutCondition[] | undefined,
  rsName: string,
  error: string,
  now: number,
): SetConditionResult<RolloutCondition> {
  return setCondition(
    conditions,
    {
      type: RolloutConditionType.Progressing,
      status: 'False',
      reason: ConditionReason.ReplicaSetCreateError,
      message: formatMessage.failedReplicaSetCreate(rsName, error),
    },
    toKubeTime(now),
    { ...ConditionRules.argoRollouts, keepWhenSame: ['status', 'reason', 'message'] },
  );
}

/** Argo's `createInvalidRolloutCondition`: reused while its message is unchanged, else new. */
const INVALID_SPEC_RULES: ConditionRules = {
  ...ConditionRules.argoRollouts,
  keepWhenSame: ['message'],
  transitionOn: ['status', 'reason', 'message'],
};

/**
 * The InvalidSpec condition for a validation error, as Argo's `createInvalidRolloutCondition`
 * builds it: the previous condition is reused while its message is unchanged.
 */
export function invalidSpecCondition(
  previous: RolloutCondition | undefined,
  rolloutName: string,
  error: string,
  now: number,
): RolloutCondition {
  const message = formatMessage.invalidSpec(rolloutName, error);
  const [condition] = setCondition(
    previous === undefined ? [] : [previous],
    { type: RolloutConditionType.InvalidSpec, status: 'True', reason: ConditionReason.InvalidSpec, message },
    toKubeTime(now),
    INVALID_SPEC_RULES,
  ).conditions;
  return condition!;
}
