/** Calendar arithmetic for Go-compatible times: fields of an instant, UTC wall clock to instant. Pure. */
import type { TimeFields } from './time-layout.js';

/** Go's zero time, January 1, year 1, 00:00:00 UTC, in epoch milliseconds. */
export const ZERO_TIME_MS = ((): number => {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  return d.getTime();
})();

const MS_PER_DAY = 86_400_000;

/**
 * The calendar fields of an instant (epoch milliseconds plus a sub-millisecond nanosecond part) in a
 * location `offsetSec` east of UTC named `zone`.
 */
export function timeFieldsAt(epochMs: number, subMsNanos = 0, offsetSec = 0, zone = 'UTC'): TimeFields {
  const local = new Date(epochMs + offsetSec * 1000);
  const year = local.getUTCFullYear();
  const startOfYear = Date.UTC(year, 0, 1);
  const dayStart = Date.UTC(year, local.getUTCMonth(), local.getUTCDate());
  return {
    year,
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    nanos: local.getUTCMilliseconds() * 1e6 + subMsNanos,
    weekday: local.getUTCDay(),
    yearDay: Math.round((dayStart - startOfYear) / MS_PER_DAY) + 1,
    offsetSec,
    zone,
  };
}

/**
 * Epoch milliseconds of a UTC wall-clock time given as [year, month (1-12), day, hour, minute, second],
 * as numbers or decimal digits (a regular expression's captures); undefined when a field is missing or
 * out of range (a 31st of April, an hour 24), as Go's time.Parse refuses them.
 */
export function utcEpochMs(civil: readonly (number | string | undefined)[]): number | undefined {
  const at = (i: number): number => Number(civil[i] ?? Number.NaN);
  const [year, month, day, hour, minute, second] = [at(0), at(1), at(2), at(3), at(4), at(5)];
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return undefined;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getUTCDate() === day ? date.getTime() : undefined;
}
