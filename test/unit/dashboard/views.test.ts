import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AnalysisRunLike,
  analysisMetricSamples,
  analysisRunView,
  fleetView,
  rolloutDetail,
  stepTimeline,
} from '../../../src/dashboard/index.js';
import type { Application } from '../../../src/sync/index.js';
import { canaryRollout, T0 } from './fixtures.js';

const app = (name: string, namespace: string, health: string, sync: string) =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace },
    spec: {},
    status: { health: { status: health }, sync: { status: sync, revision: '0123456789abcdef0123' } },
  }) as unknown as Application;

const run = (name: string, ownerUid: string, values: string[] = [], phase = 'Running'): AnalysisRunLike =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name,
      namespace: 'team-a',
      ownerReferences: [{ uid: ownerUid, kind: 'Rollout', name: 'r', apiVersion: 'x' }],
      annotations: { 'rollout.argoproj.io/revision': '2' },
    },
    spec: {
      metrics: [
        {
          name: 'success-rate',
          successCondition: 'result[0] >= 0.95',
          provider: { web: { url: 'https://user:secret@metrics.example/rate?apikey=k3y-value' } },
        },
      ],
      args: [{ name: 'api-key', value: 'do-not-show' }],
    },
    status: {
      phase,
      metricResults: [
        {
          name: 'success-rate',
          phase,
          measurements: values.map((value, i) => ({
            phase: 'Successful',
            value,
            finishedAt: new Date(T0 + i * 1000).toISOString(),
          })),
        },
      ],
    },
  }) as unknown as AnalysisRunLike;

describe('dashboard: fleet view', () => {
  it('lists Rollouts and Applications with phase, step, weight, health and sync, and counts them', () => {
    const paused = canaryRollout('web', 'team-a', {
      currentStepIndex: 1,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-12-06T11:59:00Z' }],
      phase: 'Paused',
      message: 'CanaryPauseStep',
    });
    const view = fleetView([paused], [app('shop', 'argocd', 'Healthy', 'OutOfSync')], () => true);
    assert.deepEqual(
      view.rows.map((r) => [r.kind, r.namespace, r.name, r.status, r.sync, r.step, r.weight, r.revision]),
      [
        ['Application', 'argocd', 'shop', 'Healthy', 'OutOfSync', '', undefined, '0123456789ab'],
        ['Rollout', 'team-a', 'web', 'Paused', '', '1/4', 20, 'demo:v2'],
      ],
    );
    assert.deepEqual(view.counts, { Healthy: 1, Paused: 1 });
    assert.deepEqual(view.syncCounts, { OutOfSync: 1 });
    assert.equal(view.hiddenNamespaces, 0);
  });

  it('leaves out what the viewer may not list and says how many namespaces are hidden', () => {
    const view = fleetView(
      [canaryRollout('a', 'team-a'), canaryRollout('b', 'team-b')],
      [app('shop', 'argocd', 'Healthy', 'Synced')],
      (kind, ns) => kind === 'Rollout' && ns === 'team-a',
    );
    assert.deepEqual(
      view.rows.map((r) => r.name),
      ['a'],
    );
    assert.equal(view.hiddenNamespaces, 2);
  });
});

describe('dashboard: rollout view', () => {
  it('marks steps done, current and next, with the time a started timed pause ends', () => {
    const r = canaryRollout('web', 'team-a', {
      currentStepIndex: 3,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-12-06T12:00:00Z' }],
    });
    const steps = stepTimeline({ rollout: r, now: T0, replicaSets: [], pods: [], analysisRuns: [] });
    assert.deepEqual(
      steps.map((s) => [s.label, s.state]),
      [
        ['Set weight 20%', 'done'],
        ['Pause until promoted', 'done'],
        ['Set weight 50%', 'done'],
        ['Pause 30s', 'current'],
      ],
    );
    assert.equal(steps[3]?.pauseEndsAt, T0 + 30_000);
  });

  it("charts each metric's numeric measurements with its thresholds; credentials in URLs and args are not shown", () => {
    const view = analysisRunView(run('web-abc-2-1', 'u', ['[0.97]', '0.93', 'oops']));
    const [metric] = view.metrics;
    assert.deepEqual(metric?.thresholds, [{ kind: 'success', op: '>=', value: 0.95 }]);
    assert.deepEqual(
      metric?.measurements.map((m) => m.value),
      [0.97, 0.93, undefined],
    );
    assert.equal(metric?.query, 'https://metrics.example/rate?…');
    assert.doesNotMatch(JSON.stringify(view), /secret|k3y-value|do-not-show/);
  });

  it('offers the actions that make sense now, and only its own AnalysisRuns', () => {
    const r = canaryRollout('web', 'team-a', {
      currentStepIndex: 1,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 'x' }],
    });
    const detail = rolloutDetail({
      rollout: r,
      now: T0,
      replicaSets: [],
      pods: [],
      analysisRuns: [run('mine', r.metadata.uid ?? ''), run('other', 'someone-else')],
    });
    assert.deepEqual(detail.actions, {
      promote: true,
      'promote-full': true,
      abort: true,
      retry: false,
      restart: true,
      undo: false, // no earlier revision to go back to
    });
    assert.deepEqual(
      detail.analysisRuns.map((a) => a.name),
      ['mine'],
    );
    const aborted = rolloutDetail({
      rollout: canaryRollout('web', 'team-a', { abort: true }),
      now: T0,
      replicaSets: [],
      pods: [],
      analysisRuns: [],
    });
    assert.deepEqual(aborted.actions, {
      promote: false,
      'promote-full': false,
      abort: false,
      retry: true,
      restart: true,
      undo: false,
    });
  });
});

describe('dashboard: analysis metrics for /metrics', () => {
  it("samples each metric's last value and phase", () => {
    assert.deepEqual(analysisMetricSamples([run('web-abc-2-1', 'u', ['0.97', '[0.99]'], 'Successful')]), [
      {
        labels: { namespace: 'team-a', analysisrun: 'web-abc-2-1', metric: 'success-rate' },
        value: 0.99,
        phase: 'Successful',
      },
    ]);
  });
});
