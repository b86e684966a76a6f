/**
 * The Rollout's status conditions after a reconcile, like Argo Rollouts' calculateRolloutConditions
 * (rollout/sync.go) for the canary and blue-green strategies: Progressing (created, updated, paused, resumed,
 * aborted, timed out, new ReplicaSet available), Available, Paused, Completed, Healthy and
 * ReplicaFailure. Pure: `now` comes in.
 */

import {
  ConditionRules,
  type ConditionStatus,
  findCondition,
  removeCondition,
  setCondition,
  toKubeTime,
} from '../../core/index.js';
import type { RolloutCondition, RolloutSpec, RolloutStatus } from '../types.js';
import {
  ConditionMessage,
  ConditionReason,
  formatMessage,
  RolloutConditionType,
  setRolloutCondition,
} from './conditions.js';

export interface ConditionInputs {
  readonly rolloutName: string;
  readonly spec: RolloutSpec;
  readonly previous: RolloutStatus;
  /** The new status; its `conditions` are ignored. */
  readonly status: RolloutStatus;
  readonly newRSName?: string;
  readonly newRSCreated: boolean;
  readonly revision: number;
  readonly abortMessage?: string;
  /** A step analysis run is running: waiting on it does not count against the progress deadline. */
  readonly waitingForAnalysis: boolean;
  readonly replicaFailure?: { readonly reason: string; readonly message: string };
  readonly now: number;
}

const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export const progressDeadlineSeconds = (spec: RolloutSpec): number =>
  spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;

/** Argo's RolloutComplete: every pod updated and available, the new ReplicaSet is stable. */
export function isRolloutComplete(spec: RolloutSpec, status: RolloutStatus): boolean {
  const replicas = spec.replicas ?? 1;
  const blueGreen = spec.strategy?.blueGreen;
  if (blueGreen !== undefined) {
    // Argo's RolloutHealthy for blue-green: the Services select the new pods (not stableRS)
    const hash = status.currentPodHash ?? '';
    return (
      (status.updatedReplicas ?? 0) === replicas &&
      (status.availableReplicas ?? 0) === replicas &&
      (status.blueGreen?.activeSelector ?? '') === hash &&
      (!blueGreen.previewService || (status.blueGreen?.previewSelector ?? '') === hash)
    );
  }
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.currentPodHash ?? '') === (status.stableRS ?? '')
  );
}

/** Argo's RolloutCompleted: the current pod template is the stable one. */
const isPromoted = (status: RolloutStatus) =>
  (status.stableRS ?? '') !== '' && status.stableRS === status.currentPodHash;

/** Argo's RolloutProgressing: something moved since the previous status. */
function madeProgress(previous: RolloutStatus, status: RolloutStatus): boolean {
  return (
    previous.currentPodHash !== status.currentPodHash ||
    (previous.updatedReplicas ?? 0) !== (status.updatedReplicas ?? 0) ||
    (previous.readyReplicas ?? 0) < (status.readyReplicas ?? 0) ||
    (previous.availableReplicas ?? 0) < (status.availableReplicas ?? 0) ||
    previous.currentStepIndex !== status.currentStepIndex ||
    previous.stableRS !== status.stableRS
  );
}

/** Argo's RolloutTimedOut over the Progressing condition as it stands. */
export function hasTimedOut(
  spec: RolloutSpec,
  conditions: readonly RolloutCondition[],
  now: number,
): boolean {
  const progressing = findCondition(conditions, RolloutConditionType.Progressing);
  if (progressing === undefined || progressing.reason === ConditionReason.NewReplicaSetAvailable)
    return false;
  if (progressing.reason === ConditionReason.ProgressDeadlineExceeded) return true;
  if (
    progressing.reason === ConditionReason.RolloutPaused ||
    progressing.reason === ConditionReason.RolloutAborted
  )
    return false;
  const from = Date.parse(progressing.lastUpdateTime);
  return !Number.isNaN(from) && from + progressDeadlineSeconds(spec) * 1000 < now;
}

/** When the deadline runs out (ms since epoch), for a requeue; undefined when it cannot. */
export function progressDeadlineAt(
  spec: RolloutSpec,
  conditions: readonly RolloutCondition[],
): number | undefined {
  const progressing = findCondition(conditions, RolloutConditionType.Progressing);
  if (progressing === undefined || progressing.status !== 'True') return undefined;
  if (progressing.reason === ConditionReason.NewReplicaSetAvailable) return undefined;
  const from = Date.parse(progressing.lastUpdateTime);
  return Number.isNaN(from) ? undefined : from + progressDeadlineSeconds(spec) * 1000;
}

/** Argo's progressing update: rewritten on every change, even with the same reason. */
const PROGRESS_RULES = { ...ConditionRules.argoRollouts, keepWhenSame: [] } as const;

