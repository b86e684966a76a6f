/**
 * Readonly shapes of Argo CD's `ApplicationSet` (argoproj.io/v1alpha1), limited to what this
 * controller reads or writes. Spellings follow argoproj/argo-cd
 * `pkg/apis/application/v1alpha1/applicationset_types.go`.
 */
import type { KubeObject, MetaLabelSelector, ObjectMeta } from '../kube/index.js';

/** The `template` of an ApplicationSet or of one generator (metadata + Application spec). */
export interface ApplicationSetTemplate {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly finalizers?: readonly string[];
  };
  readonly spec?: Readonly<Record<string, unknown>>;
}

export interface ListGenerator {
  readonly elements?: readonly unknown[];
  readonly elementsYaml?: string;
  readonly template?: ApplicationSetTemplate;
}

export interface ClusterGenerator {
  readonly selector?: MetaLabelSelector;
  readonly values?: Readonly<Record<string, string>>;
  readonly template?: ApplicationSetTemplate;
  readonly flatList?: boolean;
}

export interface GitDirectoryItem {
  readonly path: string;
  readonly exclude?: boolean;
}

export interface GitFileItem {
  readonly path: string;
  readonly exclude?: boolean;
}

export interface GitGenerator {
  readonly repoURL: string;
  readonly revision?: string;
  readonly directories?: readonly GitDirectoryItem[];
  readonly files?: readonly GitFileItem[];
  readonly values?: Readonly<Record<string, string>>;
  readonly pathParamPrefix?: string;
  readonly requeueAfterSeconds?: number;
  readonly template?: ApplicationSetTemplate;
}

export interface MatrixGenerator {
  readonly generators?: readonly ApplicationSetGenerator[];
  readonly template?: ApplicationSetTemplate;
}

export interface MergeGenerator {
  readonly generators?: readonly ApplicationSetGenerator[];
  readonly mergeKeys?: readonly string[];
  readonly template?: ApplicationSetTemplate;
}

/** One entry of `spec.generators` (or a nested one inside matrix/merge). */
export interface ApplicationSetGenerator {
  readonly list?: ListGenerator;
  readonly clusters?: ClusterGenerator;
  readonly git?: GitGenerator;
  readonly matrix?: MatrixGenerator;
  readonly merge?: MergeGenerator;
  /** Post-generation filter over the flattened parameters. */
  readonly selector?: MetaLabelSelector;
  readonly [other: string]: unknown;
}

export type ApplicationsSyncPolicy = 'create-only' | 'create-update' | 'create-delete' | 'sync';

export interface ApplicationSetSpec {
  readonly goTemplate?: boolean;
  readonly goTemplateOptions?: readonly string[];
  readonly generators: readonly ApplicationSetGenerator[];
  readonly template: ApplicationSetTemplate;
  readonly templatePatch?: string;
  readonly syncPolicy?: {
    readonly preserveResourcesOnDeletion?: boolean;
    readonly applicationsSync?: ApplicationsSyncPolicy;
  };
  readonly strategy?: ApplicationSetStrategy;
  readonly preservedFields?: {
    readonly annotations?: readonly string[];
    readonly labels?: readonly string[];
  };
}

/** `In` or `NotIn` over one label of the generated Applications (Argo accepts no other operator). */
export interface ApplicationMatchExpression {
  readonly key?: string;
  readonly operator?: string;
  readonly values?: readonly string[];
}

export interface RollingSyncStep {
  readonly matchExpressions?: readonly ApplicationMatchExpression[];
  /** An int or a percent string (Kubernetes IntOrString); unset: every Application of the step at once. */
  readonly maxUpdate?: number | string;
}

export interface ApplicationSetStrategy {
  /** `AllAtOnce` (default) or `RollingSync`. */
  readonly type?: string;
  readonly rollingSync?: { readonly steps?: readonly RollingSyncStep[] };
  readonly deletionOrder?: string;
}

export type ProgressiveSyncStatusCode = 'Waiting' | 'Pending' | 'Progressing' | 'Healthy';

/** One entry of `status.applicationStatus`, Argo CD's `ApplicationSetApplicationStatus`. */
export interface ApplicationSetApplicationStatus {
  readonly application: string;
  readonly lastTransitionTime?: string;
  readonly message: string;
  readonly status: ProgressiveSyncStatusCode;
  /** 1-based step as a string; "-1" when no step selects the Application. */
  readonly step: string;
  readonly targetRevisions: readonly string[];
}

export type ApplicationSetConditionType =
  | 'ErrorOccurred'
  | 'ParametersGenerated'
  | 'ResourcesUpToDate'
  | 'RolloutProgressing'
  | 'InvalidRolloutConfig';

export interface ApplicationSetCondition {
  readonly type: ApplicationSetConditionType;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime?: string;
}

/** One generated Application as `status.resources` shows it. */
export interface ApplicationSetResourceStatus {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly status?: string;
  readonly health?: { readonly status?: string };
}

export interface ApplicationSetStatus {
  readonly applicationStatus?: readonly ApplicationSetApplicationStatus[];
  readonly conditions?: readonly ApplicationSetCondition[];
  readonly resources?: readonly ApplicationSetResourceStatus[];
  readonly resourcesCount?: number;
  readonly health?: { readonly status: string; readonly message?: string };
}

export interface ApplicationSet extends KubeObject {
  readonly metadata: ObjectMeta;
  readonly spec: ApplicationSetSpec;
  readonly status?: ApplicationSetStatus;
}

/**
 * One parameter set: flat string values in fasttemplate mode (`path.basename`), nested values in
 * Go template mode (`.path.basename`).
 */
export type Params = Readonly<Record<string, unknown>>;

/** Argo CD's in-cluster destination. */
export const IN_CLUSTER_NAME = 'in-cluster';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
