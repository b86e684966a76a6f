import type { KubeObject } from '../kube/index.js';
import type {
  Artifact,
  CrossNamespaceSourceReference,
  DependencyReference,
  FluxCondition,
  KustomizeImage,
  KustomizePatch,
  LocalObjectReference,
  ResourceRef,
} from './types.js';

/** `source.toolkit.fluxcd.io/v1` HelmRepository and HelmChart, `helm.toolkit.fluxcd.io/v2` HelmRelease. */
export const HELM_REPOSITORY_GVK = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
} as const;
export const HELM_CHART_GVK = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmChart' } as const;
export const HELM_RELEASE_GVK = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease' } as const;

export interface SourceStatus {
  readonly observedGeneration?: number;
  readonly conditions?: readonly FluxCondition[];
  readonly artifact?: Artifact;
  readonly url?: string;
  readonly lastHandledReconcileAt?: string;
}

export interface HelmRepositorySpec {
  readonly url: string;
  readonly type?: 'default' | 'oci';
  /** `type: oci` only: speak plain HTTP to the registry. */
  readonly insecure?: boolean;
  readonly interval?: string;
  readonly timeout?: string;
  readonly secretRef?: LocalObjectReference;
  readonly suspend?: boolean;
}

export interface HelmRepository extends KubeObject {
  readonly spec: HelmRepositorySpec;
  readonly status?: SourceStatus;
}

export interface HelmChartSpec {
  readonly chart: string;
  readonly version?: string;
  readonly sourceRef: { readonly apiVersion?: string; readonly kind: string; readonly name: string };
  readonly interval: string;
  readonly reconcileStrategy?: 'ChartVersion' | 'Revision';
  readonly valuesFiles?: readonly string[];
  readonly ignoreMissingValuesFiles?: boolean;
  readonly suspend?: boolean;
}

export interface HelmChartStatus extends SourceStatus {
  readonly observedSourceArtifactRevision?: string;
  readonly observedChartName?: string;
  readonly observedValuesFiles?: readonly string[];
}

export interface HelmChart extends KubeObject {
  readonly spec: HelmChartSpec;
  readonly status?: HelmChartStatus;
}

export interface HelmChartTemplateSpec {
  readonly chart: string;
  readonly version?: string;
  readonly sourceRef: CrossNamespaceSourceReference;
  readonly interval?: string;
  readonly reconcileStrategy?: 'ChartVersion' | 'Revision';
  readonly valuesFiles?: readonly string[];
  readonly ignoreMissingValuesFiles?: boolean;
}

export interface ValuesReference {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  /** Default `values.yaml`. */
  readonly valuesKey?: string;
  readonly targetPath?: string;
  readonly optional?: boolean;
}

export interface Remediation {
  /** Attempts after the first failure; negative is unlimited. Default 0. */
  readonly retries?: number;
  readonly ignoreTestFailures?: boolean;
  readonly remediateLastFailure?: boolean;
  /** Upgrade only: `rollback` (default) or `uninstall`. */
  readonly strategy?: 'rollback' | 'uninstall';
}

/** fluxcd/pkg apis/kustomize Selector: regular expressions (anchored) and label-selector strings. */
export interface ResourceSelector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly annotationSelector?: string;
  readonly labelSelector?: string;
}

/** One `spec.postRenderers[]` entry: only `kustomize` exists in helm.toolkit.fluxcd.io/v2. */
export interface PostRenderer {
  readonly kustomize?: {
    readonly patches?: readonly KustomizePatch[];
    readonly images?: readonly KustomizeImage[];
  };
}

export type DriftDetectionMode = 'enabled' | 'warn' | 'disabled';

/** `spec.driftDetection.ignore[]`: JSON pointers left out of the comparison, for the objects `target` selects. */
export interface DriftIgnoreRule {
  readonly paths: readonly string[];
  readonly target?: ResourceSelector;
}

export interface DriftDetection {
  /** Default `disabled`. */
  readonly mode?: DriftDetectionMode;
  readonly ignore?: readonly DriftIgnoreRule[];
}

