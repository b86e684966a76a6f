import {
  formatGoLayout,
  RFC3339,
  RFC3339_NANO,
  TIME_STRING_LAYOUT,
  type TimeFields,
  timeFieldsAt,
  utcEpochMs,
  ZERO_TIME_MS,
} from '../go/index.js';
import { FuncError } from './errors.js';
import { GoDuration, toDurationNs } from './go-duration.js';

export { RFC3339, RFC3339_NANO };

/**
 * A Go `time.Time`: an instant (epoch milliseconds plus a sub-millisecond nanosecond part) and a
 * fixed location (UTC by default). Methods use Go's names so templates can call `.Format "..."`.
 */
export class GoTime {
  readonly epochMs: number;
  readonly subMsNanos: number;
  readonly offsetSec: number;
  readonly zone: string;

  constructor(epochMs: number, subMsNanos = 0, offsetSec = 0, zone = 'UTC') {
    const wholeMs = Math.floor(epochMs);
    const extra = Math.round((epochMs - wholeMs) * 1e6) + Math.trunc(subMsNanos);
    this.epochMs = wholeMs + Math.floor(extra / 1e6);
    this.subMsNanos = ((extra % 1e6) + 1e6) % 1e6;
    this.offsetSec = offsetSec;
    this.zone = zone;
  }

  static fromDate(date: Date): GoTime {
    return new GoTime(date.getTime());
  }

  private fields(): TimeFields {
    return timeFieldsAt(this.epochMs, this.subMsNanos, this.offsetSec, this.zone);
  }

  Format(layout: unknown): string {
    if (typeof layout !== 'string') throw new FuncError('Format: layout must be a string');
    return formatGoLayout(this.fields(), layout);
  }

  Add(d: unknown): GoTime {
    const ns = toDurationNs(d, 'Add') + this.subMsNanos;
    return new GoTime(this.epochMs, ns, this.offsetSec, this.zone);
  }

  Sub(other: unknown): GoDuration {
    const u = asTime(other, 'Sub');
    return new GoDuration((this.epochMs - u.epochMs) * 1e6 + (this.subMsNanos - u.subMsNanos));
  }

  private compare(other: unknown, method: string): number {
    const u = asTime(other, method);
    return this.epochMs - u.epochMs || this.subMsNanos - u.subMsNanos;
  }

  Before(other: unknown): boolean {
    return this.compare(other, 'Before') < 0;
  }

  After(other: unknown): boolean {
    return this.compare(other, 'After') > 0;
  }

  Equal(other: unknown): boolean {
    return this.compare(other, 'Equal') === 0;
  }

  IsZero(): boolean {
    return this.epochMs === ZERO_TIME_MS && this.subMsNanos === 0;
  }

  Unix(): number {
    return Math.floor(this.epochMs / 1000);
  }

  UnixMilli(): number {
    return this.epochMs;
  }

  UnixNano(): number {
    return this.epochMs * 1e6 + this.subMsNanos;
  }

  UTC(): GoTime {
    return new GoTime(this.epochMs, this.subMsNanos, 0, 'UTC');
  }

  /** Slipway only knows UTC and fixed offsets, so Local is UTC. */
  Local(): GoTime {
    return this.UTC();
  }

  Year(): number {
    return this.fields().year;
  }

  Day(): number {
    return this.fields().day;
  }

  Hour(): number {
    return this.fields().hour;
  }

  Minute(): number {
    return this.fields().minute;
  }

  Second(): number {
    return this.fields().second;
  }

  YearDay(): number {
    return this.fields().yearDay;
  }

  String(): string {
    return this.Format(TIME_STRING_LAYOUT);
  }

  toString(): string {
    return this.String();
  }

  /** Go's encoding/json writes a Time in RFC 3339 with nanoseconds. */
  toJSON(): string {
    return this.Format(RFC3339_NANO);
  }
}

function asTime(v: unknown, method: string): GoTime {
  if (v instanceof GoTime) return v;
  throw new FuncError(`${method}: expected time.Time`);
}

const RFC3339_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 timestamp, keeping its offset like Go's time.Parse(time.RFC3339, s). */
export function parseRfc3339(text: string): GoTime {
  const m = RFC3339_PATTERN.exec(text);
  const fail = (): FuncError =>
    new FuncError(`parsing time ${JSON.stringify(text)} as "${RFC3339}": cannot parse`);
  if (!m) throw fail();
  const utcMs = utcEpochMs(m.slice(1, 7));
  if (utcMs === undefined) throw fail();
  const nanos = Number((m[7] ?? '').padEnd(9, '0'));
  let offsetSec = 0;
  if (m[9] !== undefined) {
    const hh = Number(m[10]);
    const mm = Number(m[11]);
    if (hh > 23 || mm > 59) throw fail();
    offsetSec = (m[9] === '-' ? -1 : 1) * (hh * 3600 + mm * 60);
  }
  const epochMs = utcMs - offsetSec * 1000;
  return new GoTime(epochMs, nanos, offsetSec, offsetSec === 0 ? 'UTC' : '');
}
