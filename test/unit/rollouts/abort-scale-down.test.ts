import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  abortScaleDownDelaySeconds,
  planAbortedCanaryScaleDown,
  planScaling,
  type ReplicaSet,
  type Rollout,
  SCALE_DOWN_DEADLINE_ANNOTATION,
} from '../../../src/rollouts/index.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

const rs = (hash: string, replicas: number, deadline?: string): ReplicaSet => ({
  metadata: {
    name: `web-${hash}`,
    labels: { 'rollouts-pod-template-hash': hash },
    ...(deadline && { annotations: { [SCALE_DOWN_DEADLINE_ANNOTATION]: deadline } }),
  },
  spec: { replicas },
  status: { replicas, availableReplicas: replicas },
});

const rolloutOf = (canary: Record<string, unknown>, abort: boolean): Rollout =>
  ({
    metadata: { name: 'web', generation: 2 },
    spec: {
      replicas: 10,
      strategy: {
        canary: {
          canaryService: 'c',
          stableService: 's',
          trafficRouting: { istio: { virtualService: { name: 'vs' } } },
          steps: [{ setWeight: 30 }, { pause: {} }],
          ...canary,
        },
      },
    },
    status: { abort, stableRS: 'old', currentPodHash: 'new', currentStepIndex: 0 },
  }) as Rollout;

describe("the aborted traffic-routed canary's scale-down delay (Argo's abortScaleDownDelaySeconds)", () => {
  it('applies as Argo: traffic routing, aborted, 30 s by default, 0 or dynamicStableScale turn it off', () => {
    assert.equal(abortScaleDownDelaySeconds(rolloutOf({}, true)), 30);
    assert.equal(abortScaleDownDelaySeconds(rolloutOf({ abortScaleDownDelaySeconds: 5 }, true)), 5);
    assert.equal(abortScaleDownDelaySeconds(rolloutOf({ abortScaleDownDelaySeconds: 0 }, true)), undefined);
    assert.equal(abortScaleDownDelaySeconds(rolloutOf({ dynamicStableScale: true }, true)), undefined);
    assert.equal(
      abortScaleDownDelaySeconds(
        rolloutOf({ dynamicStableScale: true, abortScaleDownDelaySeconds: 7 }, true),
      ),
      7,
    );
    assert.equal(abortScaleDownDelaySeconds(rolloutOf({}, false)), undefined);
    assert.equal(abortScaleDownDelaySeconds(rolloutOf({ trafficRouting: undefined }, true)), undefined);
  });

  it('writes the deadline once stable carries everything, holds until it passes, then scales down', () => {
    const rollout = rolloutOf({}, true);
    const sets = (canary: ReplicaSet, stable: ReplicaSet) => ({
      newRS: canary,
      stableRS: stable,
      olderRSs: [],
    });

    // stable not yet back at 10: hold, no deadline
    assert.deepEqual(planAbortedCanaryScaleDown(rollout, sets(rs('new', 3), rs('old', 7)), NOW), {
      kind: 'hold',
    });
    // stable at 10: the deadline 30 s ahead, no scale-down
    const annotate = planScaling(rollout, sets(rs('new', 3), rs('old', 10)), 0, false, NOW);
    assert.deepEqual(
      annotate.map((i) => [i.role, i.from, i.to, i.scaleDownDeadline]),
      [['canary', 3, 3, '2026-01-01T00:00:30Z']],
    );
    // before the deadline: nothing; after it: scale to 0
    const held = sets(rs('new', 3, '2026-01-01T00:00:30Z'), rs('old', 10));
    assert.deepEqual(planScaling(rollout, held, 0, false, NOW + 10_000), []);
    assert.deepEqual(planAbortedCanaryScaleDown(rollout, held, NOW + 10_000), {
      kind: 'hold',
      wakeAt: NOW + 30_000,
    });
    assert.deepEqual(
      planScaling(rollout, held, 0, false, NOW + 30_000).map((i) => [i.role, i.from, i.to]),
      [['canary', 3, 0]],
    );
    // an unreadable deadline scales down at once, as Argo does
    const unreadable = sets(rs('new', 3, 'soon'), rs('old', 10));
    assert.deepEqual(planAbortedCanaryScaleDown(rollout, unreadable, NOW), { kind: 'scale' });
  });

  it('without an abort a leftover deadline is removed (retry), in the same patch as a scale-up', () => {
    const rollout = rolloutOf({}, false);
    const intents = planScaling(
      rollout,
      { newRS: rs('new', 0, '2026-01-01T00:00:30Z'), stableRS: rs('old', 10), olderRSs: [] },
      30,
      false,
      NOW,
    );
    const canary = intents.find((i) => i.role === 'canary');
    assert.equal(canary?.scaleDownDeadline, null);
    assert.ok((canary?.to ?? 0) > 0, 'the canary scales up again');
  });
});
