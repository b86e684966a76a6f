import type { KubeObject } from '../kube/index.js';

/**
 * Kinds that others depend on, in the order they must exist (Helm's install order, shortened):
 * a Namespace before anything in it, identities and RBAC before the workloads that use them.
 */
const KIND_ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
] as const;

function rank(obj: KubeObject): number {
  const i = (KIND_ORDER as readonly string[]).indexOf(obj.kind ?? '');
  return i === -1 ? KIND_ORDER.length : i;
}

/** The objects in an order a plain apply succeeds in; the file order is kept within a kind. */
export function sortForInstall(objects: readonly KubeObject[]): KubeObject[] {
  return objects
    .map((obj, i) => ({ obj, i }))
    .sort((a, b) => rank(a.obj) - rank(b.obj) || a.i - b.i)
    .map((e) => e.obj);
}
