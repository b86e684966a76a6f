import type { ReconcileRequest, StatusWriter } from '../core/index.js';
import type { KubeObject, Reflector } from '../kube/index.js';

/** fluxcd/pkg apis/meta ReconcileRequestAnnotation: `flux reconcile` sets it to ask for a run now. */
export const RECONCILE_REQUEST_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';

/** A Flux object: any kind whose spec may be suspended. */
export interface SuspendableObject extends KubeObject {
  readonly spec: { readonly suspend?: boolean };
}

/**
 * How a Flux reconcile finds its object: `gone` (no longer in the cache: the status writer has
 * forgotten it), `deleting` (a deletionTimestamp, whatever `suspend` says), `suspended`, or
 * `active`. `obj` is the status writer's fresher copy when it holds one (read-your-writes), `cached`
 * the informer's (what `withFluxFinalizer` remembers the write against).
 */
export type CurrentFluxObject<T> =
  | { readonly state: 'gone' }
  | { readonly state: 'deleting' | 'suspended'; readonly obj: T }
  | { readonly state: 'active'; readonly obj: T; readonly cached: T };

/**
 * The opening step every Flux reconciler shares: read the cached object of `kind`, forget it on a
 * miss, take the writer's fresher copy and tell deletion (checked first) and suspension apart. What
 * each state means is the reconciler's own (a finalizer to release, a tag store to empty, nothing).
 */
export function currentFluxObject<T extends SuspendableObject>(
  objects: Reflector<T>,
  writer: StatusWriter,
  kind: string,
  req: ReconcileRequest,
): CurrentFluxObject<T> {
  const cached = objects.store.get(req.key);
  if (!cached) {
    writer.forget(kind, req.namespace, req.name);
    return { state: 'gone' };
  }
  const obj = writer.fresher(kind, cached) ?? cached;
  if (obj.metadata.deletionTimestamp) return { state: 'deleting', obj };
  if (obj.spec.suspend) return { state: 'suspended', obj };
  return { state: 'active', obj, cached };
}

/**
 * `status.lastHandledReconcileAt` for the `flux reconcile` request the object carries (the
 * `reconcile.fluxcd.io/requestedAt` annotation), spread into the status a reconcile writes; empty
 * when there is none.
 */
export function handledReconcileRequest(obj: KubeObject): { readonly lastHandledReconcileAt?: string } {
  const requested = obj.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
  return requested !== undefined ? { lastHandledReconcileAt: requested } : {};
}
