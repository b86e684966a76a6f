/**
 * The last step of every strategy's status projection: the conditions of the projected status, then the
 * phase and message they give (Argo Rollouts' calculateRolloutConditions, then calculateRolloutPhase, in
 * rollout/sync.go). Pure: `now` comes in.
 */
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import type { Rollout, RolloutCondition, RolloutStatus } from '../types.js';
import { calculateRolloutPhase, type RolloutPhase } from './phase.js';
import { calculateConditions } from './rollout-conditions.js';

export interface ConditionsAndPhaseInputs {
  /** The Rollout as read: its spec, and its status as the previous one. */
  readonly rollout: Rollout;
  readonly newRS: ReplicaSet;
  readonly newRSCreated: boolean;
  readonly revision: number;
  /** The projected status; its conditions, phase and message are replaced. */
  readonly status: RolloutStatus;
  readonly abortMessage?: string;
  /** An analysis (or experiment) the strategy waits on: not counted against the progress deadline. */
  readonly waitingForAnalysis: boolean;
  readonly now: number;
}

export type StatusWithPhase = RolloutStatus & {
  readonly conditions: readonly RolloutCondition[];
  readonly phase: RolloutPhase;
  readonly message: string;
};

export function withConditionsAndPhase(input: ConditionsAndPhaseInputs): StatusWithPhase {
  const { rollout, newRS, status } = input;
  const newRSFailure = newRS.status?.conditions?.find(
    (c) => c.type === 'ReplicaFailure' && c.status === 'True',
  );
  const conditions = calculateConditions({
    rolloutName: rollout.metadata?.name ?? '',
    spec: rollout.spec ?? {},
    previous: rollout.status ?? {},
    status,
    newRSName: newRS.metadata.name ?? '',
    newRSCreated: input.newRSCreated,
    revision: input.revision,
    ...(input.abortMessage !== undefined && { abortMessage: input.abortMessage }),
    waitingForAnalysis: input.waitingForAnalysis,
    ...(newRSFailure && {
      replicaFailure: { reason: newRSFailure.reason ?? 'FailedCreate', message: newRSFailure.message ?? '' },
    }),
    now: input.now,
  });
  const withConditions: RolloutStatus = { ...status, conditions };
  const { phase, message } = calculateRolloutPhase({ ...rollout, status: withConditions });
  return { ...withConditions, conditions, phase, message };
}
