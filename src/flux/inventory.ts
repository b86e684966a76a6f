import { groupOf, type KubeObject, versionOf } from '../kube/index.js';
import type { ResourceRef } from './types.js';

/** One object of an inventory, parsed back from its id. */
export interface InventoryObject {
  readonly namespace: string;
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
}

/**
 * cli-utils' ObjMetadata string, the id Flux keeps in `status.inventory.entries[].id`:
 * `<namespace>_<name>_<group>_<kind>`, with `:` in names (RBAC) written `__`.
 */
export function inventoryId(o: {
  readonly namespace: string;
  readonly name: string;
  readonly group: string;
  readonly kind: string;
}): string {
  return `${o.namespace}_${o.name.replaceAll(':', '__')}_${o.group}_${o.kind}`;
}

/** The inventory entry of an applied object. */
export function inventoryEntry(obj: KubeObject): ResourceRef {
  return {
    id: inventoryId({
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
      group: groupOf(obj.apiVersion),
      kind: obj.kind ?? '',
    }),
    v: versionOf(obj.apiVersion),
  };
}

/** Parses an entry back (cli-utils ParseObjMetadata); undefined for a malformed id. */
export function parseInventoryEntry(entry: ResourceRef): InventoryObject | undefined {
  // the namespace and group hold no `_`; the name may hold `__` (a `:`)
  const first = entry.id.indexOf('_');
  const last = entry.id.lastIndexOf('_');
  const beforeLast = entry.id.lastIndexOf('_', last - 1);
  if (first < 0 || beforeLast <= first) return undefined;
  const kind = entry.id.slice(last + 1);
  if (kind === '') return undefined;
  return {
    namespace: entry.id.slice(0, first),
    name: entry.id.slice(first + 1, beforeLast).replaceAll('__', ':'),
    group: entry.id.slice(beforeLast + 1, last),
    kind,
    version: entry.v,
  };
}

/** Entries of `previous` that `next` no longer holds: what prune deletes (in reverse apply order). */
export function staleEntries(
  previous: readonly ResourceRef[] | undefined,
  next: readonly ResourceRef[],
): ResourceRef[] {
  const keep = new Set(next.map((e) => e.id));
  return (previous ?? []).filter((e) => !keep.has(e.id)).reverse();
}

/** The apiVersion of an inventory object (`v1` for the core group). */
export function inventoryApiVersion(o: InventoryObject): string {
  return o.group === '' ? o.version : `${o.group}/${o.version}`;
}
