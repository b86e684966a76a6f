import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invalidSpecMessage, type Rollout, validateRollout } from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

const golden = readGolden<{
  cases: {
    name: string;
    rollout: Rollout;
    expected: { field: string; message: string }[];
    invalidSpecMessage?: string;
  }[];
}>('rollouts/validation.json');

describe('rollout validation', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const errors = validateRollout(c.rollout);
      assert.deepEqual(
        errors.map(({ field, message }) => ({ field, message })),
        c.expected,
      );
      const [first] = errors;
      if (c.invalidSpecMessage !== undefined) {
        assert.ok(first);
        assert.equal(invalidSpecMessage(c.rollout.metadata?.name ?? '', first), c.invalidSpecMessage);
      }
    });
  }
});
