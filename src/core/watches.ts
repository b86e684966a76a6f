import { type KubeObject, objectKey, type Reflector } from '../kube/index.js';
import type { Controller } from './controller.js';

/**
 * Enqueues the object's own key on every change (the controller's primary kind), or on the changes `filter`
 * lets through (default: all).
 */
export function enqueueSelf<T extends KubeObject>(
  reflector: Reflector<T>,
  controller: Controller,
  filter?: ChangeFilter<T>,
): void {
  controller.addKeySource(() => reflector.store.list().map(objectKey));
  reflector.onChange((current, previous) => {
    if (filter !== undefined && !filter(current, previous)) return;
    const obj = current ?? previous;
    if (obj) controller.enqueue(objectKey(obj));
  });
}

/** The key of an object's controlling owner of kind `ownerKind`, if it has one. */
export function controllerKeyOf(obj: KubeObject, ownerKind: string): string | undefined {
  const owner = obj.metadata.ownerReferences?.find((r) => r.controller && r.kind === ownerKind);
  if (!owner) return undefined;
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${owner.name}` : owner.name;
}

/**
 * Enqueues the controlling owner of kind `ownerKind` (a ReplicaSet change enqueues its Rollout), for the
 * changes `filter` lets through (default: all).
 */
export function enqueueOwner<T extends KubeObject>(
  reflector: Reflector<T>,
  controller: Controller,
  ownerKind: string,
  filter?: ChangeFilter<T>,
): void {
  enqueueMapped(
    reflector,
    controller,
    (obj) => {
      const key = controllerKeyOf(obj, ownerKind);
      return key === undefined ? [] : [key];
    },
    filter,
  );
}

/** Decides whether a change is worth a reconcile (e.g. ignore status-only updates). */
export type ChangeFilter<T extends KubeObject> = (current: T | undefined, previous: T | undefined) => boolean;

/**
 * A change worth reconciling the object itself for: it appeared or went, its spec changed
 * (`generation`), its deletion started, or its annotations changed (a `flux reconcile` /
 * `argocd.argoproj.io/refresh` style request). Our own status writes pass none of these. Flux's
 * `GenerationChangedPredicate` with `ReconcileRequestedPredicate`, plus deletion.
 */
export function specOrRequestChanged(
  current: KubeObject | undefined,
  previous: KubeObject | undefined,
): boolean {
  if (!current || !previous) return true;
  return (
    current.metadata.generation !== previous.metadata.generation ||
    current.metadata.deletionTimestamp !== previous.metadata.deletionTimestamp ||
    JSON.stringify(current.metadata.annotations ?? {}) !== JSON.stringify(previous.metadata.annotations ?? {})
  );
}

/**
 * Enqueues whatever keys `map` returns for the changed object (old and new versions both), for the
 * changes `filter` lets through (default: all).
 */
export function enqueueMapped<T extends KubeObject>(
  reflector: Reflector<T>,
  controller: Controller,
  map: (obj: T) => readonly string[],
  filter?: ChangeFilter<T>,
): void {
  reflector.onChange((current, previous) => {
    if (filter !== undefined && !filter(current, previous)) return;
    const keys = new Set<string>();
    if (current) for (const k of map(current)) keys.add(k);
    if (previous && previous !== current) for (const k of map(previous)) keys.add(k);
    for (const k of keys) controller.enqueue(k);
  });
}
