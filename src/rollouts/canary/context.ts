/**
 * The canary machine's context and events: the status fields it moves (rebuilt from status on every
 * reconcile), the observations events feed it, and the events themselves.
 */
import type { LifecycleContext } from '../strategies/machine-lifecycle.js';
import type { CanaryWorld } from './effects.js';
import type { StepModel } from './steps.js';

export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

export interface ObservedRun {
  readonly name: string;
  readonly phase: AnalysisPhase;
  readonly message?: string;
  /** Step index of a step run. */
  readonly stepIndex?: number;
}

export interface RolloutContext extends LifecycleContext {
  readonly steps: readonly StepModel[];
  /** A short description of each step for events ("setWeight: 20", "pause: 10"). */
  readonly stepNames: readonly string[];
  readonly stepIndex: number;
  /** Going back to a ReplicaSet within spec.rollbackWindow: skip the steps (ROLLBACK_WITHIN_WINDOW). */
  readonly rollbackWithinWindow?: boolean;
  /** Every pod of the new ReplicaSet is available (spec.replicas of the Rollout). */
  readonly newRSFullyAvailable: boolean;
  /** Background analysis configured, and the step it starts at. */
  readonly backgroundStartingStep?: number;
  // ---- observations fed by events ----
  /** The weight at which ReplicaSet sizes and availability are at their targets (REPLICAS_READY). */
  readonly readyWeight?: number;
  /** The step at which they were observed at their targets (a setCanaryScale step completes on it). */
  readonly readyStepIndex?: number;
  /** A traffic router runs this Rollout: a setWeight step also waits for its weight to be set and verified. */
  readonly trafficRouted?: boolean;
  /** The canary weight status records as set, and whether the routers verified it (TRAFFIC_WEIGHT). */
  readonly trafficWeight?: number;
  readonly trafficVerified?: boolean;
  readonly stepRun?: ObservedRun;
  readonly backgroundRun?: ObservedRun;
  /** The experiment `status.canary.currentExperiment` names (EXPERIMENT). */
  readonly experiment?: ObservedRun;
  /** The user cleared the pause conditions (promote) while the controller had paused. */
  readonly userPromoted: boolean;
}

export type RolloutEvent =
  | { readonly type: 'SPEC_CHANGED'; readonly rollbackToStable: boolean }
  | { readonly type: 'TICK'; readonly now: number }
  | { readonly type: 'REPLICAS_READY'; readonly weight: number; readonly stepIndex?: number }
  | { readonly type: 'TRAFFIC_WEIGHT'; readonly weight: number; readonly verified?: boolean }
  | { readonly type: 'ANALYSIS'; readonly kind: 'step' | 'background'; readonly run: ObservedRun }
  | { readonly type: 'EXPERIMENT'; readonly experiment: ObservedRun }
  | { readonly type: 'PROMOTE' }
  | { readonly type: 'PROMOTE_FULL' }
  | { readonly type: 'ROLLBACK_WITHIN_WINDOW' }
  | { readonly type: 'ABORT' }
  | { readonly type: 'RETRY' }
  | { readonly type: 'PROGRESS_DEADLINE_EXCEEDED' }
  /** Sent last, with the projected status and the observed world: the machine emits its effects. */
  | { readonly type: 'PLAN'; readonly world: CanaryWorld };
