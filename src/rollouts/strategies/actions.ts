/**
 * The named actions a strategy's machine returns from XState's pure `transition()`, and the fixed order
 * the executor runs them in. An action names an absolute target (a ReplicaSet's size, a weight, a
 * selector), so running the same list twice changes nothing the second time. Shared by every strategy.
 */

import type { Experiment } from '../../experiments/index.js';
import type { KubeObject } from '../../kube/index.js';
import type { AnalysisRun, RunRequest } from '../analysis/analysis-runs.js';
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import type { AdditionalDestination } from '../traffic/router.js';
import type { SetHeaderRoute, SetMirrorRoute } from '../types.js';

/** An event to record on the Rollout. */
export interface EventIntent {
  readonly type: 'event';
  readonly eventType: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export interface ScaleIntent {
  readonly type: 'scale';
  readonly replicaSet: ReplicaSet;
  /** Which side it is, for the ScalingReplicaSet event. */
  readonly role: 'canary' | 'stable' | 'older';
  readonly from: number;
  readonly to: number;
  /** The `scale-down-deadline` annotation to write (null: remove it); `to` may equal `from`. */
  readonly scaleDownDeadline?: string | null;
}

/** A Service whose `rollouts-pod-template-hash` selector moves from one hash to another. */
export interface ServiceSwitch {
  readonly service: KubeObject;
  /** The hash the Service selects now ("" when it selects none). */
  readonly from: string;
  readonly to: string;
}

/** The weight the routers should carry (Argo's desiredWeight) and the hashes behind each side. */
export interface TrafficWeightIntent {
  readonly weight: number;
  readonly additional: readonly AdditionalDestination[];
  readonly canaryHash?: string;
  readonly stableHash?: string;
}

export type RolloutAction =
  | { readonly type: 'pointService'; readonly params: ServiceSwitch }
  | { readonly type: 'removeManagedRoutes'; readonly params?: undefined }
  | { readonly type: 'setHeaderRoute'; readonly params: SetHeaderRoute }
  | { readonly type: 'setMirrorRoute'; readonly params: SetMirrorRoute }
  | { readonly type: 'setTrafficWeight'; readonly params: TrafficWeightIntent }
  | { readonly type: 'recordEvent'; readonly params: EventIntent }
  | { readonly type: 'createExperiment'; readonly params: Experiment }
  | { readonly type: 'terminateExperiment'; readonly params: Experiment }
  | { readonly type: 'deleteExperiment'; readonly params: Experiment }
  | { readonly type: 'scaleReplicaSet'; readonly params: ScaleIntent }
  | { readonly type: 'terminateAnalysisRun'; readonly params: AnalysisRun }
  | { readonly type: 'deleteAnalysisRun'; readonly params: AnalysisRun }
  | { readonly type: 'createAnalysisRun'; readonly params: RunRequest }
  | { readonly type: 'deleteReplicaSet'; readonly params: ReplicaSet }
  | { readonly type: 'requeueAfter'; readonly params: { readonly ms: number } };

export type RolloutActionType = RolloutAction['type'];
export type ActionOf<T extends RolloutActionType> = Extract<RolloutAction, { readonly type: T }>;

/**
 * The order the executor runs actions in, whatever order the machine returned them in (Argo's
 * rolloutCanary): Services are pointed (only at available pods) before traffic moves to them; traffic
 * moves before ReplicaSets are scaled, so a canary goes to weight 0 before it is scaled down and a stable
 * ReplicaSet is scaled down only once it no longer takes traffic. Experiments come after traffic and before
 * analysis runs and ReplicaSets, created, then the others terminated, then old ones deleted (Argo's
 * reconcileExperiments). Events are recorded, and status written,
 * before the experiment, scaling and analysis actions, so that a crash never moves a Rollout back a step
 * (an experiment to create is named in that status first).
 */
export const ACTION_ORDER: readonly RolloutActionType[] = [
  'pointService',
  'removeManagedRoutes',
  'setHeaderRoute',
  'setMirrorRoute',
  'setTrafficWeight',
  'recordEvent',
  'createExperiment',
  'terminateExperiment',
  'deleteExperiment',
  'scaleReplicaSet',
  'terminateAnalysisRun',
  'deleteAnalysisRun',
  'createAnalysisRun',
  'deleteReplicaSet',
  'requeueAfter',
];

/** Actions that run before status is written (the commit); the rest run after it. */
export const PRE_COMMIT: ReadonlySet<RolloutActionType> = new Set([
  'pointService',
  'removeManagedRoutes',
  'setHeaderRoute',
  'setMirrorRoute',
  'setTrafficWeight',
  'recordEvent',
]);

/** The actions of one type, in the order the machine returned them. */
export function actionsOf<T extends RolloutActionType>(
  actions: readonly RolloutAction[],
  type: T,
): ActionOf<T>[] {
  return actions.filter((a): a is ActionOf<T> => a.type === type);
}

/** The actions sorted into the executor's fixed order (stable within one type). */
export function inExecutionOrder(actions: readonly RolloutAction[]): RolloutAction[] {
  return ACTION_ORDER.flatMap((type) => actionsOf(actions, type));
}
