import {
  isConflict,
  isForbidden,
  isInvalid,
  isNotFound,
  type KubeClient,
  KubeError,
  type KubeObject,
} from '../kube/index.js';
import type { ResourceManager } from '../sync/index.js';
import { inventoryApiVersion, inventoryEntry, parseInventoryEntry, staleEntries } from './inventory.js';
import { isApplySkipped, isForceRecreated, isPruneExcluded } from './object-policy.js';
import type { Kustomization, ResourceRef } from './types.js';

/** Flux's ownership labels on every object a Kustomization applies. */
export const NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
export const NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';

export interface ApplyOutcome {
  readonly entries: readonly ResourceRef[];
  /** `Kind/namespace/name action` lines for what changed (Flux's change set event). */
  readonly changes: readonly string[];
  /** The objects as applied (for the health checks of `wait`); skipped ones are not among them. */
  readonly applied: readonly KubeObject[];
}

export interface ApplyObjectsOptions {
  /** Honour kustomize-controller's per-object reconcile/ssa annotations (Kustomizations only). */
  readonly objectPolicy?: boolean;
}

/**
 * fluxcd/pkg ssa's DryRunErr text: `Kind/namespace/name dry-run failed (Reason): message`, with the
 * API server's own message (no object suffix of ours).
 */
function applyFailure(o: KubeObject, err: unknown): string {
  if (err instanceof KubeError) {
    const reason = err.reason ? ` (${err.reason})` : '';
    return `${objectRef(o)} dry-run failed${reason}: ${err.serverMessage ?? err.message}`;
  }
  return `${objectRef(o)} dry-run failed: ${err instanceof Error ? err.message : String(err)}`;
}

