// The Rollout page's blue-green and experiment parts, from plain objects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RolloutObject } from '../../../src/cli/rollout-view/index.js';
import { blueGreenView } from '../../../src/dashboard/blue-green-view.js';
import { experimentViews } from '../../../src/dashboard/experiment-view.js';
import type { Experiment } from '../../../src/experiments/index.js';
import { canaryRollout } from './fixtures.js';

const blueGreen = (strategy: Record<string, unknown>, status: Record<string, unknown>) =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'bg', namespace: 'team-a', uid: 'bg-uid' },
    spec: { strategy: { blueGreen: { activeService: 'active', previewService: 'preview', ...strategy } } },
    status,
  }) as unknown as RolloutObject;

describe('dashboard: blue-green view', () => {
  it('counts down from the BlueGreenPause start by autoPromotionSeconds', () => {
    const view = blueGreenView(
      blueGreen(
        { autoPromotionSeconds: 60 },
        {
          blueGreen: { activeSelector: 'old', previewSelector: 'new' },
          pauseConditions: [{ reason: 'BlueGreenPause', startTime: '2026-12-06T12:00:00Z' }],
        },
      ),
    );
    assert.deepEqual(view, {
      activeService: 'active',
      previewService: 'preview',
      activeSelector: 'old',
      previewSelector: 'new',
      autoPromotionEnabled: true,
      autoPromotionSeconds: 60,
      promoteAt: Date.parse('2026-12-06T12:01:00Z'),
      scaleDownDelaySeconds: 30,
      awaitingPromotion: true,
    });
  });

  it('has no countdown with auto-promotion off, and no view for a canary', () => {
    const view = blueGreenView(
      blueGreen(
        { autoPromotionEnabled: false, autoPromotionSeconds: 60 },
        { pauseConditions: [{ reason: 'BlueGreenPause', startTime: '2026-12-06T12:00:00Z' }] },
      ),
    );
    assert.equal(view?.promoteAt, undefined);
    assert.equal(view?.awaitingPromotion, true);
    assert.equal(blueGreenView(canaryRollout('web', 'team-a')), undefined);
  });
});

describe('dashboard: experiment view', () => {
  it("shows the Rollout's experiments with each template's ReplicaSet and status, and their analyses", () => {
    const rollout = canaryRollout('web', 'team-a');
    const experiment = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Experiment',
      metadata: {
        name: 'web-abc-2-1',
        namespace: 'team-a',
        uid: 'exp-uid',
        annotations: { 'rollout.argoproj.io/revision': '2' },
        ownerReferences: [{ uid: rollout.metadata.uid }],
      },
      spec: { templates: [{ name: 'preview' }] },
      status: {
        phase: 'Running',
        templateStatuses: [
          {
            name: 'preview',
            replicas: 1,
            updatedReplicas: 1,
            readyReplicas: 1,
            availableReplicas: 1,
            status: 'Running',
          },
        ],
        analysisRuns: [{ name: 'smoke', analysisRun: 'web-abc-2-1-smoke', phase: 'Running' }],
      },
    } as unknown as Experiment;
    const other = { ...experiment, metadata: { ...experiment.metadata, name: 'x', ownerReferences: [] } };
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-abc-2-1-preview',
        annotations: { 'experiment.argoproj.io/template-name': 'preview' },
        ownerReferences: [{ uid: 'exp-uid' }],
      },
    };
    const run = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name: 'web-abc-2-1-smoke', ownerReferences: [{ uid: 'exp-uid' }] },
      spec: {
        metrics: [
          { name: 'ok', successCondition: 'result > 1', provider: { web: { url: 'http://x/?k=1' } } },
        ],
      },
      status: { phase: 'Running', metricResults: [] },
    };
    const views = experimentViews(rollout, [experiment, other as Experiment], [rs as never], [run as never]);
    assert.equal(views.length, 1);
    assert.deepEqual(views[0]?.templates, [
      {
        name: 'preview',
        status: 'Running',
        message: '',
        replicas: 1,
        available: 1,
        replicaSet: 'web-abc-2-1-preview',
      },
    ]);
    assert.equal(views[0]?.analyses[0]?.run?.metrics[0]?.query, 'http://x/?…');
    assert.equal(views[0]?.phase, 'Running');
  });
});
