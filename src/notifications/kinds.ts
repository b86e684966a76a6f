import type { GroupVersionKind } from '../kube/index.js';

/** The kinds notifications watch, with the variable their object is exposed as and their default config. */
export interface NotificationKind {
  readonly gvk: GroupVersionKind;
  /**
   * `app` (argocd-notifications), `rollout` or `analysisRun` (Argo Rollouts), `object` (the Flux kinds, one
   * name so that one trigger serves Kustomizations and HelmReleases).
   */
  readonly variable: 'app' | 'rollout' | 'analysisRun' | 'object';
  readonly configMapName: string;
  readonly secretName: string;
  /** Namespace of the shared configuration unless one is configured (`argocd`, `argo-rollouts`). */
  readonly upstreamNamespace: string;
  /** Watched only with the `--instance-id` label selector (Argo Rollouts' objects). */
  readonly instanceFiltered: boolean;
}

export const argocdConfigMapName = 'argocd-notifications-cm';
export const argocdSecretName = 'argocd-notifications-secret';
export const rolloutsConfigMapName = 'argo-rollouts-notification-configmap';
export const rolloutsSecretName = 'argo-rollouts-notification-secret';

export const notificationKinds = {
  Application: {
    gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' },
    variable: 'app',
    configMapName: argocdConfigMapName,
    secretName: argocdSecretName,
    upstreamNamespace: 'argocd',
    instanceFiltered: false,
  },
  Rollout: {
    gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' },
    variable: 'rollout',
    configMapName: rolloutsConfigMapName,
    secretName: rolloutsSecretName,
    upstreamNamespace: 'argo-rollouts',
    instanceFiltered: true,
  },
  AnalysisRun: {
    gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' },
    variable: 'analysisRun',
    configMapName: rolloutsConfigMapName,
    secretName: rolloutsSecretName,
    upstreamNamespace: 'argo-rollouts',
    instanceFiltered: true,
  },
  // Flux's kinds share the Applications' configuration (one catalog, one Slack token for both dialects)
  Kustomization: {
    gvk: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' },
    variable: 'object',
    configMapName: argocdConfigMapName,
    secretName: argocdSecretName,
    upstreamNamespace: 'argocd',
    instanceFiltered: false,
  },
  HelmRelease: {
    gvk: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease' },
    variable: 'object',
    configMapName: argocdConfigMapName,
    secretName: argocdSecretName,
    upstreamNamespace: 'argocd',
    instanceFiltered: false,
  },
} as const satisfies Readonly<Record<string, NotificationKind>>;

export type NotificationKindName = keyof typeof notificationKinds;

/** The Argo kinds, watched by default. */
export const argoNotificationKinds: readonly NotificationKindName[] = [
  'Application',
  'Rollout',
  'AnalysisRun',
];

/** Flux's kinds, watched when the flux module runs in the same process (their CRDs exist then). */
export const fluxNotificationKinds: readonly NotificationKindName[] = ['Kustomization', 'HelmRelease'];

export function isNotificationKind(kind: string | undefined): kind is NotificationKindName {
  return kind !== undefined && Object.hasOwn(notificationKinds, kind);
}
