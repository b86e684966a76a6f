// Rollout-level Istio with setCanaryScale and a managed setMirrorRoute: the canary's size follows
// setCanaryScale (explicit replicas, then matchTrafficWeight) rather than the weight, the stable stays at
// full size, and the mirror route is in the VirtualService while the update runs, removed at the end and
// on abort.
import assert from 'node:assert/strict';
import { VIRTUAL_SERVICE } from '../../src/rollouts/traffic/istio/index.js';
import {
  createIstioObjects,
  getVirtualService,
  httpRoutesOf,
  primaryWeights,
  VS_NAME,
} from '../support/traffic/istio-objects.js';
import { describeRoutedCanary, type RoutedMoment, replicaSizes } from '../support/traffic/routed-canary.js';

const mirrorRoute = async (m: RoutedMoment) =>
  httpRoutesOf(await getVirtualService(m.client, m.namespace)).find((r) => r.name === 'mirror');

describeRoutedCanary({
  title: 'rollouts: an Istio canary with setCanaryScale and a managed mirror route',
  prefix: 'ro-istio-scale',
  crds: ['virtualservices.networking.istio.io'],
  kinds: [VIRTUAL_SERVICE],
  routed: { kind: 'VirtualService', name: VS_NAME, read: primaryWeights('host') },
  setup: (client, namespace) => createIstioObjects(client, namespace, 'host'),
  canary: () => ({
    trafficRouting: {
      managedRoutes: [{ name: 'mirror' }],
      istio: { virtualService: { name: VS_NAME, routes: ['primary'] } },
    },
  }),
  steps: [
    { setCanaryScale: { replicas: 2 } },
    { setMirrorRoute: { name: 'mirror', percentage: 50, match: [{ method: { exact: 'GET' } }] } },
    { setWeight: 25 },
    { pause: {} },
    { setCanaryScale: { matchTrafficWeight: true } },
    { setWeight: 75 },
    { pause: {} },
  ],
  trace: ['75/25', '25/75', '100/0'],
  async atPause(m, index) {
    const mirror = await mirrorRoute(m);
    assert.ok(mirror, 'the mirror route is in place while the update runs');
    assert.deepEqual(mirror.mirrorPercentage, { value: 50 });
    assert.deepEqual(
      replicaSizes(m),
      index === 3 ? { stable: 4, canary: 2 } : { stable: 4, canary: 3 },
      `ReplicaSet sizes at step ${index}`,
    );
  },
  async afterPromotion(m) {
    assert.equal(await mirrorRoute(m), undefined, 'the mirror route is removed at the end');
  },
  async afterAbort(m) {
    assert.equal(await mirrorRoute(m), undefined, 'the mirror route is removed on abort');
  },
});
