/**
 * Go's `time.Duration` text forms: `time.ParseDuration` and `Duration.String()`, with Go's units,
 * fractions, sign, overflow rules and error messages. Durations are int64 nanoseconds; they are
 * returned as `bigint` so the whole int64 range stays exact. Pure.
 */

const NS_PER_US = 1_000n;
const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const NS_PER_MIN = 60n * NS_PER_S;
const NS_PER_HOUR = 60n * NS_PER_MIN;

/** 1<<63: one more than the largest int64, and the magnitude of the smallest. */
const TWO_63 = 1n << 63n;
export const MAX_DURATION_NS = TWO_63 - 1n;
export const MIN_DURATION_NS = -TWO_63;

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', NS_PER_US],
  ['µs', NS_PER_US], // U+00B5 micro sign
  ['μs', NS_PER_US], // U+03BC Greek small letter mu
  ['ms', NS_PER_MS],
  ['s', NS_PER_S],
  ['m', NS_PER_MIN],
  ['h', NS_PER_HOUR],
]);

/** Why a duration did not parse; Go reports `invalid` and `outOfRange` with the same message. */
export type DurationErrorKind = 'invalid' | 'missingUnit' | 'unknownUnit' | 'outOfRange';

export type ParsedDuration =
  | { readonly ok: true; readonly nanos: bigint }
  | {
      readonly ok: false;
      readonly kind: DurationErrorKind;
      /** Short lowercase reason for our own messages, e.g. `unknown unit "d" in duration`. */
      readonly reason: string;
      /** Go's exact error text, e.g. `time: unknown unit "d" in duration "1d"`. */
      readonly message: string;
    };

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Go's `time.quote`: double quotes, `"` and `\` escaped, non-ASCII and control bytes as `\xNN`. */
export function goQuote(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if (code >= 0x80 || code < 0x20) {
      for (const byte of Buffer.from(c, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else {
      out += c === '"' || c === '\\' ? `\\${c}` : c;
    }
  }
  return `${out}"`;
}

function failure(kind: DurationErrorKind, text: string, unit = ''): ParsedDuration {
  const quoted = goQuote(text);
  switch (kind) {
    case 'missingUnit':
      return {
        ok: false,
        kind,
        reason: 'missing unit in duration',
        message: `time: missing unit in duration ${quoted}`,
      };
    case 'unknownUnit':
      return {
        ok: false,
        kind,
        reason: `unknown unit ${JSON.stringify(unit)} in duration`,
        message: `time: unknown unit ${goQuote(unit)} in duration ${quoted}`,
      };
    case 'outOfRange':
      return {
        ok: false,
        kind,
        reason: 'duration out of range',
        message: `time: invalid duration ${quoted}`,
      };
    case 'invalid':
      return { ok: false, kind, reason: 'not a duration', message: `time: invalid duration ${quoted}` };
  }
}

/**
 * Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with units ns, us (or µs/μs), ms, s,
 * m, h; a lone `0` needs no unit. Fractions are scaled through float64 exactly as Go does, so
 * `1.5h` is 5400s and digits past int64 precision are ignored. Returns int64 nanoseconds.
 */
export function parseGoDuration(text: string): ParsedDuration {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, nanos: 0n };
  if (s === '') return failure('invalid', text);
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return failure('invalid', text);
    let i = 0;
    let whole = 0n;
    while (isDigit(s[i])) {
      // Go's leadingInt: more than 1<<63 is an overflow.
      if (whole > TWO_63 / 10n) return failure('outOfRange', text);
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > TWO_63) return failure('outOfRange', text);
      i++;
    }
    const hasWhole = i > 0;
    s = s.slice(i);
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (s.startsWith('.')) {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      // Go's leadingFraction: digits that would overflow are consumed but ignored.
      while (isDigit(s[j])) {
        if (!overflow) {
          const next = fraction * 10n + BigInt(s.charCodeAt(j) - 48);
          if (fraction > MAX_DURATION_NS / 10n || next > TWO_63) overflow = true;
          else {
            fraction = next;
            scale *= 10;
          }
        }
        j++;
      }
      hasFraction = j > 0;
      s = s.slice(j);
    }
    if (!hasWhole && !hasFraction) return failure('invalid', text);
    let u = 0;
    while (u < s.length && !(s[u] === '.' || isDigit(s[u]))) u++;
    if (u === 0) return failure('missingUnit', text);
    const unitText = s.slice(0, u);
    const unit = UNITS.get(unitText);
    if (unit === undefined) return failure('unknownUnit', text, unitText);
    s = s.slice(u);
    if (whole > TWO_63 / unit) return failure('outOfRange', text);
    let value = whole * unit;
    if (fraction > 0n) {
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > TWO_63) return failure('outOfRange', text);
    }
    total += value;
    if (total > TWO_63) return failure('outOfRange', text);
  }
  if (negative) return { ok: true, nanos: -total };
  if (total > MAX_DURATION_NS) return failure('outOfRange', text);
  return { ok: true, nanos: total };
}

/** A nanosecond count as int64: non-integers truncate, out-of-range values saturate, NaN is 0. */
export function toDurationNanos(nanos: number | bigint): bigint {
  if (typeof nanos === 'number') {
    if (Number.isNaN(nanos)) return 0n;
    if (nanos >= 2 ** 63) return MAX_DURATION_NS;
    if (nanos <= -(2 ** 63)) return MIN_DURATION_NS;
    return BigInt(Math.trunc(nanos));
  }
  return nanos > MAX_DURATION_NS ? MAX_DURATION_NS : nanos < MIN_DURATION_NS ? MIN_DURATION_NS : nanos;
}

/** `value / 10^digits` as Go's fmtFrac and fmtInt write it: no trailing zeros in the fraction. */
function decimal(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  const whole = (value / scale).toString();
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** Go's `Duration.String()`: `1h30m0s`, `1.5s`, `250ms`, `1µs`, `0s`. */
export function formatGoDuration(nanos: number | bigint): string {
  const d = toDurationNanos(nanos);
  if (d === 0n) return '0s';
  const sign = d < 0n ? '-' : '';
  const u = d < 0n ? -d : d;
  if (u < NS_PER_S) {
    if (u < NS_PER_US) return `${sign}${u}ns`;
    if (u < NS_PER_MS) return `${sign}${decimal(u, 3)}µs`;
    return `${sign}${decimal(u, 6)}ms`;
  }
  const totalSeconds = u / NS_PER_S;
  const seconds = `${decimal((totalSeconds % 60n) * NS_PER_S + (u % NS_PER_S), 9)}s`;
  const minutes = totalSeconds / 60n;
  if (minutes === 0n) return `${sign}${seconds}`;
  const hours = minutes / 60n;
  if (hours === 0n) return `${sign}${minutes}m${seconds}`;
  return `${sign}${hours}h${minutes % 60n}m${seconds}`;
}
