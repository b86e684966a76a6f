import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Rollout } from '../../../src/rollouts/index.js';
import { UnrecordedRuns } from '../../../src/rollouts/unrecorded-runs.js';

const rollout = (status: Rollout['status']): Rollout => ({ metadata: { uid: 'u1', name: 'r' }, status });

describe('UnrecordedRuns: a created run the status does not name yet', () => {
  it('fills the missing step reference while the rollout is still at that hash and step', () => {
    const runs = new UnrecordedRuns();
    runs.remember('u1', 'Step', { name: 'r-abc-2-3', podHash: 'abc', stepIndex: 3 });
    const filled = runs.fill(rollout({ currentPodHash: 'abc', currentStepIndex: 3 }));
    assert.deepEqual(filled.status?.canary?.currentStepAnalysisRunStatus, { name: 'r-abc-2-3', status: '' });
  });

  it('leaves a reference the status already has, and forgets its own', () => {
    const runs = new UnrecordedRuns();
    runs.remember('u1', 'Background', { name: 'r-abc-2', podHash: 'abc' });
    const recorded = { name: 'r-abc-2', status: 'Running' };
    const seen = rollout({ currentPodHash: 'abc', canary: { currentBackgroundAnalysisRunStatus: recorded } });
    assert.equal(runs.fill(seen), seen);
    const later = rollout({ currentPodHash: 'abc' });
    assert.equal(runs.fill(later), later, 'forgotten once recorded');
  });

  it('does not fill once the rollout moved to another step or hash', () => {
    const runs = new UnrecordedRuns();
    runs.remember('u1', 'Step', { name: 'r-abc-2-3', podHash: 'abc', stepIndex: 3 });
    const moved = rollout({ currentPodHash: 'abc', currentStepIndex: 4 });
    assert.equal(runs.fill(moved), moved);
    const back = rollout({ currentPodHash: 'abc', currentStepIndex: 3 });
    assert.equal(runs.fill(back), back, 'a stale entry is dropped, not revived');
  });

  it('knows nothing about other rollouts', () => {
    const runs = new UnrecordedRuns();
    runs.remember('u2', 'Step', { name: 'x', podHash: 'abc', stepIndex: 0 });
    const other = rollout({ currentPodHash: 'abc', currentStepIndex: 0 });
    assert.equal(runs.fill(other), other);
  });
});
