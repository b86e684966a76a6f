import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ConfigSourceOptions,
  configNamespaces,
  notificationKinds,
} from '../../../src/notifications/index.js';

const base: ConfigSourceOptions = {
  controllerNamespace: (kind) => (kind.variable === 'app' ? 'argocd' : 'argo-rollouts'),
  kinds: Object.values(notificationKinds),
  serviceDefaults: {},
};

describe('notification config namespaces (what deploy/rbac.yaml must grant)', () => {
  it('reads only the controller namespaces by default, even when watching all namespaces', () => {
    assert.deepEqual(configNamespaces(base), ['argocd', 'argo-rollouts']);
    assert.deepEqual(configNamespaces({ ...base, watchNamespace: 'team-a' }), ['argocd', 'argo-rollouts']);
  });

  it('self-service adds the objects namespaces: every one (cluster-wide, by name) or the watched one', () => {
    assert.deepEqual(configNamespaces({ ...base, selfService: true }), [undefined]);
    assert.deepEqual(configNamespaces({ ...base, selfService: true, watchNamespace: 'team-a' }), [
      'team-a',
      'argocd',
      'argo-rollouts',
    ]);
  });
});
