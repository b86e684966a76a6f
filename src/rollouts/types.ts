/**
 * Readonly TypeScript shapes of the Argo Rollouts `Rollout` object (argoproj.io/v1alpha1), limited to
 * the fields Slipway reads or writes. Field names and JSON spellings follow the upstream CRD so the
 * same manifests and the upstream kubectl plugin work unchanged. Everything is optional because the
 * API server hands us partially filled objects; defaults live in the pure functions that read them.
 */
import type { ConditionStatus } from '../core/index.js';

/** Kubernetes `intstr.IntOrString` as it appears in JSON: a number or a string such as "25%". */
export type IntOrString = number | string;

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The pod template is passed through untouched; only its metadata is inspected here. */
export interface PodTemplateSpec {
  readonly metadata?: ObjectMeta;
  readonly spec?: Readonly<Record<string, unknown>>;
}

export interface RolloutPause {
  /** Seconds as an integer, or a Go duration string ("30s", "1h30m") or a bare integer string ("3600"). */
  readonly duration?: IntOrString;
}

export interface AnalysisTemplateRef {
  readonly templateName: string;
  readonly clusterScope?: boolean;
}

export interface AnalysisRunArgument {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly podTemplateHashValue?: 'Stable' | 'Latest';
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

export interface RolloutAnalysis {
  readonly templates?: readonly AnalysisTemplateRef[];
  readonly args?: readonly AnalysisRunArgument[];
  readonly dryRun?: readonly { readonly metricName: string }[];
  readonly measurementRetention?: readonly { readonly metricName: string; readonly limit: number }[];
  readonly analysisRunMetadata?: {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
}

export interface RolloutAnalysisBackground extends RolloutAnalysis {
  readonly startingStep?: number;
}

export interface SetCanaryScale {
  readonly weight?: number;
  readonly replicas?: number;
  readonly matchTrafficWeight?: boolean;
}

export interface StringMatch {
  readonly exact?: string;
  readonly regex?: string;
  readonly prefix?: string;
}

export interface SetHeaderRoute {
  readonly name?: string;
  readonly match?: readonly { readonly headerName: string; readonly headerValue?: StringMatch }[];
}

export interface SetMirrorRoute {
  readonly name: string;
  readonly match?: readonly {
    readonly method?: StringMatch;
    readonly path?: StringMatch;
    readonly headers?: Readonly<Record<string, StringMatch>>;
  }[];
  readonly percentage?: number;
}

/** One entry of `spec.strategy.canary.steps`. Exactly one action should be set. */
/** `metadata` of an experiment template or `activeMetadata` / `previewMetadata` (Argo's PodTemplateMetadata). */
export interface PodTemplateMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** `specRef`: which of the Rollout's ReplicaSets an experiment template copies. */
export type ReplicaSetSpecRef = 'stable' | 'canary';

/** One template of a canary `experiment` step (Argo's RolloutExperimentTemplate). */
export interface RolloutExperimentTemplate {
  readonly name: string;
  readonly specRef: ReplicaSetSpecRef;
  readonly replicas?: number;
  readonly metadata?: PodTemplateMetadata;
  readonly selector?: LabelSelector;
  /** Traffic weight for the template (only with traffic routing). */
  readonly weight?: number;
  /** `{}` or `{name}`: create a Service for the template. */
  readonly service?: { readonly name?: string };
}

/** An analysis of a canary `experiment` step (Argo's RolloutExperimentStepAnalysisTemplateRef). */
export interface RolloutExperimentStepAnalysis {
  readonly name: string;
  readonly templateName: string;
  readonly clusterScope?: boolean;
  readonly args?: readonly AnalysisRunArgument[];
  readonly requiredForCompletion?: boolean;
}

/** A canary `experiment` step (Argo's RolloutExperimentStep). */
export interface RolloutExperimentStep {
  readonly templates: readonly RolloutExperimentTemplate[];
  /** Go duration string or seconds; absent: the experiment runs until its analyses finish. */
  readonly duration?: IntOrString;
  readonly analyses?: readonly RolloutExperimentStepAnalysis[];
  readonly dryRun?: readonly { readonly metricName: string }[];
  readonly analysisRunMetadata?: PodTemplateMetadata;
  readonly scaleDownDelaySeconds?: number;
}

export interface CanaryStep {
  readonly setWeight?: number;
  readonly pause?: RolloutPause;
  readonly experiment?: RolloutExperimentStep;
  readonly analysis?: RolloutAnalysis;
  readonly setCanaryScale?: SetCanaryScale;
  readonly setHeaderRoute?: SetHeaderRoute;
  readonly setMirrorRoute?: SetMirrorRoute;
  readonly plugin?: Readonly<Record<string, unknown>>;
}

/** `trafficRouting.istio.virtualService(s)[]`: which routes of a VirtualService carry the split. */
export interface IstioVirtualService {
  readonly name: string;
  /** Named HTTP routes; optional when the VirtualService has exactly one HTTP route. */
  readonly routes?: readonly string[];
  readonly tlsRoutes?: readonly { readonly port?: number; readonly sniHosts?: readonly string[] }[];
  readonly tcpRoutes?: readonly { readonly port?: number }[];
}

export interface IstioDestinationRule {
  readonly name: string;
  readonly canarySubsetName: string;
  readonly stableSubsetName: string;
  /** Subsets not controlled by the Rollout: their weights are left as they are and taken from stable's. */
  readonly additionalSubsetNames?: readonly string[];
}

export interface IstioTrafficRouting {
  readonly virtualService?: IstioVirtualService;
  readonly virtualServices?: readonly IstioVirtualService[];
  readonly destinationRule?: IstioDestinationRule;
}

export interface NginxTrafficRouting {
  readonly annotationPrefix?: string;
  readonly stableIngress?: string;
  readonly stableIngresses?: readonly string[];
  readonly additionalIngressAnnotations?: Readonly<Record<string, string>>;
  readonly canaryIngressAnnotations?: Readonly<Record<string, string>>;
}

export interface SmiTrafficRouting {
  readonly rootService?: string;
  readonly trafficSplitName?: string;
}

/** `spec.strategy.canary.trafficRouting` (Argo's RolloutTrafficRouting). */
export interface RolloutTrafficRouting {
  readonly istio?: IstioTrafficRouting;
  readonly nginx?: NginxTrafficRouting;
  readonly smi?: SmiTrafficRouting;
  /** Routers Slipway does not run (reported as InvalidSpec naming them) and plugin configuration. */
  readonly alb?: Readonly<Record<string, unknown>>;
  readonly ambassador?: Readonly<Record<string, unknown>>;
  readonly appMesh?: Readonly<Record<string, unknown>>;
  readonly traefik?: Readonly<Record<string, unknown>>;
  readonly apisix?: Readonly<Record<string, unknown>>;
  readonly plugins?: Readonly<Record<string, unknown>>;
  readonly managedRoutes?: readonly { readonly name: string }[];
  readonly maxTrafficWeight?: number;
}

export interface CanaryStrategy {
  readonly canaryService?: string;
  readonly stableService?: string;
  readonly steps?: readonly CanaryStep[];
  readonly trafficRouting?: RolloutTrafficRouting;
  readonly maxUnavailable?: IntOrString;
  readonly maxSurge?: IntOrString;
  readonly analysis?: RolloutAnalysisBackground;
  readonly scaleDownDelaySeconds?: number;
  readonly scaleDownDelayRevisionLimit?: number;
  readonly abortScaleDownDelaySeconds?: number;
  readonly dynamicStableScale?: boolean;
  readonly minPodsPerReplicaSet?: number;
  readonly canaryMetadata?: ObjectMeta;
  readonly stableMetadata?: ObjectMeta;
}

/** `antiAffinity` of a blue-green strategy: keep new pods off the nodes of the old ones. */
export interface AntiAffinity {
  readonly preferredDuringSchedulingIgnoredDuringExecution?: { readonly weight: number };
  readonly requiredDuringSchedulingIgnoredDuringExecution?: Readonly<Record<string, never>>;
}

/** `spec.strategy.blueGreen` (Argo's BlueGreenStrategy). */
export interface BlueGreenStrategy {
  readonly activeService?: string;
  readonly previewService?: string;
  readonly previewReplicaCount?: number;
  /** Default true. */
  readonly autoPromotionEnabled?: boolean;
  readonly autoPromotionSeconds?: number;
  readonly maxUnavailable?: IntOrString;
  /** Default 30 s. */
  readonly scaleDownDelaySeconds?: number;
  readonly scaleDownDelayRevisionLimit?: number;
  readonly prePromotionAnalysis?: RolloutAnalysis;
  readonly postPromotionAnalysis?: RolloutAnalysis;
  readonly antiAffinity?: AntiAffinity;
  readonly previewMetadata?: PodTemplateMetadata;
  readonly activeMetadata?: PodTemplateMetadata;
  readonly abortScaleDownDelaySeconds?: number;
}

export interface RolloutStrategy {
  readonly canary?: CanaryStrategy;
  readonly blueGreen?: BlueGreenStrategy;
}

/** `spec.workloadRef`: the pod template comes from this Deployment (or ReplicaSet / PodTemplate). */
export interface WorkloadRef {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  /** `never` (default), `onsuccess` or `progressively`: how the referenced Deployment is scaled down. */
  readonly scaleDown?: string;
}

export interface RolloutSpec {
  readonly replicas?: number;
  readonly selector?: LabelSelector;
  readonly template?: PodTemplateSpec;
  readonly workloadRef?: WorkloadRef;
  readonly minReadySeconds?: number;
  readonly revisionHistoryLimit?: number;
  readonly paused?: boolean;
  readonly progressDeadlineSeconds?: number;
  readonly progressDeadlineAbort?: boolean;
  /** RFC 3339 timestamp. */
  readonly restartAt?: string;
  /** Going back to one of the last `revisions` ReplicaSets skips the steps. */
  readonly rollbackWindow?: { readonly revisions?: number };
  readonly strategy?: RolloutStrategy;
}

export interface PauseCondition {
  readonly reason: string;
  /** RFC 3339 timestamp. */
  readonly startTime: string;
}

export interface RolloutCondition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  /** RFC 3339 timestamps. */
  readonly lastUpdateTime: string;
  readonly lastTransitionTime: string;
}

export interface AnalysisRunStatusRef {
  readonly name: string;
  readonly status: string;
  readonly message?: string;
}

export interface WeightDestination {
  readonly weight: number;
  readonly serviceName?: string;
  readonly podTemplateHash?: string;
}

export interface TrafficWeights {
  readonly canary: WeightDestination;
  readonly stable: WeightDestination;
  readonly additional?: readonly WeightDestination[];
  readonly verified?: boolean;
}

export interface CanaryStatus {
  readonly currentStepAnalysisRunStatus?: AnalysisRunStatusRef;
  readonly currentBackgroundAnalysisRunStatus?: AnalysisRunStatusRef;
  readonly currentExperiment?: string;
  readonly weights?: TrafficWeights;
}

/** `status.blueGreen` (Argo's BlueGreenStatus). */
export interface BlueGreenStatus {
  readonly previewSelector?: string;
  readonly activeSelector?: string;
  readonly scaleUpPreviewCheckPoint?: boolean;
  readonly prePromotionAnalysisRunStatus?: AnalysisRunStatusRef;
  readonly postPromotionAnalysisRunStatus?: AnalysisRunStatusRef;
}

export interface RolloutStatus {
  readonly abort?: boolean;
  readonly pauseConditions?: readonly PauseCondition[];
  readonly controllerPause?: boolean;
  /** RFC 3339 timestamp. */
  readonly abortedAt?: string;
  readonly currentPodHash?: string;
  readonly currentStepHash?: string;
  readonly replicas?: number;
  readonly updatedReplicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly currentStepIndex?: number;
  readonly collisionCount?: number;
  /** Argo writes the observed generation as a decimal string; numbers are accepted too. */
  readonly observedGeneration?: string | number;
  readonly conditions?: readonly RolloutCondition[];
  readonly canary?: CanaryStatus;
  readonly blueGreen?: BlueGreenStatus;
  /** `rollout.argoproj.io/workload-generation` of the referenced workload (workloadRef). */
  readonly workloadObservedGeneration?: string;
  readonly HPAReplicas?: number;
  readonly selector?: string;
  readonly stableRS?: string;
  /** RFC 3339 timestamp. */
  readonly restartedAt?: string;
  readonly promoteFull?: boolean;
  readonly phase?: string;
  readonly message?: string;
}

export interface Rollout {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly spec?: RolloutSpec;
  readonly status?: RolloutStatus;
}
