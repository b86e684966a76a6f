import type { GroupVersionKind, KubeClient } from '../../src/kube/index.js';
import { eventually } from './kube.js';

/**
 * Waits until discovery knows a kind whose CRD was just installed (a list of it answers): a CRD is
 * Established a moment before the API server serves its kind.
 */
export async function waitForKind(client: KubeClient, gvk: GroupVersionKind): Promise<void> {
  await eventually(
    `${gvk.kind} ${gvk.apiVersion} in discovery`,
    async () => {
      client.discovery.invalidate();
      await client.list(gvk, { limit: 1 });
      return true;
    },
    60_000,
    500,
  );
}
