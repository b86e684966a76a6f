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
