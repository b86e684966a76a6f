import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CanaryStep,
  computeStepHash,
  currentSetWeight,
  currentStepIndex,
  describeStep,
  desiredCanaryScale,
  hasStepHashChanged,
  isPauseStepCompleted,
  pauseTimeRemainingMs,
  type Rollout,
  type RolloutPause,
} from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

const golden = readGolden<{
  weights: { name: string; rollout: Rollout; expected: Record<string, number | null> }[];
  hashes: { name: string; steps: CanaryStep[] | null; expected: string }[];
  pauses: {
    name: string;
    rollout: Rollout;
    pause: RolloutPause;
    now: number;
    expected: { completed: boolean; remainingMs: number | null };
  }[];
  describe: { step: CanaryStep; expected: unknown }[];
}>('rollouts/steps.json');

describe('current step and weight', () => {
  for (const c of golden.weights) {
    it(c.name, () => {
      assert.deepEqual(
        {
          currentStepIndex: currentStepIndex(c.rollout) ?? null,
          currentSetWeight: currentSetWeight(c.rollout),
          canaryWeight: desiredCanaryScale(c.rollout).weight,
        },
        c.expected,
      );
    });
  }
});

describe('step hash', () => {
  for (const c of golden.hashes) {
    it(c.name, () => {
      const rollout: Rollout = { spec: { strategy: { canary: c.steps === null ? {} : { steps: c.steps } } } };
      assert.equal(computeStepHash(rollout), c.expected);
    });
  }
  it('is empty for blue-green and without a strategy', () => {
    assert.equal(computeStepHash({ spec: { strategy: { blueGreen: {} } } }), '');
    assert.equal(computeStepHash({}), '');
  });
  it('detects edited steps and a missing recorded hash', () => {
    const rollout: Rollout = { spec: { strategy: { canary: { steps: [{ setWeight: 10 }] } } } };
    assert.equal(hasStepHashChanged(rollout), true);
    const hash = computeStepHash(rollout);
    assert.equal(hasStepHashChanged({ ...rollout, status: { currentStepHash: hash } }), false);
    const edited: Rollout = { spec: { strategy: { canary: { steps: [{ setWeight: 20 }] } } } };
    assert.equal(hasStepHashChanged({ ...edited, status: { currentStepHash: hash } }), true);
  });
});

describe('pause bookkeeping', () => {
  for (const c of golden.pauses) {
    it(c.name, () => {
      assert.deepEqual(
        {
          completed: isPauseStepCompleted(c.rollout, c.pause, c.now),
          remainingMs: pauseTimeRemainingMs(c.rollout, c.pause, c.now) ?? null,
        },
        c.expected,
      );
    });
  }
});

describe('step classification', () => {
  for (const c of golden.describe) {
    it(JSON.stringify(c.step), () => assert.deepEqual(describeStep(c.step), c.expected));
  }
});
