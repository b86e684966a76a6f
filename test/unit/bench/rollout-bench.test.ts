import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controllerWrites } from '../../../bench/support/controller-writes.js';
import { sumSamples, writesByLabels } from '../../../bench/support/metrics-text.js';
import { compare } from '../../../bench/support/rollout-report.js';
import type { ScenarioResult } from '../../../bench/support/rollout-scenario.js';
import { percentile } from '../../../bench/support/rollout-watch.js';

describe('rollout bench arithmetic', () => {
  it('attributes API writes to the controller by kind and subtracts the bench’s own patches', () => {
    const api = {
      total: 0,
      byResource: [
        { what: 'PUT rollouts/status', count: 30, meanMs: 1 },
        { what: 'PATCH rollouts/status', count: 10, meanMs: 1 },
        { what: 'PATCH rollouts', count: 12, meanMs: 1 },
        { what: 'PUT replicasets/status', count: 99, meanMs: 1 },
        { what: 'POST replicasets', count: 10, meanMs: 1 },
        { what: 'PUT replicasets', count: 20, meanMs: 1 },
        { what: 'POST events', count: 500, meanMs: 1 },
      ],
    };
    const w = controllerWrites(api, { total: 40 }, 10, 3, 10);
    assert.deepEqual(w.byKind, {
      'rollout status': 40,
      'rollout spec/metadata': 2,
      'ReplicaSet create': 10,
      'ReplicaSet update/patch': 20,
      Events: 40,
    });
    assert.equal(w.total, 112);
    assert.equal(w.perRolloutStep['rollout status'], 1.33);
    assert.equal(w.perRolloutStepTotal, 3.73);
  });

  it('reads counters from Prometheus text, write verbs only', () => {
    const before =
      'x_total{verb="Patch",kind="a"} 2\nx_total{verb="Get",kind="a"} 5\nrollout_reconcile_count{name="r0"} 3\n';
    const after =
      'x_total{verb="Patch",kind="a"} 7\nx_total{verb="Get",kind="a"} 50\nx_total{verb="Create",kind="b"} 1\nrollout_reconcile_count{name="r0"} 4\nrollout_reconcile_count{name="r1"} 2\n';
    assert.deepEqual(writesByLabels(before, after, 'x_total', ['verb']), { Patch: 5, Create: 1 });
    assert.equal(
      sumSamples(after, 'rollout_reconcile_count') - sumSamples(before, 'rollout_reconcile_count'),
      3,
    );
  });

  it('compares the medians over rounds', () => {
    const run = (implementation: 'slipway' | 'argo', ms: number): ScenarioResult => ({
      implementation,
      label: implementation,
      n: 1,
      replicas: 2,
      load: { start: [], end: [] },
      createToAllHealthyMs: ms,
      peakRssMiB: 100,
      cpuSeconds: 1,
      watchRestarts: {},
    });
    const rows = compare([run('slipway', 1000), run('argo', 4000), run('slipway', 3000), run('argo', 4000)]);
    const created = rows.find((r) => r.metric.startsWith('created'));
    assert.deepEqual(created, {
      metric: 'created → all Healthy (s)',
      slipway: [1, 3],
      argo: [4, 4],
      ratio: 0.5,
    });
    assert.equal(percentile([5, 1, 3], 50), 3);
    assert.equal(percentile([], 99), 0);
  });
});
