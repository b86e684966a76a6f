/**
 * Rollout condition types, reasons and messages with Argo Rollouts' exact strings
 * (pkg/apis/rollouts/v1alpha1/types.go, utils/conditions/conditions.go), and pure condition setters
 * with Argo's `SetRolloutCondition` semantics.
 */
import type { ConditionStatus, RolloutCondition } from '../types.js';

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

/** Condition reasons and event reasons. Keys are Slipway names; values are Argo's strings. */
export const ConditionReason = {
  InvalidSpec: 'InvalidSpec',
  /** Argo's AvailableReason really is the string "AvailableReason". */
  Available: 'AvailableReason',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  ReplicaSetCreateError: 'ReplicaSetCreateError',
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  RolloutUpdated: 'RolloutUpdated',
  RolloutCompleted: 'RolloutCompleted',
  RolloutNotCompleted: 'RolloutNotCompleted',
  RolloutHealthy: 'RolloutHealthy',
  RolloutAborted: 'RolloutAborted',
  RolloutRetry: 'RolloutRetry',
  RolloutPaused: 'RolloutPaused',
  ReplicaSetNotAvailable: 'ReplicaSetNotAvailable',
  RolloutResumed: 'RolloutResumed',
  RolloutStepCompleted: 'RolloutStepCompleted',
  TrafficWeightUpdated: 'TrafficWeightUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  AnalysisRunFailed: 'AnalysisRunFailed',
  ExperimentFailed: 'ExperimentFailed',
  /** Argo's TimedOutReason. */
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  RolloutDeleted: 'RolloutDeleted',
  ScalingReplicaSet: 'ScalingReplicaSet',
  ServiceReferenceError: 'ServiceReferenceError',
  TargetGroupVerified: 'TargetGroupVerified',
  TargetGroupUnverified: 'TargetGroupUnverified',
  TargetGroupVerifyError: 'TargetGroupVerifyError',
  WeightVerifyError: 'WeightVerifyError',
  /** A router failed to set the weight (Argo records it as a Warning event). */
  TrafficRoutingError: 'TrafficRoutingError',
  LoadBalancerNotFound: 'LoadBalancerNotFound',
  RolloutAddedToInformer: 'RolloutAddedToInformer',
} as const;
export type ConditionReason = (typeof ConditionReason)[keyof typeof ConditionReason];

/** Fixed condition messages. */
export const ConditionMessage = {
  Available: 'Rollout has minimum availability',
  NotAvailable: 'Rollout does not have minimum availability',
  RolloutHealthy: 'Rollout is healthy',
  RolloutNotHealthy: 'Rollout is not healthy',
  RolloutRetry: 'Retrying Rollout after abort',
  RolloutPaused: 'Rollout is paused',
  RolloutResumed: 'Rollout is resumed',
  SelectAll: 'This rollout is selecting all pods. A non-empty selector is required.',
} as const;

/** Go's `%q` for the names and messages we format (Kubernetes names never need Go-only escapes). */
const q = (value: string): string => JSON.stringify(value);

