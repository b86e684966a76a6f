import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ConfigSourceOptions,
  type ConfigWatch,
  configWatches,
  notificationKinds,
} from '../../../src/notifications/index.js';

const base: ConfigSourceOptions = {
  controllerNamespace: (kind) => kind.upstreamNamespace,
  kinds: Object.values(notificationKinds),
  serviceDefaults: {},
};

const argocd: ConfigWatch = {
  namespace: 'argocd',
  configMapName: 'argocd-notifications-cm',
  secretName: 'argocd-notifications-secret',
};
const rollouts: ConfigWatch = {
  namespace: 'argo-rollouts',
  configMapName: 'argo-rollouts-notification-configmap',
  secretName: 'argo-rollouts-notification-secret',
};
const sorted = (w: readonly ConfigWatch[]) =>
  [...w].sort((a, b) =>
    `${a.namespace}|${a.configMapName}`.localeCompare(`${b.namespace}|${b.configMapName}`),
  );

describe('notification config watches (what deploy/rbac.yaml must grant)', () => {
  it('reads only the controller namespaces by default, each with its own kind names (the Roles name exactly these)', () => {
    assert.deepEqual(sorted(configWatches(base)), sorted([argocd, rollouts]));
    assert.deepEqual(
      sorted(configWatches({ ...base, watchNamespace: 'team-a' })),
      sorted([argocd, rollouts]),
    );
  });

  it('one shared namespace for both kinds watches both names there', () => {
    const shared = configWatches({ ...base, controllerNamespace: () => 'slipway-system' });
    assert.deepEqual(
      sorted(shared),
      sorted([
        { ...argocd, namespace: 'slipway-system' },
        { ...rollouts, namespace: 'slipway-system' },
      ]),
    );
  });

  it('self-service adds the objects namespaces: every one (cluster-wide, by name) or the watched one', () => {
    assert.deepEqual(
      sorted(configWatches({ ...base, selfService: true })),
      sorted([
        { ...argocd, namespace: undefined },
        { ...rollouts, namespace: undefined },
      ]),
    );
    assert.deepEqual(
      sorted(configWatches({ ...base, selfService: true, watchNamespace: 'team-a' })),
      sorted([argocd, rollouts, { ...argocd, namespace: 'team-a' }, { ...rollouts, namespace: 'team-a' }]),
    );
  });
});
