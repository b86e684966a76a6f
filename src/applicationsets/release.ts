/**
 * create-only / create-update: a deleted ApplicationSet leaves its Applications, with its owner
 * reference and its RollingSync auto-sync hold removed (a released Application auto-syncs again).
 */
import { isNotFound, type KubeClient } from '../kube/index.js';
import { type Application, AUTO_SYNC_HOLD_ANNOTATION } from '../sync/index.js';

const APP = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;

export async function releaseApplications(
  client: KubeClient,
  apps: readonly Application[],
  fieldManager: string,
): Promise<void> {
  for (const app of apps) {
    const refs = app.metadata.ownerReferences ?? [];
    await client
      .patch(
        { ...APP, namespace: app.metadata.namespace ?? '', name: app.metadata.name ?? '' },
        [
          { op: 'test', path: '/metadata/resourceVersion', value: app.metadata.resourceVersion },
          {
            op: 'replace',
            path: '/metadata/ownerReferences',
            value: refs.filter((r) => r.kind !== 'ApplicationSet'),
          },
          // a released Application is no longer held for a RollingSync
          ...(app.metadata.annotations?.[AUTO_SYNC_HOLD_ANNOTATION] !== undefined
            ? [
                {
                  op: 'remove',
                  path: `/metadata/annotations/${AUTO_SYNC_HOLD_ANNOTATION.replace('/', '~1')}`,
                },
              ]
            : []),
        ],
        { type: 'json', fieldManager },
      )
      .catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
  }
}
