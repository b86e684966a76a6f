/** Loose, raw-JSON shapes of Kubernetes objects. Unknown fields are kept: we never drop what we do not model. */

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly finalizers?: readonly string[];
  readonly managedFields?: readonly unknown[];
  readonly [key: string]: unknown;
}

export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMeta;
  readonly [key: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items: T[];
}

/** Names one kind of resource: apiVersion ("v1", "apps/v1", "argoproj.io/v1alpha1") and kind. */
export interface GroupVersionKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/** What discovery knows about a kind. */
export interface ResourceInfo extends GroupVersionKind {
  readonly group: string;
  readonly version: string;
  /** Plural resource name used in URLs ("rollouts"). */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly subresources: readonly string[];
  readonly verbs: readonly string[];
}

/** Identifies one object of a kind. `namespace` is ignored for cluster-scoped kinds. */
export interface ObjectRef extends GroupVersionKind {
  readonly name: string;
  readonly namespace?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  readonly type: WatchEventType;
  readonly object: T;
}

export function objectKey(obj: { readonly metadata: ObjectMeta }): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

export function splitGroupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The API group of an apiVersion: "apps" for "apps/v1", "" for the core group ("v1") or none. */
export function groupOf(apiVersion: string | undefined): string {
  return splitGroupVersion(apiVersion ?? '').group;
}

/** The version of an apiVersion: "v1" for "apps/v1" and for "v1". */
export function versionOf(apiVersion: string | undefined): string {
  return splitGroupVersion(apiVersion ?? '').version;
}

/** `group/kind` ("apps/Deployment", "/ConfigMap"): a kind whatever its version, as Argo CD keys them. */
export function groupKindKey(apiVersion: string | undefined, kind: string | undefined): string {
  return `${groupOf(apiVersion)}/${kind ?? ''}`;
}
