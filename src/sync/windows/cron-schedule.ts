/**
 * A 5-field cron schedule (minute hour day-of-month month day-of-week) with the semantics of the
 * robfig/cron v3 parser Argo CD builds for sync windows (`cron.Minute | cron.Hour | cron.Dom |
 * cron.Month | cron.Dow`, no descriptors, no seconds): lists, ranges, steps (`N/step` runs to the
 * field's maximum), `*` and `?`, month and weekday names; day-of-month and day-of-week are ANDed when
 * either is a bare `*`/`?`, ORed otherwise. Pure; times are epoch milliseconds read as UTC wall clock.
 */

interface FieldBounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: readonly FieldBounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

/** One field: the allowed values, and whether it was a bare `*`/`?` (robfig's star bit). */
interface Field {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

export interface CronSchedule {
  readonly minute: Field;
  readonly hour: Field;
  readonly dom: Field;
  readonly month: Field;
  readonly dow: Field;
}

export type CronParseResult =
  | { readonly ok: true; readonly schedule: CronSchedule }
  | { readonly ok: false; readonly error: string };

function parseValue(text: string, b: FieldBounds): number {
  const named = b.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new Error(`failed to parse int from ${text}`);
  return Number(text);
}

function parseRange(expr: string, b: FieldBounds, values: Set<number>): boolean {
  const [range = '', stepText, extra] = expr.split('/');
  if (extra !== undefined) throw new Error(`too many slashes: ${expr}`);
  const [low = '', high, more] = range.split('-');
  if (more !== undefined) throw new Error(`too many hyphens: ${expr}`);
  let start: number;
  let end: number;
  let star = false;
  if (low === '*' || low === '?') {
    if (high !== undefined) throw new Error(`too many hyphens: ${expr}`);
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseValue(low, b);
    end = high === undefined ? start : parseValue(high, b);
  }
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) throw new Error(`failed to parse int from ${stepText}`);
    step = Number(stepText);
    // "N/step" means "N-max/step".
    if (high === undefined && !star) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) values.add(v);
  return star;
}

function parseField(text: string, b: FieldBounds): Field {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) star = parseRange(part, b, values) || star;
  return { values, star };
}

/** Parses a 5-field cron expression; the error reads like robfig/cron's. */
export function parseCronSchedule(spec: string): CronParseResult {
  const text = spec.trim();
  if (text.startsWith('@')) return { ok: false, error: `parser does not accept descriptors: ${spec}` };
  const fields = text.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) {
    return { ok: false, error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]` };
  }
  try {
    const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, FIELDS[i]!)) as [
      Field,
      Field,
      Field,
      Field,
      Field,
    ];
    return { ok: true, schedule: { minute, hour, dom, month, dow } };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const domMatch = s.dom.values.has(d.getUTCDate());
  const dowMatch = s.dow.values.has(d.getUTCDay());
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * The first activation strictly after `afterMs` (robfig's `Schedule.Next`), or undefined when none
 * comes within five years (an impossible date such as 30 February).
 */
export function nextActivation(s: CronSchedule, afterMs: number): number | undefined {
  // Next whole second after `afterMs`; activations fall on second 0 of a minute.
  const t = new Date(Math.floor(afterMs / 1000) * 1000 + 1000);
  const yearLimit = t.getUTCFullYear() + 5;
  let added = false;
  wrap: for (;;) {
    if (t.getUTCFullYear() > yearLimit) return undefined;
    while (!s.month.values.has(t.getUTCMonth() + 1)) {
      if (!added) {
        added = true;
        t.setTime(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
      }
      t.setUTCMonth(t.getUTCMonth() + 1);
      if (t.getUTCMonth() === 0) continue wrap;
    }
    while (!dayMatches(s, t)) {
      if (!added) {
        added = true;
        t.setTime(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
      }
      t.setUTCDate(t.getUTCDate() + 1);
      if (t.getUTCDate() === 1) continue wrap;
    }
    while (!s.hour.values.has(t.getUTCHours())) {
      if (!added) {
        added = true;
        t.setTime(Math.floor(t.getTime() / HOUR) * HOUR);
      }
      t.setTime(t.getTime() + HOUR);
      if (t.getUTCHours() === 0) continue wrap;
    }
    while (!s.minute.values.has(t.getUTCMinutes())) {
      if (!added) {
        added = true;
        t.setTime(Math.floor(t.getTime() / MINUTE) * MINUTE);
      }
      t.setTime(t.getTime() + MINUTE);
      if (t.getUTCMinutes() === 0) continue wrap;
    }
    if (t.getUTCSeconds() !== 0) {
      added = true;
      t.setTime(Math.floor(t.getTime() / MINUTE) * MINUTE + MINUTE);
      continue;
    }
    return t.getTime();
  }
}
