import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicaSet } from '../../../src/rollouts/index.js';
import {
  firstRevisionOf,
  isOlderReplicaSet,
  revisionAnnotations,
} from '../../../src/rollouts/replica-sets/revision-history.js';

const rs = (created: string, revision: string, history?: string): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `rs-${revision}`,
    creationTimestamp: created,
    annotations: {
      'rollout.argoproj.io/revision': revision,
      ...(history !== undefined && { 'rollout.argoproj.io/revision-history': history }),
    },
  },
});

describe('ReplicaSet revision history', () => {
  it('orders by creation time first, as Argo does', () => {
    assert.equal(isOlderReplicaSet(rs('2026-01-01T00:00:00Z', '3'), rs('2026-01-01T00:00:01Z', '2')), true);
    assert.equal(isOlderReplicaSet(rs('2026-01-01T00:00:01Z', '1'), rs('2026-01-01T00:00:00Z', '2')), false);
  });

  it('breaks a same-second tie by the first revision served', () => {
    const rolledBack = rs('2026-01-01T00:00:00Z', '3', '1');
    const stable = rs('2026-01-01T00:00:00Z', '2');
    assert.equal(firstRevisionOf(rolledBack), 1);
    assert.equal(isOlderReplicaSet(rolledBack, stable), true);
    assert.equal(isOlderReplicaSet(stable, rolledBack), false);
    assert.equal(isOlderReplicaSet(stable, stable), false);
  });

  it("moving to a newer revision keeps the old one in Argo's revision-history annotation", () => {
    assert.deepEqual(revisionAnnotations(rs('2026-01-01T00:00:00Z', '1'), 3), {
      'rollout.argoproj.io/revision': '3',
      'rollout.argoproj.io/revision-history': '1',
    });
    assert.deepEqual(revisionAnnotations(rs('2026-01-01T00:00:00Z', '3', '1'), 5), {
      'rollout.argoproj.io/revision': '5',
      'rollout.argoproj.io/revision-history': '1,3',
    });
    assert.deepEqual(revisionAnnotations(rs('2026-01-01T00:00:00Z', '5'), 5), {});
  });
});
