/**
 * What an Experiment decision asks the executor to do. Every action is idempotent: objects have
 * deterministic names, scaling sets an absolute size, terminating a finished run changes nothing.
 */
import type { KubeObject } from '../kube/index.js';
import type { AnalysisRun, ReplicaSet } from '../rollouts/index.js';

export type ExperimentAction =
  | { readonly type: 'createReplicaSet'; readonly template: string; readonly replicaSet: ReplicaSet }
  | {
      readonly type: 'scaleReplicaSet';
      readonly template: string;
      readonly name: string;
      readonly from: number;
      readonly to: number;
    }
  /** Sets (RFC 3339 deadline) or removes (null) the `scale-down-deadline` annotation. */
  | {
      readonly type: 'setScaleDownDeadline';
      readonly template: string;
      readonly name: string;
      readonly deadline: string | null;
    }
  | { readonly type: 'createService'; readonly template: string; readonly service: KubeObject }
  | { readonly type: 'deleteService'; readonly template: string; readonly name: string }
  | { readonly type: 'createAnalysisRun'; readonly analysis: string; readonly run: AnalysisRun }
  | { readonly type: 'terminateAnalysisRun'; readonly analysis: string; readonly name: string };

export interface ExperimentEvent {
  readonly eventType: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  /** Also recorded (as a Warning) on the Rollout owning the experiment, as Argo does for run transitions. */
  readonly toRollout?: boolean;
}

/** Why an action failed, by `failureKey`: fed back into a second decision, which reports it in status. */
export type ActionFailures = ReadonlyMap<string, string>;

export function failureKey(action: ExperimentAction): string {
  return 'template' in action ? `${action.type}/${action.template}` : `${action.type}/${action.analysis}`;
}