function progressingUpdate(
  conditions: readonly RolloutCondition[],
  reason: string,
  message: string,
  now: number,
): readonly RolloutCondition[] {
  const progressing = { type: RolloutConditionType.Progressing, status: 'True', reason, message } as const;
  return setCondition(conditions, progressing, toKubeTime(now), PROGRESS_RULES).conditions;
}

export function calculateConditions(input: ConditionInputs): readonly RolloutCondition[] {
  const { spec, previous, status, now } = input;
  let conditions = removeCondition(previous.conditions, RolloutConditionType.InvalidSpec);
  const set = (type: string, s: ConditionStatus, reason: string, message: string): void => {
    conditions = setRolloutCondition(conditions, { type, status: s, reason, message }, now).conditions;
  };
  const setProgressing = (s: ConditionStatus, reason: string, message: string): void =>
    set(RolloutConditionType.Progressing, s, reason, message);
  const isPaused = (status.pauseConditions ?? []).length > 0 || spec.paused === true;
  const wasPaused = findCondition(conditions, RolloutConditionType.Paused)?.status === 'True';
  const complete = isRolloutComplete(spec, status);
  const rsName = input.newRSName ?? '';

  if (input.newRSCreated) {
    setProgressing('True', ConditionReason.NewReplicaSetCreated, formatMessage.newReplicaSet(rsName));
  }
  set(
    RolloutConditionType.Completed,
    !isPaused && (spec.strategy?.blueGreen !== undefined ? isPromoted(status) : complete) ? 'True' : 'False',
    ConditionReason.RolloutCompleted,
    ConditionReason.RolloutCompleted,
  );

  if (status.abort) {
    const message = formatMessage.rolloutAborted(input.revision, input.abortMessage);
    const current = findCondition(conditions, RolloutConditionType.Progressing);
    if (current?.reason !== ConditionReason.RolloutAborted)
      setProgressing('False', ConditionReason.RolloutAborted, message);
  } else if (
    findCondition(conditions, RolloutConditionType.Progressing)?.reason === ConditionReason.RolloutAborted
  ) {
    setProgressing('True', ConditionReason.RolloutRetry, ConditionMessage.RolloutRetry);
  } else if (isPaused && !wasPaused) {
    setProgressing('Unknown', ConditionReason.RolloutPaused, ConditionMessage.RolloutPaused);
  } else if (!isPaused && wasPaused) {
    setProgressing('Unknown', ConditionReason.RolloutResumed, ConditionMessage.RolloutResumed);
  } else if (!isPaused) {
    if (complete) {
      setProgressing(
        'True',
        ConditionReason.NewReplicaSetAvailable,
        formatMessage.replicaSetCompleted(rsName),
      );
    } else if (madeProgress(previous, status)) {
      conditions = progressingUpdate(
        conditions,
        ConditionReason.ReplicaSetUpdated,
        formatMessage.replicaSetProgressing(rsName),
        now,
      );
    } else if (!input.waitingForAnalysis && hasTimedOut(spec, conditions, now)) {
      setProgressing(
        'False',
        ConditionReason.ProgressDeadlineExceeded,
        formatMessage.replicaSetTimedOut(rsName),
      );
    }
  }

  const available = (status.availableReplicas ?? 0) >= (spec.replicas ?? 1);
  set(
    RolloutConditionType.Available,
    available ? 'True' : 'False',
    ConditionReason.Available,
    available ? ConditionMessage.Available : ConditionMessage.NotAvailable,
  );

  if (input.replicaFailure !== undefined) {
    set(
      RolloutConditionType.ReplicaFailure,
      'True',
      input.replicaFailure.reason,
      input.replicaFailure.message,
    );
  } else {
    conditions = removeCondition(conditions, RolloutConditionType.ReplicaFailure);
  }

  if (isPaused) {
    set(RolloutConditionType.Paused, 'True', ConditionReason.RolloutPaused, ConditionMessage.RolloutPaused);
  } else if (wasPaused) {
    set(
      RolloutConditionType.Paused,
      'False',
      ConditionReason.RolloutResumed,
      ConditionMessage.RolloutResumed,
    );
  }

  const steps = spec.strategy?.canary?.steps ?? [];
  const healthy =
    spec.strategy?.blueGreen !== undefined
      ? complete
      : (status.updatedReplicas ?? 0) === (spec.replicas ?? 1) &&
        (status.availableReplicas ?? 0) === (spec.replicas ?? 1) &&
        (steps.length === 0 || (status.currentStepIndex ?? 0) === steps.length) &&
        (status.stableRS ?? '') === (status.currentPodHash ?? '');
  set(
    RolloutConditionType.Healthy,
    healthy ? 'True' : 'False',
    ConditionReason.RolloutHealthy,
    healthy ? ConditionMessage.RolloutHealthy : ConditionMessage.RolloutNotHealthy,
  );
  return conditions;
}
