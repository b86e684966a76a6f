/**
 * Pause durations as Argo Rollouts reads them (`RolloutPause.DurationSeconds`): an integer is
 * seconds; a string is first tried as a base-10 int32 ("3600"), then as a Go duration ("30s",
 * "1h30m", "1.5m"). Go durations are truncated to whole seconds, so "500ms" pauses for 0 seconds,
 * exactly as upstream.
 */
import { SlipwayError } from '../errors/index.js';
import type { IntOrString, RolloutPause } from './types.js';

export const INVALID_DURATION = 'ROLLOUT_INVALID_DURATION';

/** A pause duration that neither Argo nor Slipway can read. */
export class InvalidDurationError extends SlipwayError {
  readonly value: unknown;

  constructor(value: unknown, reason: string) {
    super(
      INVALID_DURATION,
      `invalid pause duration ${JSON.stringify(value)}: ${reason}; use whole seconds (30) or a duration such as "30s", "5m" or "1h30m"`,
    );
    this.value = value;
  }
}

export type PauseDurationResult =
  | { readonly ok: true; readonly seconds: number }
  | { readonly ok: false; readonly error: InvalidDurationError };

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const MAX_NANOS = (1n << 63n) - 1n;

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

type GoDuration =
  | { readonly ok: true; readonly nanos: bigint }
  | { readonly ok: false; readonly reason: string };

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units ns, us, µs, ms, s, m, h;
 * "0" alone needs no unit. Returns nanoseconds.
 */
export function parseGoDuration(text: string): GoDuration {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, nanos: 0n };
  if (s === '') return { ok: false, reason: 'not a duration' };
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return { ok: false, reason: 'not a duration' };
    let i = 0;
    while (isDigit(s[i])) i++;
    const hasInt = i > 0;
    const whole = hasInt ? BigInt(s.slice(0, i)) : 0n;
    if (whole > 1n << 63n) return { ok: false, reason: 'duration out of range' };
    s = s.slice(i);
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (s.startsWith('.')) {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (isDigit(s[j])) {
        if (!overflow && fraction <= MAX_NANOS / 10n) {
          fraction = fraction * 10n + BigInt(Number(s[j]));
          scale *= 10;
        } else {
          overflow = true;
        }
        j++;
      }
      hasFraction = j > 0;
      s = s.slice(j);
    }
    if (!hasInt && !hasFraction) return { ok: false, reason: 'not a duration' };
    let u = 0;
    while (u < s.length && !(s[u] === '.' || isDigit(s[u]))) u++;
    if (u === 0) return { ok: false, reason: 'missing unit in duration' };
    const unit = UNITS[s.slice(0, u)];
    if (unit === undefined)
      return { ok: false, reason: `unknown unit ${JSON.stringify(s.slice(0, u))} in duration` };
    s = s.slice(u);
    if (whole > (1n << 63n) / unit) return { ok: false, reason: 'duration out of range' };
    let value = whole * unit;
    if (fraction > 0n) {
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > 1n << 63n) return { ok: false, reason: 'duration out of range' };
    }
    total += value;
    if (total > 1n << 63n) return { ok: false, reason: 'duration out of range' };
  }
  if (negative) return { ok: true, nanos: -total };
  if (total > MAX_NANOS) return { ok: false, reason: 'duration out of range' };
  return { ok: true, nanos: total };
}

const toSeconds = (nanos: bigint): number =>
  Math.trunc(Number(nanos / 1_000_000_000n) + Number(nanos % 1_000_000_000n) / 1e9);

/** Parse a pause duration into whole seconds (may be negative; validation rejects that separately). */
export function parsePauseDuration(value: IntOrString): PauseDurationResult {
  const fail = (reason: string): PauseDurationResult => ({
    ok: false,
    error: new InvalidDurationError(value, reason),
  });
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)
      return fail('not a 32-bit integer');
    return { ok: true, seconds: value };
  }
  if (/^[+-]?\d+$/.test(value)) {
    const seconds = Number.parseInt(value, 10);
    if (seconds >= INT32_MIN && seconds <= INT32_MAX) return { ok: true, seconds };
  }
  const parsed = parseGoDuration(value);
  if (!parsed.ok) return fail(parsed.reason);
  const seconds = toSeconds(parsed.nanos);
  if (seconds < INT32_MIN || seconds > INT32_MAX) return fail('duration out of range');
  return { ok: true, seconds };
}

/**
 * Argo's `RolloutPause.DurationSeconds()`: 0 without a duration, -1 when it cannot be parsed,
 * otherwise whole seconds. A pause without a duration waits for a manual promotion.
 */
export function pauseDurationSeconds(pause: RolloutPause | undefined): number {
  if (pause?.duration === undefined) return 0;
  const parsed = parsePauseDuration(pause.duration);
  return parsed.ok ? parsed.seconds : -1;
}