/** Formatted condition and event messages, one function per Argo format string. */
export const formatMessage = {
  missingField: (field: string) => `Rollout has missing field '${field}'`,
  invalidSpec: (rolloutName: string, error: string) => `The Rollout "${rolloutName}" is invalid: ${error}`,
  rolloutProgressing: (rollout: string) => `Rollout ${q(rollout)} is progressing.`,
  replicaSetProgressing: (rs: string) => `ReplicaSet ${q(rs)} is progressing.`,
  failedReplicaSetCreate: (rs: string, error: string) =>
    `Failed to create new replica set ${q(rs)}: ${error}`,
  newReplicaSet: (rs: string) => `Created new replica set ${q(rs)}`,
  newReplicaSetDetailed: (rs: string, revision: number) => `Created ReplicaSet ${rs} (revision ${revision})`,
  foundNewReplicaSet: (rs: string) => `Found new replica set ${q(rs)}`,
  rolloutUpdated: (revision: string | number) => `Rollout updated to revision ${revision}`,
  rolloutCompleted: (revision: number, podHash: string, detail: string) =>
    `Rollout completed update to revision ${revision} (${podHash}): ${detail}`,
  rolloutNotCompleted: (revision: number, podHash: string) =>
    `Rollout not completed, started update to revision ${revision} (${podHash})`,
  rolloutAborted: (revision: number) => `Rollout aborted update to revision ${revision}`,
  rolloutStepCompleted: (step: number, total: number, description: string) =>
    `Rollout step ${step}/${total} completed (${description})`,
  trafficWeightUpdated: (detail: string) => `Traffic weight updated ${detail}`,
  /** Argo formats the rollout name with '%q' inside quotes, giving '"name"'. Kept as is. */
  analysisRunFailed: (run: string, rollout: string) =>
    `AnalysisRun '${run}' owned by the Rollout '${q(rollout)}' failed.`,
  experimentFailed: (experiment: string, rollout: string) =>
    `Experiment '${experiment}' owned by the Rollout '${q(rollout)}' has timed out.`,
  rolloutTimedOut: (rollout: string) => `Rollout ${q(rollout)} has timed out progressing.`,
  replicaSetTimedOut: (rs: string) => `ReplicaSet ${q(rs)} has timed out progressing.`,
  replicaSetCompleted: (rs: string) => `ReplicaSet ${q(rs)} has successfully progressed.`,
  /** Pre-1.0 Argo's RolloutCompletedMessage; current Argo uses `rolloutCompleted`. */
  rolloutSuccessfullyProgressed: (rollout: string) => `Rollout ${q(rollout)} has successfully progressed.`,
  rolloutDeleted: (namespace: string, name: string) => `Rollout ${namespace}/${name} is deleted.`,
  scalingReplicaSet: (which: string, rs: string, revision: number, from: number, to: number) =>
    `Scaled ${which} ReplicaSet ${rs} (revision ${revision}) from ${from} to ${to}`,
  serviceManagedByAnotherRollout: (service: string) => `Service ${q(service)} is managed by another Rollout`,
  weightVerifyError: (error: string) => `Failed to verify weight: ${error}`,
} as const;

export interface NewCondition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

/** Kubernetes `metav1.Time` JSON: RFC 3339 in UTC with whole seconds. */
export function toKubeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function newCondition(condition: NewCondition, now: number): RolloutCondition {
  const time = toKubeTime(now);
  return { ...condition, lastUpdateTime: time, lastTransitionTime: time };
}

export function getCondition(
  conditions: readonly RolloutCondition[] | undefined,
  type: string,
): RolloutCondition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

export function removeCondition(
  conditions: readonly RolloutCondition[] | undefined,
  type: string,
): readonly RolloutCondition[] {
  return (conditions ?? []).filter((condition) => condition.type !== type);
}

export interface SetConditionResult {
  readonly conditions: readonly RolloutCondition[];
  readonly changed: boolean;
}

/**
 * Argo's `SetRolloutCondition`. If a condition of that type already has the same status and
 * reason, nothing changes (not even the message or lastUpdateTime). Otherwise the condition is
 * replaced and moved to the end, with lastUpdateTime = now and lastTransitionTime kept when the
 * status did not change.
 */
export function setCondition(
  conditions: readonly RolloutCondition[] | undefined,
  condition: NewCondition,
  now: number,
): SetConditionResult {
  const current = getCondition(conditions, condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) {
    return { conditions: conditions ?? [], changed: false };
  }
  let next = newCondition(condition, now);
  if (current !== undefined && current.status === condition.status) {
    next = { ...next, lastTransitionTime: current.lastTransitionTime };
  }
  return { conditions: [...removeCondition(conditions, condition.type), next], changed: true };
}

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
  if (previous !== undefined && previous.message === message) return previous;
  return newCondition(
    { type: RolloutConditionType.InvalidSpec, status: 'True', reason: ConditionReason.InvalidSpec, message },
    now,
  );
}
