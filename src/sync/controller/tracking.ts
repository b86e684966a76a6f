import type { KubeObject } from '../../kube/index.js';

/** Argo CD's default tracking label: every object an Application renders carries its name. */
export const TRACKING_LABEL = 'app.kubernetes.io/instance';

export function withTracking(obj: KubeObject, appName: string, namespace: string | undefined): KubeObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      ...(namespace !== undefined && { namespace }),
      labels: { ...(obj.metadata.labels ?? {}), [TRACKING_LABEL]: appName },
    },
  };
}

export function groupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

export function versionOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? '';
  return v.includes('/') ? v.slice(v.indexOf('/') + 1) : v;
}

/** `group/kind/namespace/name`: one managed resource, whatever its API version. */
export function resourceKey(obj: {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly namespace?: string; readonly name?: string };
}): string {
  return `${groupOf(obj.apiVersion)}/${obj.kind ?? ''}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
