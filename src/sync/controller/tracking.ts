import { groupKindKey, groupOf, type KubeObject, versionOf } from '../../kube/index.js';

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

/** The group, version, kind, namespace and name Argo CD records for a resource in an Application's status. */
export function resourceIdentity(obj: KubeObject): {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
} {
  return {
    group: groupOf(obj.apiVersion),
    version: versionOf(obj.apiVersion),
    kind: obj.kind ?? '',
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
  };
}

/** `group/kind/namespace/name`: one managed resource, whatever its API version. */
export function resourceKey(obj: {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly namespace?: string; readonly name?: string };
}): string {
  return `${groupKindKey(obj.apiVersion, obj.kind)}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
