import { parseGoTime, ZERO_TIME_MS, zoneAt } from '../go/index.js';
import { FuncError } from './errors.js';
import type { FuncContext, GoFunc, ParamType } from './functions.js';
import { GoDuration, parseGoDuration } from './go-duration.js';
import { GoTime } from './go-time.js';
import { expectTime } from './sprig-convert.js';
import { GoInt } from './values.js';

/**
 * sprig's date.go. `now` is the one clock read and comes from the execution context. Slipway's
 * `Local` is UTC (as in the controller's container); other zones come from the runtime's tz data.
 */

const SECOND_NS = 1_000_000_000;

/** A date argument: a time, or an integer count of Unix seconds; anything else means now. */
function dateArg(v: unknown, ctx: FuncContext): GoTime {
  if (v instanceof GoTime) return v;
  if (v instanceof GoInt) return new GoTime(v.value * 1000);
  if (typeof v === 'bigint') return new GoTime(Number(v) * 1000);
  return ctx.now();
}

/** time.Time.In(LoadLocation(zone)), falling back to UTC for an unknown zone as sprig does. */
export function inZone(t: GoTime, zone: string): GoTime {
  const z = zoneAt(zone, t.epochMs) ?? { offsetSec: 0, abbrev: 'UTC' };
  return new GoTime(t.epochMs, t.subMsNanos, z.offsetSec, z.abbrev);
}

const formatInZone = (layout: string, v: unknown, zone: string, ctx: FuncContext): string =>
  inZone(dateArg(v, ctx), zone).Format(layout);

/** Go's time.ParseInLocation(layout, value, Local) with Local = UTC. */
export function parseTime(layout: string, value: string): GoTime {
  const parsed = parseGoTime(layout, value);
  if (!parsed.ok) throw new FuncError(parsed.message);
  const { epochMs, subMsNanos, offsetSec, zone } = parsed.time;
  if (offsetSec !== undefined) {
    return new GoTime(epochMs, subMsNanos, offsetSec, offsetSec === 0 ? 'UTC' : '');
  }
  if (zone === '' || zone === 'UTC') return new GoTime(epochMs, subMsNanos);
  const gmt = /^GMT([+-]\d+)$/.exec(zone);
  const off = gmt ? Number(gmt[1]) * 3600 : 0;
  // Go keeps the instant read as UTC and only attaches the fabricated zone (setLoc).
  return new GoTime(epochMs, subMsNanos, off, zone);
}

const zeroTime = (): GoTime => new GoTime(ZERO_TIME_MS);

function modify(spec: string, t: unknown, must: boolean): GoTime {
  const time = expectTime(t);
  try {
    return time.Add(parseGoDuration(spec));
  } catch (err) {
    if (must) throw err;
    return time;
  }
}

/** durationRound's coarse units: years of 365 days, months of 30. */
function roundDuration(v: unknown, ctx: FuncContext): string {
  let ns = 0n;
  if (typeof v === 'string') {
    try {
      ns = BigInt(parseGoDuration(v).ns);
    } catch {
      ns = 0n;
    }
  } else if (typeof v === 'bigint') ns = v;
  else if (v instanceof GoTime) ns = BigInt(ctx.now().Sub(v).ns);
  const u = ns < 0n ? -ns : ns;
  const hour = 3_600_000_000_000n;
  const units: readonly [bigint, string][] = [
    [hour * 24n * 365n, 'y'],
    [hour * 24n * 30n, 'mo'],
    [hour * 24n, 'd'],
    [hour, 'h'],
    [60_000_000_000n, 'm'],
    [1_000_000_000n, 's'],
  ];
  for (const [size, suffix] of units) if (u > size) return `${u / size}${suffix}`;
  return '0s';
}

/** sprig's duration: seconds as a string or an int64; other kinds (Go's int included) are 0. */
function duration(v: unknown): string {
  let n = 0n;
  if (typeof v === 'string') n = /^[+-]?\d+$/.test(v) ? BigInt.asIntN(64, BigInt(v)) : 0n;
  else if (typeof v === 'bigint') n = v;
  return new GoDuration(Number(BigInt.asIntN(64, n * BigInt(SECOND_NS)))).String();
}

const fn = (params: readonly ParamType[], call: GoFunc['call']): GoFunc => ({
  params,
  variadic: undefined,
  call,
});

const dateModify = fn(['string', 'any'], ([s, t]) => modify(s as string, t, false));
const mustDateModify = fn(['string', 'any'], ([s, t]) => modify(s as string, t, true));
const dateInZone = fn(['string', 'any', 'string'], ([f, t, z], ctx) =>
  formatInZone(f as string, t, z as string, ctx),
);

/** sprig's date functions. */
export const SPRIG_DATES: Readonly<Record<string, GoFunc>> = {
  now: fn([], (_, ctx) => ctx.now()),
  date: fn(['string', 'any'], ([f, t], ctx) => formatInZone(f as string, t, 'Local', ctx)),
  dateInZone,
  date_in_zone: dateInZone,
  htmlDate: fn(['any'], ([t], ctx) => formatInZone('2006-01-02', t, 'Local', ctx)),
  htmlDateInZone: fn(['any', 'string'], ([t, z], ctx) => formatInZone('2006-01-02', t, z as string, ctx)),
  dateModify,
  date_modify: dateModify,
  mustDateModify,
  must_date_modify: mustDateModify,
  ago: fn(['any'], ([t], ctx) => ctx.now().Sub(dateArg(t, ctx)).Round(new GoDuration(SECOND_NS)).String()),
  duration: fn(['any'], ([v]) => duration(v)),
  durationRound: fn(['any'], ([v], ctx) => roundDuration(v, ctx)),
  toDate: fn(['string', 'string'], ([f, s]) => {
    try {
      return parseTime(f as string, s as string);
    } catch {
      return zeroTime();
    }
  }),
  mustToDate: fn(['string', 'string'], ([f, s]) => parseTime(f as string, s as string)),
  unixEpoch: fn(['any'], ([t]) => String(expectTime(t).Unix())),
};
