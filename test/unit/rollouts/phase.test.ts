import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  calculateRolloutPhase,
  computeRolloutPhase,
  type PhaseResult,
  type Rollout,
} from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

const golden = readGolden<{
  cases: { name: string; rollout: Rollout; expected: PhaseResult }[];
}>('rollouts/phase.json');

describe('rollout phase', () => {
  for (const c of golden.cases) {
    it(c.name, () => assert.deepEqual(calculateRolloutPhase(c.rollout), c.expected));
  }
  it('the controller-side phase ignores observedGeneration', () => {
    const rollout = golden.cases.find((c) => c.name === 'spec change not yet observed')?.rollout;
    assert.ok(rollout);
    assert.deepEqual(computeRolloutPhase(rollout.spec ?? {}, rollout.status ?? {}), {
      phase: 'Healthy',
      message: '',
    });
  });
});
