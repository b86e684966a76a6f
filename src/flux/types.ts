import type { Condition } from '../core/index.js';
import type { KubeObject } from '../kube/index.js';

/** `source.toolkit.fluxcd.io/v1` and `kustomize.toolkit.fluxcd.io/v1`, the fields Slipway reads and writes. */
export const GIT_REPOSITORY_GVK = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
} as const;
export const KUSTOMIZATION_GVK = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
} as const;

/** A Flux condition (metav1.Condition, with the generation it was set for). */
export type FluxCondition = Condition & { readonly observedGeneration?: number };

export interface LocalObjectReference {
  readonly name: string;
}

export interface GitRepositoryRef {
  readonly branch?: string;
  readonly tag?: string;
  readonly semver?: string;
  readonly name?: string;
  readonly commit?: string;
}

export interface Artifact {
  readonly digest: string;
  readonly lastUpdateTime: string;
  readonly path: string;
  readonly revision: string;
  readonly size?: number;
  readonly url: string;
}

export interface GitRepositorySpec {
  readonly url: string;
  readonly interval: string;
  readonly ref?: GitRepositoryRef;
  readonly secretRef?: LocalObjectReference;
  readonly ignore?: string;
  readonly suspend?: boolean;
  readonly timeout?: string;
}

export interface GitRepositoryStatus {
  readonly observedGeneration?: number;
  readonly conditions?: readonly FluxCondition[];
  readonly artifact?: Artifact;
  readonly observedIgnore?: string;
  readonly lastHandledReconcileAt?: string;
}

export interface GitRepository extends KubeObject {
  readonly spec: GitRepositorySpec;
  readonly status?: GitRepositoryStatus;
}

export interface CrossNamespaceSourceReference {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface DependencyReference {
  readonly name: string;
  readonly namespace?: string;
}

export interface NamespacedObjectKindReference {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface KustomizePatch {
  readonly patch: string;
  readonly target?: Readonly<Record<string, string>>;
}

export interface KustomizeImage {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

export interface SubstituteReference {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly optional?: boolean;
}

export interface PostBuild {
  readonly substitute?: Readonly<Record<string, string>>;
  readonly substituteFrom?: readonly SubstituteReference[];
}

export interface KustomizationSpec {
  readonly sourceRef: CrossNamespaceSourceReference;
  readonly path?: string;
  readonly interval: string;
  readonly retryInterval?: string;
  readonly timeout?: string;
  readonly prune: boolean;
  readonly wait?: boolean;
  readonly healthChecks?: readonly NamespacedObjectKindReference[];
  readonly dependsOn?: readonly DependencyReference[];
  readonly targetNamespace?: string;
  readonly patches?: readonly KustomizePatch[];
  readonly images?: readonly KustomizeImage[];
  readonly postBuild?: PostBuild;
  readonly suspend?: boolean;
  readonly force?: boolean;
  /** Apply, prune and health-read as this ServiceAccount of the Kustomization's namespace. */
  readonly serviceAccountName?: string;
}

export interface ResourceRef {
  /** `<namespace>_<name>_<group>_<kind>` (cli-utils ObjMetadata). */
  readonly id: string;
  readonly v: string;
}

export interface KustomizationStatus {
  readonly observedGeneration?: number;
  readonly conditions?: readonly FluxCondition[];
  readonly lastAppliedRevision?: string;
  readonly lastAttemptedRevision?: string;
  readonly inventory?: { readonly entries: readonly ResourceRef[] };
  readonly lastHandledReconcileAt?: string;
}

export interface Kustomization extends KubeObject {
  readonly spec: KustomizationSpec;
  readonly status?: KustomizationStatus;
}
