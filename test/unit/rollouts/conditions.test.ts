import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConditionReason,
  formatMessage,
  invalidSpecCondition,
  type NewCondition,
  type RolloutCondition,
  RolloutConditionType,
  setRolloutCondition,
} from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

const golden = readGolden<{
  cases: {
    name: string;
    conditions: RolloutCondition[] | null;
    set: NewCondition;
    now: number;
    expected: { changed: boolean; conditions: RolloutCondition[] };
  }[];
}>('rollouts/conditions.json');

describe('setRolloutCondition', () => {
  for (const c of golden.cases) {
    it(c.name, () =>
      assert.deepEqual(setRolloutCondition(c.conditions ?? undefined, c.set, c.now), c.expected),
    );
  }
});

describe('catalogues and messages', () => {
  it('uses Argo strings', () => {
    assert.equal(RolloutConditionType.InvalidSpec, 'InvalidSpec');
    assert.equal(ConditionReason.ProgressDeadlineExceeded, 'ProgressDeadlineExceeded');
    assert.equal(ConditionReason.Available, 'AvailableReason');
    assert.equal(
      formatMessage.replicaSetCompleted('demo-abc'),
      'ReplicaSet "demo-abc" has successfully progressed.',
    );
    assert.equal(formatMessage.rolloutAborted(3), 'Rollout aborted update to revision 3');
    assert.equal(
      formatMessage.rolloutAborted(3, 'Metric "m" assessed Failed'),
      'Rollout aborted update to revision 3: Metric "m" assessed Failed',
    );
    assert.equal(formatMessage.rolloutPausedFor('CanaryPauseStep'), 'Rollout is paused (CanaryPauseStep)');
    assert.equal(
      formatMessage.rolloutStepCompleted(2, 4, 'setWeight: 40'),
      'Rollout step 2/4 completed (setWeight: 40)',
    );
  });
  it('reuses the InvalidSpec condition while its message is unchanged', () => {
    const first = invalidSpecCondition(undefined, 'demo', 'spec.replicas: bad', 1_714_561_200_000);
    assert.equal(first.message, 'The Rollout "demo" is invalid: spec.replicas: bad');
    assert.equal(first.lastTransitionTime, '2024-05-01T11:00:00Z');
    assert.equal(invalidSpecCondition(first, 'demo', 'spec.replicas: bad', 1_714_561_300_000), first);
    assert.notEqual(invalidSpecCondition(first, 'demo', 'other', 1_714_561_300_000), first);
  });
});
