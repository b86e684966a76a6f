/**
 * Readonly shapes of Argo Rollouts' `Experiment` (argoproj.io/v1alpha1), with the upstream CRD's JSON
 * spellings, so the same manifests, `kubectl argo rollouts get experiment` and Argo CD's health read them.
 * Shared by the Experiment controller and the canary `experiment` step that creates Experiments.
 */
import type { KubeObject } from '../kube/index.js';
import type {
  AnalysisRunArgument,
  IntOrString,
  LabelSelector,
  PodTemplateMetadata,
  PodTemplateSpec,
} from '../rollouts/types.js';

/** One template: a ReplicaSet the experiment runs (Argo's TemplateSpec). */
export interface ExperimentTemplate {
  readonly name: string;
  /** Default 1. */
  readonly replicas?: number;
  readonly minReadySeconds?: number;
  readonly selector?: LabelSelector;
  readonly template?: PodTemplateSpec;
  /** `{}` or `{name}`: a Service for the template's pods. */
  readonly service?: { readonly name?: string };
}

export interface ExperimentAnalysisTemplateRef {
  readonly name: string;
  readonly templateName: string;
  readonly clusterScope?: boolean;
  readonly args?: readonly AnalysisRunArgument[];
  readonly requiredForCompletion?: boolean;
}

export interface ExperimentSpec {
  readonly templates: readonly ExperimentTemplate[];
  /** Go duration string or seconds; absent: runs until terminated or its analyses finish. */
  readonly duration?: IntOrString;
  /** Default 600. */
  readonly progressDeadlineSeconds?: number;
  readonly terminate?: boolean;
  readonly analyses?: readonly ExperimentAnalysisTemplateRef[];
  /** Default 30. */
  readonly scaleDownDelaySeconds?: number;
  readonly dryRun?: readonly { readonly metricName: string }[];
  readonly measurementRetention?: readonly { readonly metricName: string; readonly limit: number }[];
  readonly analysisRunMetadata?: PodTemplateMetadata;
}

/** Argo's TemplateStatusCode. */
export type TemplateStatusCode = 'Progressing' | 'Running' | 'Successful' | 'Failed' | 'Error';

export interface ExperimentTemplateStatus {
  readonly name: string;
  readonly replicas: number;
  readonly updatedReplicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly collisionCount?: number;
  readonly status?: TemplateStatusCode;
  readonly message?: string;
  /** RFC 3339 timestamp. */
  readonly lastTransitionTime?: string;
  readonly serviceName?: string;
  readonly podTemplateHash?: string;
}

export interface ExperimentAnalysisRunStatus {
  readonly name: string;
  readonly analysisRun: string;
  /** An AnalysisPhase. */
  readonly phase: string;
  readonly message?: string;
}

export interface ExperimentCondition {
  /** `Progressing` (Argo's only ExperimentConditionType). */
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly lastUpdateTime: string;
  readonly lastTransitionTime: string;
}

export interface ExperimentStatus {
  /** An AnalysisPhase: Pending, Running, Successful, Failed, Error, Inconclusive. */
  readonly phase?: string;
  readonly message?: string;
  readonly templateStatuses?: readonly ExperimentTemplateStatus[];
  /** RFC 3339 timestamp: when every template became available. */
  readonly availableAt?: string;
  readonly conditions?: readonly ExperimentCondition[];
  readonly analysisRuns?: readonly ExperimentAnalysisRunStatus[];
}

export interface Experiment extends KubeObject {
  readonly spec?: ExperimentSpec;
  readonly status?: ExperimentStatus;
}
