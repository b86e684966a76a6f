import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  calculateRolloutPhase,
  computeRolloutPhase,
  type PhaseResult,
  type Rollout,
} from '../../../src/rollouts/index.js';

const golden = JSON.parse(
  readFileSync(new URL('../../golden/rollouts/phase.json', import.meta.url), 'utf8'),
) as {
  cases: { name: string; rollout: Rollout; expected: PhaseResult }[];
};

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
