import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatGoDuration,
  MAX_DURATION_NS,
  MIN_DURATION_NS,
  parseGoDuration,
} from '../../../src/go/index.js';

const S = 1_000_000_000n;
const MIN = 60n * S;
const H = 60n * MIN;

// Go's own table (time_test.go parseDurationTests / durationTests).
const valid: readonly (readonly [string, bigint])[] = [
  ['0', 0n],
  ['5s', 5n * S],
  ['30s', 30n * S],
  ['1478s', 1478n * S],
  ['-5s', -5n * S],
  ['+5s', 5n * S],
  ['-0', 0n],
  ['+0', 0n],
  ['5.0s', 5n * S],
  ['5.6s', 5n * S + 600_000_000n],
  ['5.s', 5n * S],
  ['.5s', 500_000_000n],
  ['1.004s', 1_004_000_000n],
  ['100.00100s', 100n * S + 1_000_000n],
  ['10ns', 10n],
  ['11us', 11_000n],
  ['12µs', 12_000n],
  ['12μs', 12_000n],
  ['13ms', 13_000_000n],
  ['15m', 15n * MIN],
  ['16h', 16n * H],
  ['3h30m', 3n * H + 30n * MIN],
  ['10.5s4m', 4n * MIN + 10n * S + 500_000_000n],
  ['-2m3.4s', -(2n * MIN + 3n * S + 400_000_000n)],
  ['1h2m3s4ms5us6ns', H + 2n * MIN + 3n * S + 4_000_000n + 5_000n + 6n],
  ['39h9m14.425s', 39n * H + 9n * MIN + 14n * S + 425_000_000n],
  ['52763797000ns', 52_763_797_000n],
  ['0.3333333333333333333h', 20n * MIN],
  ['9007199254740993ns', (1n << 53n) + 1n],
  ['9223372036854775807ns', MAX_DURATION_NS],
  ['9223372036854775.807us', MAX_DURATION_NS],
  ['9223372036854.775807ms', MAX_DURATION_NS],
  ['-9223372036854775808ns', MIN_DURATION_NS],
  ['-9223372036854775.808us', MIN_DURATION_NS],
  ['0.100000000000000000000h', 6n * MIN],
  ['0.830103483285477580700h', 49n * MIN + 48n * S + 372_539_827n],
];

const invalid: readonly (readonly [string, string])[] = [
  ['', 'time: invalid duration ""'],
  ['3', 'time: missing unit in duration "3"'],
  ['-', 'time: invalid duration "-"'],
  ['s', 'time: invalid duration "s"'],
  ['.', 'time: invalid duration "."'],
  ['-.', 'time: invalid duration "-."'],
  ['.s', 'time: invalid duration ".s"'],
  ['+.s', 'time: invalid duration "+.s"'],
  ['1d', 'time: unknown unit "d" in duration "1d"'],
  ['5 s', 'time: unknown unit " s" in duration "5 s"'],
  ['1\u00e9', 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'],
  ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
  ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
  ['9223372036854ms775us808ns', 'time: invalid duration "9223372036854ms775us808ns"'],
  ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
  ['99999999999999999999h', 'time: invalid duration "99999999999999999999h"'],
];

const formatted: readonly (readonly [string, bigint])[] = [
  ['0s', 0n],
  ['1ns', 1n],
  ['1.1µs', 1_100n],
  ['2.2ms', 2_200_000n],
  ['3.3s', 3_300_000_000n],
  ['4m5s', 4n * MIN + 5n * S],
  ['4m5.001s', 4n * MIN + 5n * S + 1_000_000n],
  ['5h6m7.001s', 5n * H + 6n * MIN + 7n * S + 1_000_000n],
  ['8m0.000000001s', 8n * MIN + 1n],
  ['1h0m0s', H],
  ['-1.5s', -1_500_000_000n],
  ['2562047h47m16.854775807s', MAX_DURATION_NS],
  ['-2562047h47m16.854775808s', MIN_DURATION_NS],
];

describe('go durations', () => {
  it("parses like Go's time.ParseDuration", () => {
    for (const [text, nanos] of valid) assert.deepEqual(parseGoDuration(text), { ok: true, nanos }, text);
  });

  it("rejects what Go rejects, with Go's error text", () => {
    for (const [text, message] of invalid) {
      const parsed = parseGoDuration(text);
      assert.equal(parsed.ok, false, text);
      if (!parsed.ok) assert.equal(parsed.message, message, text);
    }
  });

  it('tells overflow from syntax errors in its short reason', () => {
    const big = parseGoDuration('9223372036854775808ns');
    assert.ok(!big.ok && big.kind === 'outOfRange' && big.reason === 'duration out of range');
    const unit = parseGoDuration('1d');
    assert.ok(!unit.ok && unit.kind === 'unknownUnit' && unit.reason === 'unknown unit "d" in duration');
  });

  it("formats like Go's Duration.String, and numbers like bigints", () => {
    for (const [text, nanos] of formatted) {
      assert.equal(formatGoDuration(nanos), text);
      if (nanos >= -(2n ** 53n) && nanos <= 2n ** 53n) assert.equal(formatGoDuration(Number(nanos)), text);
    }
  });

  it('round-trips every formatted duration', () => {
    for (const [text, nanos] of formatted) assert.deepEqual(parseGoDuration(text), { ok: true, nanos }, text);
  });
});
