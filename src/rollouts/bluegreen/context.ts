/**
 * The blue-green machine's context and events: the status fields it moves (rebuilt from status on every
 * reconcile), the observations events feed it, and the events themselves.
 */
import type { ObservedRun } from '../canary/context.js';
import type { LifecycleContext } from '../strategies/machine-lifecycle.js';
import type { BlueGreenWorld } from './effects.js';

export interface BlueGreenContext extends LifecycleContext {
  readonly scaleUpPreviewCheckPoint: boolean;
  // ---- the spec, as the rules need it ----
  /** `autoPromotionEnabled` (default true). */
  readonly autoPromotionEnabled: boolean;
  readonly autoPromotionSeconds: number;
  readonly previewReplicaCount?: number;
  readonly hasPrePromotionAnalysis: boolean;
  readonly hasPostPromotionAnalysis: boolean;
  /** The status read had a controller pause (leaving it records RolloutResumed). */
  readonly wasControllerPaused: boolean;
  /** When the BlueGreenPause of the status read started (Argo's CompletedBlueGreenPause reads that status). */
  readonly pauseStartedAt?: string;
  // ---- observations fed by events ----
  /** The hash the active Service selects now ("" when it has none); whether it has the hash key at all. */
  readonly activeSelector: string;
  readonly activeHasHashSelector: boolean;
  /** The new ReplicaSet has the size and availability blue-green wants now (Argo's ReadyForPause). */
  readonly readyForPause: boolean;
  /** Every pod of the Rollout's size is in the new ReplicaSet and available (Argo's IsSaturated). */
  readonly saturated: boolean;
  /** Pods available in the new ReplicaSet (the previewReplicaCount checkpoint compares them). */
  readonly newAvailable: number;
  /** Going back to the stable ReplicaSet, or to one within its scale-down delay or the rollback window. */
  readonly fastRollback: boolean;
  readonly rollbackWithinWindow: boolean;
  readonly preRun?: ObservedRun;
  readonly postRun?: ObservedRun;
  /** Argo cancels analysis now (fully promoted, aborted, full promotion, fast rollback, first deploy). */
  readonly analysisCancelled: boolean;
  /** A retry in this reconcile (Argo creates fresh analysis runs after one). */
  readonly retried: boolean;
  /** A pause was added in this reconcile (Argo's HasAddPause). */
  readonly pauseAdded: boolean;
  /** The hash the active Service is to select after this reconcile (Argo's reconcileActiveService). */
  readonly activeTarget: string;
  /** Why the current ReplicaSet was made stable in this reconcile, when it was. */
  readonly promotedBecause?: string;
}

export type BlueGreenEvent =
  | { readonly type: 'SPEC_CHANGED' }
  | { readonly type: 'TICK'; readonly now: number }
  | { readonly type: 'PROMOTE_FULL'; readonly rollbackWithinWindow: boolean }
  | { readonly type: 'ABORT' }
  | { readonly type: 'RETRY' }
  | {
      readonly type: 'REPLICAS';
      readonly readyForPause: boolean;
      readonly saturated: boolean;
      readonly newAvailable: number;
    }
  | { readonly type: 'ANALYSIS'; readonly kind: 'pre' | 'post'; readonly run: ObservedRun }
  /** Reconcile the pause, the active Service and the analysis results (Argo's order). */
  /** `full: false` after a new pod template: only the promotion check runs (Argo returns early). */
  | { readonly type: 'RECONCILE'; readonly full: boolean }
  /** Sent last, with the projected status and the observed world: the machine emits its effects. */
  | { readonly type: 'PLAN'; readonly world: BlueGreenWorld };
