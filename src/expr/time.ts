import { formatGoLayout, TIME_STRING_LAYOUT, timeFieldsAt, utcEpochMs, ZERO_TIME_MS } from '../go/index.js';
import { ExprDuration } from './duration.js';

/** A Go `time.Time` in UTC with millisecond precision. */
export class ExprTime {
  readonly epochMs: number;

  constructor(epochMs: number) {
    this.epochMs = epochMs;
  }

  static fromDate(date: Date): ExprTime {
    return new ExprTime(date.getTime());
  }

  toDate(): Date {
    return new Date(this.epochMs);
  }

  /** Go's default layout, e.g. `2023-08-14 00:00:00 +0000 UTC`. */
  toString(): string {
    return formatGoLayout(timeFieldsAt(this.epochMs), TIME_STRING_LAYOUT);
  }

  toJSON(): string {
    return this.toDate().toISOString();
  }
}

const asTime = (value: unknown): ExprTime | undefined =>
  value instanceof ExprTime ? value : value instanceof Date ? ExprTime.fromDate(value) : undefined;

function requireTime(value: unknown, method: string): ExprTime {
  const time = asTime(value);
  if (time === undefined) throw new TypeError(`${method} expects a time argument`);
  return time;
}

const field = (get: (d: Date) => number) => (t: ExprTime) => get(t.toDate());

/** Methods callable as `t.Sub(u)` in expressions. Argument errors surface as evaluation errors. */
export const TIME_METHODS: ReadonlyMap<string, (t: ExprTime, args: readonly unknown[]) => unknown> = new Map<
  string,
  (t: ExprTime, args: readonly unknown[]) => unknown
>([
  ['Sub', (t, [u]) => new ExprDuration((t.epochMs - requireTime(u, 'Sub').epochMs) * 1e6)],
  [
    'Add',
    (t, [d]) => {
      if (!(d instanceof ExprDuration)) throw new TypeError('Add expects a duration argument');
      return new ExprTime(t.epochMs + d.nanoseconds / 1e6);
    },
  ],
  ['Before', (t, [u]) => t.epochMs < requireTime(u, 'Before').epochMs],
  ['After', (t, [u]) => t.epochMs > requireTime(u, 'After').epochMs],
  ['Equal', (t, [u]) => t.epochMs === requireTime(u, 'Equal').epochMs],
  ['Unix', (t) => Math.floor(t.epochMs / 1000)],
  ['UnixMilli', (t) => t.epochMs],
  ['Year', field((d) => d.getUTCFullYear())],
  ['Month', field((d) => d.getUTCMonth() + 1)],
  ['Day', field((d) => d.getUTCDate())],
  ['Hour', field((d) => d.getUTCHours())],
  ['Minute', field((d) => d.getUTCMinutes())],
  ['Second', field((d) => d.getUTCSeconds())],
  ['Weekday', field((d) => d.getUTCDay())],
  ['UTC', (t) => t],
  ['IsZero', (t) => t.epochMs === ZERO_TIME_MS],
  ['String', (t) => t.toString()],
]);

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses RFC 3339 (`2023-08-14T00:00:00Z`), `2006-01-02 15:04:05` (UTC) and `2006-01-02`. */
export function parseTime(text: string): ExprTime | undefined {
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly !== null) return build([...dateOnly.slice(1, 4), '0', '0', '0'], undefined, 'Z');
  const m = RFC3339.exec(text);
  if (m === null) return undefined;
  return build(m.slice(1, 7), m[7], m[8] ?? 'Z');
}

function build(
  civil: readonly (string | undefined)[],
  fraction: string | undefined,
  zone: string,
): ExprTime | undefined {
  const utcMs = utcEpochMs(civil);
  if (utcMs === undefined) return undefined;
  let ms = utcMs + (fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000));
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return new ExprTime(ms);
}

export { asTime };
