import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatGoLayout,
  RFC3339_NANO,
  TIME_STRING_LAYOUT,
  timeFieldsAt,
  utcEpochMs,
  ZERO_TIME_MS,
} from '../../../src/go/index.js';

describe('go time layouts', () => {
  const at = Date.UTC(2023, 7, 14, 15, 4, 5, 120);

  it("formats like Go's Time.String and RFC3339Nano, in UTC and at a fixed offset", () => {
    assert.equal(formatGoLayout(timeFieldsAt(at), TIME_STRING_LAYOUT), '2023-08-14 15:04:05.12 +0000 UTC');
    assert.equal(formatGoLayout(timeFieldsAt(at, 7), RFC3339_NANO), '2023-08-14T15:04:05.120000007Z');
    assert.equal(
      formatGoLayout(timeFieldsAt(at, 0, -5 * 3600 - 1800, ''), RFC3339_NANO),
      '2023-08-14T09:34:05.12-05:30',
    );
    assert.equal(
      formatGoLayout(timeFieldsAt(ZERO_TIME_MS), TIME_STRING_LAYOUT),
      '0001-01-01 00:00:00 +0000 UTC',
    );
  });

  it('turns a valid UTC wall clock into an instant and refuses impossible dates', () => {
    assert.equal(utcEpochMs([2023, 8, 14, 15, 4, 5]), at - 120);
    assert.equal(utcEpochMs([1, 1, 1, 0, 0, 0]), ZERO_TIME_MS);
    assert.equal(utcEpochMs(['2024', '02', '29', '00', '00', '00']), Date.UTC(2024, 1, 29));
    const impossible: readonly (readonly [number, number, number, number, number, number])[] = [
      [2023, 2, 29, 0, 0, 0],
      [2023, 4, 31, 0, 0, 0],
      [2023, 13, 1, 0, 0, 0],
      [2023, 1, 0, 0, 0, 0],
      [2023, 1, 1, 24, 0, 0],
      [2023, 1, 1, 0, 60, 0],
      [2023, 1, 1, 0, 0, 60],
      [2023, 1, 1, 0, 0, 0.5],
    ];
    assert.equal(utcEpochMs(['2023', '01', '01']), undefined);
    for (const bad of impossible) assert.equal(utcEpochMs(bad), undefined, bad.join('-'));
  });
});
