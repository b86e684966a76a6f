import { FuncError } from './errors.js';
import { def, defVariadic, type GoFunc } from './functions.js';
import { GoDuration } from './go-duration.js';
import { goJson } from './go-json.js';
import { GoTime } from './go-time.js';
import { strval } from './sprig-strings.js';
import { createTimeNamespace } from './time-namespace.js';
import { GoInt, kindOf, numberValue, sortedKeys, typeName } from './values.js';

/** spf13/cast's ToInt64 as sprig uses it: numbers truncate, numeric strings parse, the rest is 0. */
export function toInt64(v: unknown): number {
  if (v instanceof GoDuration) return v.ns;
  if (v instanceof GoInt) return v.value;
  // Go's int64(f) on amd64: NaN, infinities and out-of-range floats become the smallest int64.
  if (typeof v === 'number') return Number.isFinite(v) && Math.abs(v) < 2 ** 63 ? Math.trunc(v) : -(2 ** 63);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v.replace(/\.0*$/, '');
    const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/.exec(s);
    if (!m) return 0;
    const body = (m[2] ?? '0').replace(/^0(?=[0-7])/, '0o');
    const n = Number(body);
    return Number.isFinite(n) ? (m[1] === '-' ? -n : n) : 0;
  }
  return 0;
}

function toFloat64(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return v.value;
  if (typeof v === 'string') {
    // strconv.ParseFloat's decimal syntax (no surrounding space, no 0x without an exponent); else 0.
    if (/^[+-]?(?:inf|infinity)$/i.test(v)) return v.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/i.test(v)) return Number.NaN;
    return /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(v) ? Number(v) : 0;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v instanceof GoDuration ? v.ns : 0;
}

/** sprig's empty: zero values, nil and empty collections; structs are never empty. */
export function isEmpty(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'nil':
      return true;
    case 'bool':
      return v === false;
    case 'int':
    case 'float':
      return numberValue(v) === 0;
    case 'string':
      return v === '';
    case 'slice':
      return (v as unknown[]).length === 0;
    case 'map':
      return Object.keys(v as object).length === 0;
    default:
      return false;
  }
}

function listEnd(list: unknown, which: 'first' | 'last'): unknown {
  if (!Array.isArray(list)) throw new FuncError(`Cannot find ${which} on type ${typeName(list)}`);
  return which === 'first' ? list[0] : list[list.length - 1];
}

function intDivide(a: unknown, b: unknown, op: 'div' | 'mod'): number {
  const x = toInt64(a);
  const y = toInt64(b);
  if (y === 0) throw new FuncError('runtime error: integer divide by zero');
  return op === 'div' ? Math.trunc(x / y) : x % y;
}

function dict(args: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i += 2) {
    Object.defineProperty(out, strval(args[i]), {
      value: i + 1 < args.length ? (args[i + 1] ?? null) : '',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function asTime(v: unknown, now: () => GoTime): GoTime {
  if (v instanceof GoTime) return v;
  if (v instanceof GoInt) return new GoTime(v.value * 1000);
  return now();
}

const safeJson = (v: unknown, indent: string, escapeHtml: boolean): string => {
  try {
    return goJson(v, indent, escapeHtml);
  } catch {
    return '';
  }
};

/** sprig's non-string functions that Slipway supports (math, defaults, lists, dicts, JSON, dates). */
export const SPRIG_OTHER: Readonly<Record<string, GoFunc>> = {
  add: defVariadic([], 'any', (_, xs) => xs.reduce<number>((acc, x) => acc + toInt64(x), 0)),
  add1: def(['any'], (x) => toInt64(x) + 1),
  sub: def(['any', 'any'], (a, b) => toInt64(a) - toInt64(b)),
  mul: defVariadic(['any'], 'any', ([a], xs) => xs.reduce<number>((acc, x) => acc * toInt64(x), toInt64(a))),
  div: def(['any', 'any'], (a, b) => intDivide(a, b, 'div')),
  mod: def(['any', 'any'], (a, b) => intDivide(a, b, 'mod')),
  max: defVariadic(['any'], 'any', ([a], xs) => Math.max(toInt64(a), ...xs.map(toInt64))),
  min: defVariadic(['any'], 'any', ([a], xs) => Math.min(toInt64(a), ...xs.map(toInt64))),
  atoi: def(['string'], (s) => (/^[+-]?\d+$/.test(s) ? Number(s) : 0)),
  int: def(['any'], toInt64),
  int64: def(['any'], toInt64),
  float64: def(['any'], toFloat64),
  default: defVariadic(['any'], 'any', ([d], given) =>
    given.length === 0 || isEmpty(given[0]) ? d : given[0],
  ),
  empty: def(['any'], isEmpty),
  coalesce: defVariadic([], 'any', (_, xs) => xs.find((x) => !isEmpty(x)) ?? null),
  ternary: def(['any', 'any', 'bool'], (yes, no, cond) => (cond ? yes : no)),
  fail: def(['string'], (msg) => {
    throw new FuncError(msg);
  }),
  list: defVariadic([], 'any', (_, xs) => xs.map((x) => x ?? null)),
  dict: defVariadic([], 'any', (_, xs) => dict(xs)),
  first: def(['any'], (l) => listEnd(l, 'first')),
  last: def(['any'], (l) => listEnd(l, 'last')),
  hasKey: def(['map', 'string'], (m, k) => m !== null && Object.hasOwn(m, k)),
  keys: defVariadic([], 'map', (_, maps) => maps.flatMap((m) => (m !== null ? sortedKeys(m) : []))),
  sortAlpha: def(['any'], (l) =>
    // strslice drops nils; strings sort by their bytes.
    (Array.isArray(l) ? l.filter((x) => x !== null && x !== undefined).map(strval) : [strval(l)]).sort(),
  ),
  toJson: def(['any'], (v) => safeJson(v, '', true)),
  toPrettyJson: def(['any'], (v) => safeJson(v, '  ', true)),
  toRawJson: def(['any'], (v) => safeJson(v, '', false)),
  fromJson: def(['string'], (s) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return null;
    }
  }),
  now: { params: [], variadic: undefined, call: (_, ctx) => ctx.now() },
  date: {
    params: ['string', 'any'],
    variadic: undefined,
    call: ([f, t], ctx) => asTime(t, ctx.now).UTC().Format(f),
  },
  dateInZone: {
    params: ['string', 'any', 'string'],
    variadic: undefined,
    call: ([f, t], ctx) => asTime(t, ctx.now).UTC().Format(f),
  },
  unixEpoch: def(['any'], (t) => {
    if (!(t instanceof GoTime))
      throw new FuncError(`wrong type for value; expected time.Time; got ${typeName(t)}`);
    return String(t.Unix());
  }),
  ago: {
    params: ['any'],
    variadic: undefined,
    call: ([t], ctx) => {
      const now = ctx.now();
      return now.Sub(asTime(t, ctx.now)).Round(new GoDuration(1e9)).String();
    },
  },
  /** Slipway extension: `time.Now` / `time.Parse` without the leading dot, bound to the clock. */
  time: {
    params: [],
    variadic: undefined,
    call: (_, ctx) => createTimeNamespace(() => new Date(ctx.now().UnixMilli())),
  },
};
