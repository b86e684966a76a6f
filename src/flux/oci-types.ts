import type { KubeObject } from '../kube/index.js';
import type { SourceStatus } from './helm-types.js';
import type { LocalObjectReference } from './types.js';

/** `source.toolkit.fluxcd.io/v1` OCIRepository, the fields Slipway reads and writes. */
export const OCI_REPOSITORY_GVK = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'OCIRepository',
} as const;

/** The media type `flux push artifact` gives the content layer. */
export const FLUX_CONTENT_MEDIA_TYPE = 'application/vnd.cncf.flux.content.v1.tar+gzip';

export interface OCIRepositoryRef {
  readonly digest?: string;
  readonly semver?: string;
  readonly semverFilter?: string;
  readonly tag?: string;
}

export interface OCIRepositorySpec {
  readonly url: string;
  readonly ref?: OCIRepositoryRef;
  readonly layerSelector?: { readonly mediaType?: string; readonly operation?: 'extract' | 'copy' };
  readonly secretRef?: LocalObjectReference;
  readonly insecure?: boolean;
  readonly interval: string;
  readonly timeout?: string;
  readonly ignore?: string;
  readonly suspend?: boolean;
}

export interface OCIRepositoryStatus extends SourceStatus {
  readonly observedIgnore?: string;
  readonly observedLayerSelector?: { readonly mediaType?: string; readonly operation?: string };
}

export interface OCIRepository extends KubeObject {
  readonly spec: OCIRepositorySpec;
  readonly status?: OCIRepositoryStatus;
}
