import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  planRoutedOlderScaleDown,
  type ReplicaSet,
  type Rollout,
  SCALE_DOWN_DEADLINE_ANNOTATION,
} from '../../../src/rollouts/index.js';

// Argo Rollouts' scaleDownOldReplicaSetsForCanary with traffic routing (rollout/canary.go): the previous
// stable keeps its pods for scaleDownDelaySeconds once the Rollout is fully promoted.
const NOW = Date.parse('2026-01-01T00:00:00Z');
const iso = (s: number) => new Date(NOW + s * 1000).toISOString().replace('.000Z', 'Z');

const rs = (hash: string, revision: number, replicas: number, deadline?: string): ReplicaSet => ({
  metadata: {
    name: `web-${hash}`,
    labels: { 'rollouts-pod-template-hash': hash },
    annotations: {
      'rollout.argoproj.io/revision': String(revision),
      ...(deadline !== undefined && { [SCALE_DOWN_DEADLINE_ANNOTATION]: deadline }),
    },
  },
  spec: { replicas },
  status: { replicas, availableReplicas: replicas },
});

const rolloutOf = (canary: Record<string, unknown>, status: Record<string, unknown>): Rollout =>
  ({
    metadata: { name: 'web' },
    spec: {
      replicas: 10,
      strategy: {
        canary: { trafficRouting: { istio: { virtualService: { name: 'vs' } } }, steps: [], ...canary },
      },
    },
    status,
  }) as Rollout;

const promoted = { stableRS: 'v3', currentPodHash: 'v3' };
const plan = (rollout: Rollout, older: ReplicaSet[], services: string[] = []) => {
  const stable = rs('v3', 3, 10);
  const p = planRoutedOlderScaleDown(
    rollout,
    { newRS: stable, stableRS: stable, olderRSs: older },
    NOW,
    new Set(services),
  );
  return {
    ...p,
    summary: p.intents.map(
      (i) => `${i.replicaSet.metadata.name}:${i.to}${i.scaleDownDeadline ? `@${i.scaleDownDeadline}` : ''}`,
    ),
  };
};

describe('older ReplicaSets of a traffic-routed canary (scaleDownDelaySeconds)', () => {
  it('fully promoted: the previous stable keeps its pods under a deadline 30 s ahead, and the Rollout looks again then', () => {
    const p = plan(rolloutOf({}, promoted), [rs('v2', 2, 10)]);
    assert.deepEqual(p.summary, [`web-v2:10@${iso(30)}`]);
    assert.equal(p.requeueAt, Date.parse(iso(30)));
  });

  it('scaleDownDelaySeconds sets the delay; a deadline not reached keeps the pods, a passed one scales to 0', () => {
    assert.deepEqual(plan(rolloutOf({ scaleDownDelaySeconds: 5 }, promoted), [rs('v2', 2, 10)]).summary, [
      `web-v2:10@${iso(5)}`,
    ]);
    const waiting = plan(rolloutOf({}, promoted), [rs('v2', 2, 10, iso(12))]);
    assert.deepEqual(waiting.summary, []);
    assert.equal(waiting.requeueAt, Date.parse(iso(12)));
    assert.deepEqual(plan(rolloutOf({}, promoted), [rs('v2', 2, 10, iso(-1))]).summary, ['web-v2:0']);
  });

  it('scaleDownDelayRevisionLimit: only the newest ones wait, the rest go at once', () => {
    const p = plan(rolloutOf({ scaleDownDelayRevisionLimit: 1 }, promoted), [
      rs('v1', 1, 2),
      rs('v2', 2, 10),
    ]);
    assert.deepEqual(p.summary, [`web-v2:10@${iso(30)}`, 'web-v1:0']);
  });

  it('dynamicStableScale scales the previous stable down at once', () => {
    assert.deepEqual(plan(rolloutOf({ dynamicStableScale: true }, promoted), [rs('v2', 2, 10)]).summary, [
      'web-v2:0',
    ]);
  });

  it('mid-update, an intermediate ReplicaSet without a deadline goes at once; one with a deadline keeps waiting', () => {
    const midUpdate = { stableRS: 'v1', currentPodHash: 'v3' };
    const stable = rs('v1', 1, 10);
    const canary = rs('v3', 3, 0);
    const p = planRoutedOlderScaleDown(
      rolloutOf({}, midUpdate),
      { newRS: canary, stableRS: stable, olderRSs: [rs('v2', 2, 3), rs('v0', 0, 2, iso(20))] },
      NOW,
    );
    assert.deepEqual(
      p.intents.map((i) => `${i.replicaSet.metadata.name}:${i.to}`),
      ['web-v2:0'],
    );
    assert.equal(p.requeueAt, Date.parse(iso(20)));
  });

  it('a ReplicaSet a Service or the weights still point at is left alone', () => {
    assert.deepEqual(plan(rolloutOf({}, promoted), [rs('v2', 2, 10)], ['v2']).summary, []);
    const weighted = {
      ...promoted,
      canary: {
        weights: {
          canary: { weight: 0, podTemplateHash: 'v3' },
          stable: { weight: 100, podTemplateHash: 'v2' },
        },
      },
    };
    assert.deepEqual(plan(rolloutOf({}, weighted), [rs('v2', 2, 10)]).summary, []);
  });

  it('nothing is scaled down while it would take availability below replicas − maxUnavailable', () => {
    const thin = { ...rs('v3', 3, 10), status: { replicas: 10, availableReplicas: 5 } };
    const p = planRoutedOlderScaleDown(
      rolloutOf({}, promoted),
      { newRS: thin, stableRS: thin, olderRSs: [rs('v2', 2, 2, iso(-1))] },
      NOW,
    );
    assert.deepEqual(p.intents, []);
  });
});
