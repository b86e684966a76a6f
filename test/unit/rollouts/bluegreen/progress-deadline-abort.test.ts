import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlueGreenWorld } from './world.js';

/** A preview whose pods never become available, past a 1 s progress deadline. */
function stuckPreview(progressDeadlineAbort: boolean): BlueGreenWorld {
  const w = new BlueGreenWorld({ replicas: 1, blueGreen: { abortScaleDownDelaySeconds: 2 } });
  w.rollout = {
    ...w.rollout,
    spec: { ...w.rollout.spec, progressDeadlineSeconds: 1, progressDeadlineAbort },
  } as typeof w.rollout;
  w.step();
  w.step();
  assert.equal(w.status.phase, 'Healthy');
  w.setImage('v2');
  w.unavailable.add('74f5bc8dfc');
  for (let i = 0; i < 6; i++) w.step();
  return w;
}

describe('blue-green progressDeadlineAbort (Argo evaluateProgressDeadlineAbort)', () => {
  it('without it, a preview past its deadline is Degraded but not aborted', () => {
    const w = stuckPreview(false);
    assert.equal(w.status.phase, 'Degraded');
    assert.equal(w.status.abort, undefined);
    assert.equal(w.rs('74f5bc8dfc')?.spec?.replicas, 1);
  });

  it('with it, the update aborts and the preview is scaled down after abortScaleDownDelaySeconds', () => {
    const w = stuckPreview(true);
    assert.equal(w.status.abort, true);
    assert.equal(w.status.phase, 'Degraded');
    assert.match(
      w.status.message ?? '',
      /^RolloutAborted: Rollout aborted update to revision 2: ReplicaSet has timed out progressing\./,
    );
    assert.equal(w.selector('active'), '5c8955b96d');
    for (let i = 0; i < 3; i++) w.step();
    assert.equal(w.rs('74f5bc8dfc')?.spec?.replicas, 0);
    assert.equal(w.rs('5c8955b96d')?.spec?.replicas, 1);
  });
});
