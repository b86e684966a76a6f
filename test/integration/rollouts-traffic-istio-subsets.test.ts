// Rollout-level Istio DestinationRule subset-level splitting: the VirtualService splits one host between the
// `stable` and `canary` subsets, the Rollout points each subset at its ReplicaSet's pod-template hash (no
// Services, so the switch waits for the ReplicaSet to be fully available, as Argo) and moves the weights.
import assert from 'node:assert/strict';
import { DESTINATION_RULE, VIRTUAL_SERVICE } from '../../src/rollouts/traffic/istio/index.js';
import { eventRecorded } from '../support/fixtures/rollout-scenario.js';
import {
  createIstioObjects,
  DR_NAME,
  primaryWeights,
  subsetHashes,
  VS_NAME,
} from '../support/traffic/istio-objects.js';
import { describeRoutedCanary, ROUTED_ROLLOUT } from '../support/traffic/routed-canary.js';

describeRoutedCanary({
  title: 'rollouts: a canary split between Istio DestinationRule subsets',
  prefix: 'ro-istio-dr',
  crds: ['virtualservices.networking.istio.io', 'destinationrules.networking.istio.io'],
  kinds: [VIRTUAL_SERVICE, DESTINATION_RULE],
  routed: { kind: 'VirtualService', name: VS_NAME, read: primaryWeights('subset') },
  setup: (client, namespace) => createIstioObjects(client, namespace, 'subset'),
  canary: () => ({
    // subset-level only: no Services
    canaryService: undefined,
    stableService: undefined,
    trafficRouting: {
      istio: {
        virtualService: { name: VS_NAME, routes: ['primary'] },
        destinationRule: { name: DR_NAME, canarySubsetName: 'canary', stableSubsetName: 'stable' },
      },
    },
  }),
  // another hand sets the VirtualService to 50/50 at 20%: the Rollout puts its weights back
  trace: ['80/20', '50/50', '80/20', '50/50', '100/0'],
  async externalEdit(client, namespace) {
    await client.patch(
      { ...VIRTUAL_SERVICE, namespace, name: VS_NAME },
      [
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 },
      ],
      { type: 'json' },
    );
  },
  async atPause(m) {
    const { stableRS, currentPodHash } = m.rollout.status ?? {};
    assert.deepEqual(await subsetHashes(m.client, m.namespace), { stable: stableRS, canary: currentPodHash });
    // the router reports its change as Argo does
    const updated = `UpdatedDestinationRule: DestinationRule ${DR_NAME} subset updated (canary: ${currentPodHash}, stable: ${stableRS})`;
    await eventRecorded(
      m.client,
      m.namespace,
      ROUTED_ROLLOUT,
      'UpdatedDestinationRule',
      (e) => e === updated,
    );
  },
  async afterPromotion(m) {
    const stable = m.rollout.status?.stableRS;
    assert.deepEqual(await subsetHashes(m.client, m.namespace), { stable, canary: stable });
  },
  async afterAbort(m) {
    assert.equal((await subsetHashes(m.client, m.namespace)).stable, m.rollout.status?.stableRS);
  },
});
