import { isForbidden, type KubeClient } from '../../kube/index.js';
import type { ResourceManager } from '../apply/index.js';
import type { Application } from '../types.js';
import type { LiveState } from './live-state.js';

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const BACKGROUND_FINALIZER = 'resources-finalizer.argocd.argoproj.io/background';

/**
 * Cascading deletion, as Argo CD's resources finalizer: delete every object the app tracks, then
 * drop the finalizer. Returns true while objects are still going away.
 */
export async function finalizeApp(
  client: KubeClient,
  app: Application,
  live: LiveState,
  rm: ResourceManager,
): Promise<boolean> {
  const finalizers = app.metadata.finalizers ?? [];
  const index = finalizers.findIndex((f) => f === RESOURCES_FINALIZER || f === BACKGROUND_FINALIZER);
  if (index < 0) return false;
  for (const r of app.status?.resources ?? []) {
    await live
      .ensure({ apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind })
      .catch((err: unknown) => {
        // never drop the finalizer over objects we may not see
        if (isForbidden(err)) throw err;
      });
  }
  const remaining = live
    .trackedBy(app.metadata.name ?? '')
    .filter((o) => !o.metadata.ownerReferences?.some((x) => x.controller));
  if (remaining.length > 0) {
    const policy = finalizers[index] === BACKGROUND_FINALIZER ? 'Background' : 'Foreground';
    for (const o of remaining) if (!o.metadata.deletionTimestamp) await rm.delete(o, policy);
    return true;
  }
  await removeResourcesFinalizer(client, app);
  return false;
}

/** Drops the resources finalizer (a test-and-remove JSON patch, so a concurrent edit is not lost). */
export async function removeResourcesFinalizer(client: KubeClient, app: Application): Promise<void> {
  const finalizers = app.metadata.finalizers ?? [];
  const index = finalizers.findIndex((f) => f === RESOURCES_FINALIZER || f === BACKGROUND_FINALIZER);
  if (index < 0) return;
  await client.patch(
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      namespace: app.metadata.namespace ?? '',
      name: app.metadata.name ?? '',
    },
    [
      { op: 'test', path: `/metadata/finalizers/${index}`, value: finalizers[index] },
      { op: 'remove', path: `/metadata/finalizers/${index}` },
    ],
    { type: 'json' },
  );
}