export function objectRef(o: { kind?: string; metadata: { namespace?: string; name?: string } }): string {
  const ns = o.metadata.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.kind ?? ''}/${ns}${o.metadata.name ?? ''}`;
}

/** fluxcd/pkg ssa's apply stages: cluster definitions first, then everything else. */
function stage(o: KubeObject): number {
  if (o.kind === 'CustomResourceDefinition') return 0;
  if (o.kind === 'Namespace') return 1;
  if (o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding' || o.kind === 'StorageClass') return 2;
  return 3;
}

async function isNamespaced(client: KubeClient, o: KubeObject, crdScopes: ReadonlyMap<string, string>) {
  try {
    return (await client.discovery.resolve({ apiVersion: o.apiVersion ?? '', kind: o.kind ?? '' }))
      .namespaced;
  } catch (err) {
    const group = (o.apiVersion ?? '').includes('/') ? (o.apiVersion ?? '').split('/')[0] : '';
    const scope = crdScopes.get(`${group}/${o.kind ?? ''}`);
    if (scope !== undefined) return scope === 'Namespaced';
    throw err;
  }
}

/** Who applies a set of objects: the labels (and annotations) marking them as its own. */
export interface ApplyOwner {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Given to namespaced objects without one (Helm's release namespace); absent: they are refused. */
  readonly defaultNamespace?: string;
}

/**
 * Labels the built objects as the owner's and checks their scope: a namespaced object without a
 * namespace gets the owner's default or is refused as Flux refuses it; a cluster-scoped one loses
 * any namespace.
 */
export async function prepareOwnedObjects(
  client: KubeClient,
  owner: ApplyOwner,
  objects: readonly KubeObject[],
): Promise<KubeObject[]> {
  const crdScopes = new Map<string, string>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.spec as { group?: string; names?: { kind?: string }; scope?: string } | undefined;
    if (spec?.names?.kind)
      crdScopes.set(`${spec.group ?? ''}/${spec.names.kind}`, spec.scope ?? 'Namespaced');
  }
  const out: KubeObject[] = [];
  for (const o of objects) {
    const labels = { ...(o.metadata.labels ?? {}), ...owner.labels };
    const annotations = owner.annotations
      ? { annotations: { ...(o.metadata.annotations ?? {}), ...owner.annotations } }
      : {};
    if (await isNamespaced(client, o, crdScopes)) {
      const namespace = o.metadata.namespace || owner.defaultNamespace;
      if (!namespace) throw new Error(`${objectRef(o)} namespace not specified`);
      out.push({ ...o, metadata: { ...o.metadata, namespace, labels, ...annotations } });
    } else {
      const { namespace: _drop, ...metadata } = o.metadata;
      out.push({ ...o, metadata: { ...metadata, labels, ...annotations } });
    }
  }
  return out.sort((a, b) => stage(a) - stage(b));
}

/** prepareOwnedObjects for a Kustomization: Flux's kustomize name and namespace labels. */
export function prepareObjects(
  client: KubeClient,
  k: Kustomization,
  objects: readonly KubeObject[],
): Promise<KubeObject[]> {
  return prepareOwnedObjects(
    client,
    { labels: { [NAME_LABEL]: k.metadata.name ?? '', [NAMESPACE_LABEL]: k.metadata.namespace ?? '' } },
    objects,
  );
}

/**
 * Server-side applies every object through the sync engine's resource manager (Git wins over
 * manual edits: drift is healed on every reconcile). An object whose immutable fields changed is
 * recreated when `force` (or its force annotation, in Git or in the cluster) says so. With
 * `objectPolicy`, objects opted out by their annotations are skipped (kept in the inventory). The
 * client may be an impersonating one: a read it may not do is left to the apply to report.
 */
export async function applyObjects(
  client: KubeClient,
  rm: ResourceManager,
  k: { readonly spec: { readonly force?: boolean } },
  objects: readonly KubeObject[],
  options: ApplyObjectsOptions = {},
): Promise<ApplyOutcome> {
  const changes: string[] = [];
  const applied: KubeObject[] = [];
  const errors: string[] = [];
  for (const o of objects) {
    const live = await client.getIfExists(o).catch((err: unknown) => {
      if (isForbidden(err)) return undefined;
      throw err;
    });
    if (options.objectPolicy && isApplySkipped(o, live)) continue;
    try {
      const c = await rm.apply(o, live);
      if (c.action !== 'unchanged') changes.push(`${objectRef(o)} ${c.action}`);
      applied.push(c.object ?? o);
    } catch (err) {
      const immutable = isInvalid(err) || isConflict(err);
      if (immutable && live && isForceRecreated(k.spec.force, o, live)) {
        await rm.delete(live, 'Background');
        const c = await rm.apply(o, undefined);
        changes.push(`${objectRef(o)} created`);
        applied.push(c.object ?? o);
        continue;
      }
      errors.push(applyFailure(o, err));
    }
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return { entries: objects.map(inventoryEntry), changes, applied };
}

/**
 * Deletes what the previous inventory holds and the new one does not, when the live object still
 * carries this Kustomization's labels and does not opt out of prune. Returns the change lines.
 */
export async function pruneStale(
  client: KubeClient,
  rm: ResourceManager,
  k: KubeObject,
  previous: readonly ResourceRef[] | undefined,
  next: readonly ResourceRef[],
  ownerLabels: { readonly name: string; readonly namespace: string } = {
    name: NAME_LABEL,
    namespace: NAMESPACE_LABEL,
  },
): Promise<string[]> {
  const changes: string[] = [];
  for (const entry of staleEntries(previous, next)) {
    const o = parseInventoryEntry(entry);
    if (!o) continue;
    const ref = {
      apiVersion: inventoryApiVersion(o),
      kind: o.kind,
      metadata: { name: o.name, ...(o.namespace && { namespace: o.namespace }) },
    } satisfies KubeObject;
    const live = await client.getIfExists(ref).catch((err: unknown) => {
      if (isNotFound(err)) return undefined; // the kind is gone
      throw err;
    });
    if (!live) continue;
    const labels = live.metadata.labels ?? {};
    if (
      labels[ownerLabels.name] !== k.metadata.name ||
      labels[ownerLabels.namespace] !== k.metadata.namespace
    )
      continue;
    if (isPruneExcluded(live)) continue;
    const c = await rm.delete(live, 'Background');
    if (c.action === 'deleted') changes.push(`${objectRef(live)} deleted`);
  }
  return changes;
}
