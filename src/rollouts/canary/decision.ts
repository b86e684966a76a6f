/**
 * A canary decision: the status to write and the named actions, with read-only views of the actions by
 * kind (events, scaling, runs, prune, requeue) for logs and tests. The views are derived from the actions,
 * never decided separately.
 */
import type { AnalysisRun, RunRequest } from '../analysis/analysis-runs.js';
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import { actionsOf, type EventIntent, type RolloutAction, type ScaleIntent } from '../strategies/actions.js';
import type { RolloutDecision } from '../strategies/strategy.js';
import type { RolloutStatus } from '../types.js';
import type { RolloutEvent } from './machine.js';

export interface CanaryDecision extends RolloutDecision {
  readonly machineEvents: readonly RolloutEvent[];
  readonly events: readonly EventIntent[];
  readonly scale: readonly ScaleIntent[];
  readonly createRuns: readonly RunRequest[];
  readonly terminateRuns: readonly AnalysisRun[];
  readonly deleteRuns: readonly AnalysisRun[];
  readonly pruneReplicaSets: readonly ReplicaSet[];
  /** Time until the next wake-up (a pause ending, the progress deadline); 0 when it is already due. */
  readonly requeueAfterMs?: number;
}

export function decisionOf(
  status: RolloutStatus,
  actions: readonly RolloutAction[],
  machineEvents: readonly RolloutEvent[],
): CanaryDecision {
  const requeue = actionsOf(actions, 'requeueAfter').map((a) => a.params.ms);
  return {
    status,
    actions,
    machineEvents,
    events: actionsOf(actions, 'recordEvent').map((a) => a.params),
    scale: actionsOf(actions, 'scaleReplicaSet').map((a) => a.params),
    createRuns: actionsOf(actions, 'createAnalysisRun').map((a) => a.params),
    terminateRuns: actionsOf(actions, 'terminateAnalysisRun').map((a) => a.params),
    deleteRuns: actionsOf(actions, 'deleteAnalysisRun').map((a) => a.params),
    pruneReplicaSets: actionsOf(actions, 'deleteReplicaSet').map((a) => a.params),
    ...(requeue.length > 0 && { requeueAfterMs: Math.min(...requeue) }),
  };
}
