import type { StatusWriter } from '../core/index.js';
import type { KubeClient, KubeObject } from '../kube/index.js';

/** Flux's field manager name for status writes (what `kubectl get --show-managed-fields` shows). */
export const FLUX_FIELD_MANAGER = 'slipway-flux';

/** Writes an object's status subresource once, when it changed, through the shared status writer. */
export async function writeFluxStatus<T extends KubeObject & { readonly status?: unknown }>(
  client: KubeClient,
  writer: StatusWriter,
  current: T,
  status: T['status'],
): Promise<void> {
  await writer.writeStatus<T>({
    current,
    status,
    write: (next) => client.replace<T>(next, { fieldManager: FLUX_FIELD_MANAGER, subresource: 'status' }),
  });
}

/** Flux's finalizer, on every object a Flux controller applies for (cleaned up on deletion). */
export const FLUX_FINALIZER = 'finalizers.fluxcd.io';

/**
 * The object with Flux's finalizer: added first (a JSON patch guarded by the resourceVersion we
 * read, remembered by the status writer so this reconcile goes on from the written copy).
 */
export async function withFluxFinalizer<T extends KubeObject>(
  client: KubeClient,
  writer: StatusWriter,
  kind: { readonly apiVersion: string; readonly kind: string },
  obj: T,
  cached: T,
): Promise<T> {
  if ((obj.metadata.finalizers ?? []).includes(FLUX_FINALIZER)) return obj;
  const written = await client.patch<T>(
    {
      ...kind,
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
    },
    [
      { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
      {
        op: 'add',
        path: '/metadata/finalizers',
        value: [...(obj.metadata.finalizers ?? []), FLUX_FINALIZER],
      },
    ],
    { type: 'json' },
  );
  writer.remember(written, cached);
  return written;
}

/** Releases Flux's finalizer once the object's clean-up is done (guarded by the resourceVersion we read). */
export async function withoutFluxFinalizer(
  client: KubeClient,
  kind: { readonly apiVersion: string; readonly kind: string },
  obj: KubeObject,
): Promise<void> {
  await client.patch(
    { ...kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' },
    [
      { op: 'test', path: '/metadata/resourceVersion', value: obj.metadata.resourceVersion },
      {
        op: 'replace',
        path: '/metadata/finalizers',
        value: (obj.metadata.finalizers ?? []).filter((f) => f !== FLUX_FINALIZER),
      },
    ],
    { type: 'json' },
  );
}
