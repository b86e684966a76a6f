// Rollout-level Istio with dynamicStableScale: the stable ReplicaSet shrinks as the canary takes traffic,
// and on abort grows back while the weight returns to stable (never more weight on the stable than its pods
// carry), before the canary is scaled down.
import assert from 'node:assert/strict';
import { VIRTUAL_SERVICE } from '../../src/rollouts/traffic/istio/index.js';
import { createIstioObjects, primaryWeights, VS_NAME } from '../support/traffic/istio-objects.js';
import { describeRoutedCanary, replicaSizes } from '../support/traffic/routed-canary.js';

describeRoutedCanary({
  title: 'rollouts: an Istio canary with dynamicStableScale',
  prefix: 'ro-istio-dyn',
  crds: ['virtualservices.networking.istio.io'],
  kinds: [VIRTUAL_SERVICE],
  routed: { kind: 'VirtualService', name: VS_NAME, read: primaryWeights('host') },
  setup: (client, namespace) => createIstioObjects(client, namespace, 'host'),
  canary: () => ({
    dynamicStableScale: true,
    trafficRouting: { istio: { virtualService: { name: VS_NAME, routes: ['primary'] } } },
  }),
  replicas: 10,
  async atPause(m, index) {
    assert.deepEqual(
      replicaSizes(m),
      index === 1 ? { stable: 8, canary: 2 } : { stable: 5, canary: 5 },
      `ReplicaSet sizes at step ${index}`,
    );
  },
  async afterAbort(m) {
    assert.equal(replicaSizes(m).stable, 10, 'the stable is back at full size');
  },
});
