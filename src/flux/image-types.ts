import type { KubeObject } from '../kube/index.js';
import type { FluxCondition, LocalObjectReference } from './types.js';

/** `image.toolkit.fluxcd.io/v1` (image-reflector-controller v1.2.4), the fields Slipway reads and writes. */
export const IMAGE_REPOSITORY_GVK = {
  apiVersion: 'image.toolkit.fluxcd.io/v1',
  kind: 'ImageRepository',
} as const;
export const IMAGE_POLICY_GVK = {
  apiVersion: 'image.toolkit.fluxcd.io/v1',
  kind: 'ImagePolicy',
} as const;

/** ImageRepository.GetExclusionList's default: cosign signature tags. */
export const DEFAULT_EXCLUSION_LIST: readonly string[] = ['^.*\\.sig$'];

export interface ImageRepositorySpec {
  readonly image: string;
  readonly interval: string;
  readonly timeout?: string;
  readonly secretRef?: LocalObjectReference;
  readonly serviceAccountName?: string;
  readonly certSecretRef?: LocalObjectReference;
  readonly proxySecretRef?: LocalObjectReference;
  readonly suspend?: boolean;
  readonly accessFrom?: {
    readonly namespaceSelectors?: readonly { readonly matchLabels?: Readonly<Record<string, string>> }[];
  };
  readonly exclusionList?: readonly string[];
  readonly provider?: string;
  readonly insecure?: boolean;
}

/** The last scan: `revision` is the checksum of the stored tags, `latestTags` the 10 highest by string order. */
export interface ScanResult {
  readonly revision: string;
  readonly tagCount: number;
  readonly scanTime: string;
  readonly latestTags?: readonly string[];
}

export interface ImageRepositoryStatus {
  readonly conditions?: readonly FluxCondition[];
  readonly observedGeneration?: number;
  readonly canonicalImageName?: string;
  readonly lastScanResult?: ScanResult;
  readonly observedExclusionList?: readonly string[];
  readonly lastHandledReconcileAt?: string;
}

export interface ImageRepository extends KubeObject {
  readonly spec: ImageRepositorySpec;
  readonly status?: ImageRepositoryStatus;
}

export interface ImagePolicyChoice {
  readonly semver?: { readonly range: string };
  readonly alphabetical?: { readonly order?: string };
  readonly numerical?: { readonly order?: string };
}

export interface TagFilter {
  readonly pattern?: string;
  readonly extract?: string;
}

export type ReflectionPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface ImagePolicySpec {
  readonly imageRepositoryRef: { readonly name: string; readonly namespace?: string };
  readonly policy: ImagePolicyChoice;
  readonly filterTags?: TagFilter;
  readonly digestReflectionPolicy?: ReflectionPolicy;
  readonly interval?: string;
  readonly suspend?: boolean;
}

/** Flux's ImageRef: `name` is the ImageRepository's `spec.image`. */
export interface ImageRef {
  readonly name: string;
  readonly tag: string;
  readonly digest?: string;
}

export interface ImagePolicyStatus {
  readonly latestRef?: ImageRef;
  readonly observedPreviousRef?: ImageRef;
  readonly observedGeneration?: number;
  readonly conditions?: readonly FluxCondition[];
  readonly lastHandledReconcileAt?: string;
}

export interface ImagePolicy extends KubeObject {
  readonly spec: ImagePolicySpec;
  readonly status?: ImagePolicyStatus;
}
