/** What the Rollout reconciler reads from (the informers) and acts through (executor, status writer). */
import type { EchoFilter, StatusWriter } from '../../core/index.js';
import type { Experiment } from '../../experiments/index.js';
import type { KubeObject, Reflector } from '../../kube/index.js';
import type { AnalysisRun } from '../analysis/analysis-runs.js';
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import type { Rollout } from '../types.js';
import type { RolloutExecutor } from './executor.js';
import type { RolloutWorkloads } from './workloads.js';

export type RolloutObject = Rollout & KubeObject;

export interface RolloutInformers {
  readonly rollouts: Reflector<RolloutObject>;
  readonly replicaSets: Reflector<ReplicaSet>;
  readonly analysisRuns: Reflector<AnalysisRun>;
  readonly experiments: Reflector<Experiment>;
  readonly services: Reflector<KubeObject>;
  readonly pods: Reflector<KubeObject>;
  readonly analysisTemplates: Reflector<KubeObject>;
  readonly clusterAnalysisTemplates: Reflector<KubeObject>;
}

export interface RolloutReconcilerOptions {
  readonly informers: RolloutInformers;
  readonly executor: RolloutExecutor;
  /** Read-your-writes for Rollouts and ReplicaSets (the executor writes through it). */
  readonly written: StatusWriter;
  /** The replica ceiling (`--max-replicas`). Default DEFAULT_MAX_REPLICAS. */
  readonly maxReplicas?: number;
  /** Workloads `spec.workloadRef` names. Without it, every reference is reported as not found. */
  readonly workloads?: RolloutWorkloads;
  /** Told whether each decision is settled, so the echoes of its writes are not reconciled. Default: none. */
  readonly echoes?: EchoFilter;
}
