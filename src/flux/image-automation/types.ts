import type { KubeObject, MetaLabelSelector } from '../../kube/index.js';
import type { FluxCondition, GitRepositoryRef } from '../types.js';
import type { ImageRef } from './setter-values.js';

/** image.toolkit.fluxcd.io/v1 (image-automation-controller v1.2.x), the fields Slipway reads and writes. */
export const IMAGE_UPDATE_AUTOMATION_GVK = {
  apiVersion: 'image.toolkit.fluxcd.io/v1',
  kind: 'ImageUpdateAutomation',
} as const;

/** image.toolkit.fluxcd.io/v1 ImagePolicy: read only (its controller is image-reflector's part). */
export const IMAGE_POLICY_GVK = { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy' } as const;

export interface CommitUser {
  readonly name?: string;
  readonly email: string;
}

export interface CommitSpec {
  readonly author: CommitUser;
  readonly signingKey?: { readonly secretRef: { readonly name: string }; readonly type?: string };
  readonly messageTemplate?: string;
  readonly messageTemplateValues?: Readonly<Record<string, string>>;
}

export interface PushSpec {
  readonly branch?: string;
  readonly refspec?: string;
  readonly options?: Readonly<Record<string, string>>;
}

export interface GitSpec {
  readonly checkout?: { readonly ref: GitRepositoryRef };
  readonly commit: CommitSpec;
  readonly push?: PushSpec;
}

export interface ImageUpdateAutomationSpec {
  readonly sourceRef: {
    readonly apiVersion?: string;
    readonly kind: string;
    readonly name: string;
    readonly namespace?: string;
  };
  readonly git?: GitSpec;
  readonly interval: string;
  readonly policySelector?: MetaLabelSelector;
  readonly update?: { readonly strategy?: string; readonly path?: string };
  readonly suspend?: boolean;
}

export interface ImageUpdateAutomationStatus {
  readonly lastAutomationRunTime?: string;
  readonly lastPushCommit?: string;
  readonly lastPushTime?: string;
  readonly observedGeneration?: number;
  readonly conditions?: readonly FluxCondition[];
  readonly observedPolicies?: Readonly<Record<string, ImageRef>>;
  readonly observedSourceRevision?: string;
  readonly lastHandledReconcileAt?: string;
}

export interface ImageUpdateAutomation extends KubeObject {
  readonly spec: ImageUpdateAutomationSpec;
  readonly status?: ImageUpdateAutomationStatus;
}

/** The part of an ImagePolicy the automation reads: what it picked. */
export interface ImagePolicyView extends KubeObject {
  readonly status?: { readonly latestRef?: ImageRef; readonly conditions?: readonly FluxCondition[] };
}
