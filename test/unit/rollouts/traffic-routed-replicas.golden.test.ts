/**
 * Traffic-routed canary replica math against Argo Rollouts' own table tests
 * (test/golden/rollouts/traffic-routed-replicas.json), plus the Rollout → input reading.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  calculateTrafficRoutedCanaryReplicas,
  canaryReplicasOrWeight,
  type ReplicaSet,
  type Rollout,
  type TrafficRoutedCanaryInput,
  targetTrafficRoutedReplicas,
  trafficRoutedReplicaInput,
} from '../../../src/rollouts/index.js';

const goldenPath = fileURLToPath(
  new URL('../../golden/rollouts/traffic-routed-replicas.json', import.meta.url),
);

interface GoldenCase {
  readonly name: string;
  readonly test: string;
  readonly kind: 'replicas' | 'replicasOrWeight';
  readonly input: TrafficRoutedCanaryInput;
  readonly expected: Record<string, number>;
}

const golden: { readonly cases: readonly GoldenCase[] } = JSON.parse(readFileSync(goldenPath, 'utf8'));

describe('traffic-routed-replicas.json (Argo canary_test.go tables)', () => {
  for (const c of golden.cases) {
    it(`[${c.test}] ${c.name}`, () => {
      if (c.kind === 'replicas') {
        assert.deepEqual(calculateTrafficRoutedCanaryReplicas(c.input), c.expected);
      } else {
        assert.deepEqual({ ...canaryReplicasOrWeight(c.input) }, c.expected);
      }
    });
  }
  it('holds every traffic-routed row of Argo’s tables', () => {
    const count = (test: string) => golden.cases.filter((c) => c.test === test).length;
    assert.equal(count('TestCalculateReplicaCountsForCanary'), 7);
    assert.equal(count('TestCalculateReplicaCountsForCanaryTrafficRouting'), 1);
    assert.equal(count('TestCalculateReplicaCountsForCanaryTrafficRoutingDynamicScale'), 8);
    assert.equal(count('TestGetCanaryReplicasOrWeight'), 4);
  });
});

const rs = (name: string, replicas: number, available: number): ReplicaSet =>
  ({
    metadata: { name, labels: { 'rollouts-pod-template-hash': name } },
    spec: { replicas },
    status: { availableReplicas: available },
  }) as unknown as ReplicaSet;

const rollout = (canary: object, status: object): Rollout =>
  ({
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 10, strategy: { canary } },
    status,
  }) as Rollout;

describe('reading a Rollout into the traffic-routed input', () => {
  it('sizes the canary from the setWeight in effect and keeps the stable full', () => {
    const r = rollout(
      {
        trafficRouting: { istio: { virtualService: { name: 'vs' } } },
        steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 30 }],
      },
      { currentStepIndex: 1, stableRS: 'stable', currentPodHash: 'canary' },
    );
    assert.deepEqual(targetTrafficRoutedReplicas(r, {}), { canary: 1, stable: 10 });
  });

  it('uses the nearest setCanaryScale and maxTrafficWeight', () => {
    const r = rollout(
      {
        trafficRouting: { nginx: { stableIngress: 'web' }, maxTrafficWeight: 1000 },
        steps: [{ setCanaryScale: { weight: 250 } }, { setWeight: 100 }, { pause: {} }],
      },
      { currentStepIndex: 2, stableRS: 'stable', currentPodHash: 'canary' },
    );
    const input = trafficRoutedReplicaInput(r, {});
    assert.equal(input.weight, 100);
    assert.deepEqual(input.setCanaryScale, { weight: 250 });
    assert.deepEqual(targetTrafficRoutedReplicas(r, {}), { canary: 3, stable: 10 });
  });

  it('after the last step the canary takes the whole maxTrafficWeight', () => {
    const r = rollout(
      {
        trafficRouting: { nginx: { stableIngress: 'web' }, maxTrafficWeight: 1000 },
        steps: [{ setWeight: 100 }],
      },
      { currentStepIndex: 1, stableRS: 'stable', currentPodHash: 'canary' },
    );
    assert.deepEqual(targetTrafficRoutedReplicas(r, {}), { canary: 10, stable: 10 });
  });

  it('aborted with dynamicStableScale steps the canary down as the stable becomes available', () => {
    const r = rollout(
      {
        trafficRouting: { istio: { virtualService: { name: 'vs' } } },
        dynamicStableScale: true,
        steps: [{ setWeight: 20 }, { setWeight: 60 }],
      },
      {
        abort: true,
        currentStepIndex: 1,
        stableRS: 'stable',
        currentPodHash: 'canary',
        canary: { weights: { canary: { weight: 60 }, stable: { weight: 40 } } },
      },
    );
    const sets = { newRS: rs('canary', 6, 6), stableRS: rs('stable', 4, 4) };
    assert.deepEqual(targetTrafficRoutedReplicas(r, sets), { canary: 6, stable: 8 });
  });
});
