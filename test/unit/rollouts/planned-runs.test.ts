import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AnalysisRun,
  buildReplicaSet,
  computeStepHash,
  decide,
  plannedRunName,
  type ReplicaSet,
  type Rollout,
} from '../../../src/rollouts/index.js';

// The guard against twin AnalysisRuns lives in durable state: a run to create is named in the status
// written before it is created, so a process killed between the create and the next status write
// finds it by that name after a restart (it replaced the in-memory UnrecordedRuns).

const steps = [{ setWeight: 20 }, { analysis: { templates: [{ templateName: 'health' }] } }, { pause: {} }];
const rollout = (status: Rollout['status'] = {}): Rollout => ({
  metadata: { name: 'demo', namespace: 'ns', uid: 'u1', generation: 2 },
  spec: {
    replicas: 5,
    selector: { matchLabels: { app: 'demo' } },
    template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'a', image: 'a:2' }] } },
    strategy: { canary: { steps } },
  },
  status,
});
const rs = (hash: string, replicas: number, revision: number): ReplicaSet => {
  const built = buildReplicaSet(rollout(), hash, revision, replicas);
  return {
    ...built,
    metadata: { ...built.metadata, uid: hash },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
  };
};
const run = (name: string, phase: string): AnalysisRun => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisRun',
  metadata: {
    name,
    namespace: 'ns',
    labels: { 'rollout-type': 'Step', 'rollouts-pod-template-hash': 'new', 'step-index': '1' },
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  status: { phase },
});
const atAnalysisStep = (ref?: { name: string; status: string }) =>
  rollout({
    stableRS: 'old',
    currentPodHash: 'new',
    currentStepHash: computeStepHash(rollout()),
    currentStepIndex: 1,
    observedGeneration: '2',
    ...(ref !== undefined && { canary: { currentStepAnalysisRunStatus: ref } }),
  });
const observe = (r: Rollout, runs: readonly AnalysisRun[], inUse?: readonly string[]) => {
  const stable = rs('old', 4, 1);
  const newRS = rs('new', 1, 2);
  return decide({
    rollout: r,
    replicaSets: [stable, newRS],
    newRS,
    newRSCreated: false,
    currentPodHash: 'new',
    revision: 2,
    runs,
    ...(inUse !== undefined && { runNamesInUse: new Set(inUse) }),
    now: Date.parse('2026-01-01T00:01:00Z'),
  });
};

describe('AnalysisRun names planned in status (no twin after a restart)', () => {
  it('names the run to create in the status that is written before it is created', () => {
    const d = observe(atAnalysisStep(), []);
    assert.deepEqual(
      d.createRuns.map((c) => c.name),
      ['demo-new-2-1'],
    );
    assert.deepEqual(d.status.canary?.currentStepAnalysisRunStatus, { name: 'demo-new-2-1', status: '' });
  });

  it('a run that completed while the controller was down is the named one: no ".1" twin, the step advances', () => {
    const d = observe(atAnalysisStep({ name: 'demo-new-2-1', status: '' }), [
      run('demo-new-2-1', 'Successful'),
    ]);
    assert.deepEqual(d.createRuns, []);
    assert.equal(d.status.currentStepIndex, 2);
  });

  it('a planned run that was never created (killed before the create) is created under the same name', () => {
    const d = observe(atAnalysisStep({ name: 'demo-new-2-1', status: '' }), [], ['demo-new-2-1.5']);
    assert.deepEqual(
      d.createRuns.map((c) => c.name),
      ['demo-new-2-1'],
    );
    assert.equal(d.status.canary?.currentStepAnalysisRunStatus?.name, 'demo-new-2-1');
  });

  it('a new run for a step whose earlier runs exist takes the next free name (Argo collision counter)', () => {
    const d = observe(atAnalysisStep(), [], ['demo-new-2-1', 'demo-new-2-1.1']);
    assert.deepEqual(
      d.createRuns.map((c) => c.name),
      ['demo-new-2-1.2'],
    );
  });

  it('plannedRunName: the named run is reused only while it does not exist', () => {
    const owned = [run('demo-new-2-1', 'Inconclusive')];
    assert.equal(plannedRunName('demo-new-2-1', 'demo-new-2-1', [], new Set()), 'demo-new-2-1');
    assert.equal(
      plannedRunName('demo-new-2-1', 'demo-new-2-1', owned, new Set(['demo-new-2-1'])),
      'demo-new-2-1.1',
    );
    assert.equal(plannedRunName('x', undefined, [], new Set(['x'])), 'x.1');
  });
});
