import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../../src/errors/index.js';
import {
  INVALID_DURATION,
  type IntOrString,
  InvalidDurationError,
  parsePauseDuration,
  pauseDurationSeconds,
} from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

const golden = readGolden<{
  cases: { input: IntOrString; expected: { seconds?: number; error?: boolean } }[];
}>('rollouts/durations.json');

describe('pause durations', () => {
  for (const c of golden.cases) {
    it(JSON.stringify(c.input), () => {
      const result = parsePauseDuration(c.input);
      if (c.expected.error) {
        assert.equal(result.ok, false);
        if (!result.ok) {
          assert.ok(result.error instanceof InvalidDurationError);
          assert.ok(result.error instanceof SlipwayError);
          assert.equal(result.error.code, INVALID_DURATION);
          assert.equal(result.error.value, c.input);
          assert.match(
            result.error.message,
            new RegExp(JSON.stringify(c.input).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
          );
        }
        assert.equal(pauseDurationSeconds({ duration: c.input }), -1);
      } else {
        assert.deepEqual(result, { ok: true, seconds: c.expected.seconds });
      }
    });
  }
  it('no duration means an indefinite pause (0 seconds, like Argo)', () => {
    assert.equal(pauseDurationSeconds({}), 0);
    assert.equal(pauseDurationSeconds(undefined), 0);
  });
});
