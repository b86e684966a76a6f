import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COMPARISON_RETRY_MIN_MS,
  comparisonRetryDelay,
} from '../../../src/sync/controller/comparison-backoff.js';

const failingSince = (iso: string) => ({
  conditions: [{ type: 'ComparisonError', message: 'repo unreachable', lastTransitionTime: iso }],
});

describe('sync: the comparison retry backoff lives in status', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  it('starts at the minimum, then waits twice as long as the condition has stood, up to the period', () => {
    assert.equal(
      comparisonRetryDelay(failingSince('2026-01-01T00:00:00Z'), t0, 180_000),
      COMPARISON_RETRY_MIN_MS,
    );
    assert.equal(comparisonRetryDelay(failingSince('2026-01-01T00:00:00Z'), t0 + 10_000, 180_000), 20_000);
    assert.equal(comparisonRetryDelay(failingSince('2026-01-01T00:00:00Z'), t0 + 600_000, 180_000), 180_000);
  });
  it('no condition or an unreadable time: the minimum', () => {
    assert.equal(comparisonRetryDelay({}, t0, 180_000), COMPARISON_RETRY_MIN_MS);
    assert.equal(comparisonRetryDelay(failingSince('soon'), t0, 180_000), COMPARISON_RETRY_MIN_MS);
  });
});
