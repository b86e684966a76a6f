import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { invalidSpecMessage, type Rollout, validateRollout } from '../../../src/rollouts/index.js';

const golden = JSON.parse(
  readFileSync(new URL('../../golden/rollouts/validation.json', import.meta.url), 'utf8'),
) as {
  cases: {
    name: string;
    rollout: Rollout;
    expected: { field: string; message: string }[];
    invalidSpecMessage?: string;
  }[];
};

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