/** `spec.test.filters[]`: a test hook by name, run only (includes) or skipped (`exclude`). */
export interface HelmTestFilter {
  readonly name: string;
  readonly exclude?: boolean;
}

/** `spec.test` (helm-controller api/v2 Test). */
export interface HelmTestSpec {
  readonly enable?: boolean;
  /** Per test hook; default `spec.timeout`. */
  readonly timeout?: string;
  readonly ignoreFailures?: boolean;
  readonly filters?: readonly HelmTestFilter[];
}

export interface HelmReleaseSpec {
  readonly chart?: { readonly spec: HelmChartTemplateSpec; readonly metadata?: unknown };
  readonly chartRef?: { readonly kind: string; readonly name: string; readonly namespace?: string };
  readonly interval: string;
  readonly timeout?: string;
  readonly releaseName?: string;
  readonly targetNamespace?: string;
  readonly storageNamespace?: string;
  readonly dependsOn?: readonly DependencyReference[];
  readonly suspend?: boolean;
  readonly maxHistory?: number;
  readonly install?: {
    readonly createNamespace?: boolean;
    readonly disableWait?: boolean;
    readonly remediation?: Remediation;
  };
  readonly upgrade?: { readonly disableWait?: boolean; readonly remediation?: Remediation };
  readonly test?: HelmTestSpec;
  /** Impersonated for everything the release applies, prunes, tests and reads (helm-controller's). */
  readonly serviceAccountName?: string;
  readonly values?: Readonly<Record<string, unknown>>;
  readonly valuesFrom?: readonly ValuesReference[];
  /** Applied in order to the rendered manifests, before they are stored and applied. */
  readonly postRenderers?: readonly PostRenderer[];
  readonly driftDetection?: DriftDetection;
}

/** One release in `status.history` (helm-controller's Snapshot, newest first). */
export interface Snapshot {
  readonly apiVersion?: string;
  readonly digest: string;
  readonly name: string;
  readonly namespace: string;
  readonly version: number;
  readonly status: string;
  readonly chartName: string;
  readonly chartVersion: string;
  readonly appVersion?: string;
  readonly configDigest: string;
  readonly firstDeployed: string;
  readonly lastDeployed: string;
  readonly deleted?: string;
  readonly action?: string;
  /** The test hooks run for this release, by hook name (helm-controller's TestHookStatus). */
  readonly testHooks?: Readonly<Record<string, TestHookStatus>>;
  /** The OCI artifact digest of a chart from an OCIRepository. */
  readonly ociDigest?: string;
}

/** One test hook's last run as recorded in a Snapshot. */
export interface TestHookStatus {
  readonly lastStarted?: string;
  readonly lastCompleted?: string;
  /** `Running`, `Succeeded`, `Failed` (Helm's hook phases); absent: not run. */
  readonly phase?: string;
}

export interface HelmReleaseStatus {
  readonly observedGeneration?: number;
  /** Digest of `spec.postRenderers` at the last observed generation (helm-controller's). */
  readonly observedPostRenderersDigest?: string;
  readonly conditions?: readonly FluxCondition[];
  readonly helmChart?: string;
  readonly storageNamespace?: string;
  readonly history?: readonly Snapshot[];
  readonly lastAttemptedGeneration?: number;
  readonly lastAttemptedRevision?: string;
  /** The OCI digest of the last attempt's chart (a `chartRef` OCIRepository). */
  readonly lastAttemptedRevisionDigest?: string;
  readonly lastAttemptedConfigDigest?: string;
  readonly lastAttemptedReleaseAction?: 'install' | 'upgrade';
  readonly failures?: number;
  readonly installFailures?: number;
  readonly upgradeFailures?: number;
  readonly inventory?: { readonly entries: readonly ResourceRef[] };
  readonly lastHandledReconcileAt?: string;
}

export interface HelmRelease extends KubeObject {
  readonly spec: HelmReleaseSpec;
  readonly status?: HelmReleaseStatus;
}
