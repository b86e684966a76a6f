import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  ConditionReason,
  formatMessage,
  invalidSpecCondition,
  type NewCondition,
  type RolloutCondition,
  RolloutConditionType,
  setCondition,
} from '../../../src/rollouts/index.js';

const golden = JSON.parse(
  readFileSync(new URL('../../golden/rollouts/conditions.json', import.meta.url), 'utf8'),
) as {
  cases: {
    name: string;
    conditions: RolloutCondition[] | null;
    set: NewCondition;
    now: number;
    expected: { changed: boolean; conditions: RolloutCondition[] };
  }[];
};

describe('setCondition', () => {
  for (const c of golden.cases) {
    it(c.name, () => assert.deepEqual(setCondition(c.conditions ?? undefined, c.set, c.now), c.expected));
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
    assert.equal(
      formatMessage.rolloutSuccessfullyProgressed('demo'),
      'Rollout "demo" has successfully progressed.',
    );
    assert.equal(
      formatMessage.rolloutStepCompleted(2, 4, 'setWeight: 40'),
      'Rollout step 2/4 completed (setWeight: 40)',
    );
    assert.equal(
      formatMessage.analysisRunFailed('run-1', 'demo'),
      `AnalysisRun 'run-1' owned by the Rollout '"demo"' failed.`,
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
