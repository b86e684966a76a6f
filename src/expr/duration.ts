import { formatGoDuration, parseGoDuration } from '../go/index.js';

/**
 * A Go `time.Duration`: a whole number of nanoseconds. Kept in a JS number, so it is exact up to about
 * 104 days; longer durations lose sub-microsecond precision.
 */
export class ExprDuration {
  readonly nanoseconds: number;

  constructor(nanoseconds: number) {
    this.nanoseconds = Math.trunc(nanoseconds);
  }

  toString(): string {
    return formatDuration(this.nanoseconds);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Methods callable as `d.Minutes()` in expressions. */
export const DURATION_METHODS: ReadonlyMap<string, (d: ExprDuration, args: readonly unknown[]) => unknown> =
  new Map<string, (d: ExprDuration, args: readonly unknown[]) => unknown>([
    ['Hours', (d) => d.nanoseconds / 3600e9],
    ['Minutes', (d) => d.nanoseconds / 60e9],
    ['Seconds', (d) => d.nanoseconds / 1e9],
    ['Milliseconds', (d) => Math.trunc(d.nanoseconds / 1e6)],
    ['Microseconds', (d) => Math.trunc(d.nanoseconds / 1e3)],
    ['Nanoseconds', (d) => d.nanoseconds],
    ['Abs', (d) => new ExprDuration(Math.abs(d.nanoseconds))],
    ['String', (d) => formatDuration(d.nanoseconds)],
  ]);

/** Parses Go duration syntax (`300ms`, `-1.5h`, `2h45m`); returns Go's error text on failure. */
export function parseDuration(text: string): ExprDuration | string {
  const parsed = parseGoDuration(text);
  return parsed.ok ? new ExprDuration(Number(parsed.nanos)) : parsed.message;
}

/** Formats like Go's Duration.String: `1h30m0s`, `1.5s`, `250ms`, `0s`. */
export function formatDuration(nanoseconds: number): string {
  return formatGoDuration(nanoseconds);
}
