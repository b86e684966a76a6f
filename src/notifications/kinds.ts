import type { GroupVersionKind } from '../kube/index.js';

/** The kinds notifications watch, with the variable their object is exposed as and their default config. */
export interface NotificationKind {
  readonly gvk: GroupVersionKind;
  /** `app` (argocd-notifications), `rollout` or `analysisRun` (Argo Rollouts). */
  readonly variable: 'app' | 'rollout' | 'analysisRun';
  readonly configMapName: string;
  readonly secretName: string;
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
  },
  Rollout: {
    gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' },
    variable: 'rollout',
    configMapName: rolloutsConfigMapName,
    secretName: rolloutsSecretName,
  },
  AnalysisRun: {
    gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' },
    variable: 'analysisRun',
    configMapName: rolloutsConfigMapName,
    secretName: rolloutsSecretName,
  },
} as const satisfies Readonly<Record<string, NotificationKind>>;

export type NotificationKindName = keyof typeof notificationKinds;

export function isNotificationKind(kind: string | undefined): kind is NotificationKindName {
  return kind !== undefined && Object.hasOwn(notificationKinds, kind);
}
