import { FuncError } from './errors.js';
import { GoDuration } from './go-duration.js';
import { GoTime } from './go-time.js';
import { GoInt, type GoMap, isGoMap, kindOf, typeName } from './values.js';

/**
 * Argument conversions sprig shares between its function groups: spf13/cast's ToInt64/ToFloat64,
 * Go reflect kinds, and the checks text/template would make for `map[string]interface {}` and
 * `time.Time` parameters (declared `any` here, so the check happens inside the call).
 */

const GO_INT =
  /^([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)$/;
const GO_FLOAT =
  /^[+-]?(?:(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?|0[xX][0-9a-fA-F_]*\.?[0-9a-fA-F_]*[pP][+-]?\d+|inf|infinity|nan)$/i;

/** Go's cast.trimZeroDecimal: `"12.000"` → `"12"`. */
function trimZeroDecimal(s: string): string {
  const m = /^(.*)\.0+$/.exec(s);
  return m ? (m[1] ?? '') : s;
}

/** Go's strconv.ParseInt(s, 0, 64); undefined when it fails. */
export function parseGoInt(s: string): number | undefined {
  const m = GO_INT.exec(s);
  if (!m) return undefined;
  let body = (m[2] ?? '0').replaceAll('_', '');
  if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
  const n = Number(body);
  if (!Number.isFinite(n) || Math.abs(n) > 2 ** 63) return undefined;
  return m[1] === '-' ? -n : n;
}

/** Go's strconv.ParseFloat(s, 64); undefined when it fails. */
export function parseGoFloat(s: string): number | undefined {
  if (s === '' || !GO_FLOAT.test(s) || /^[+-]?\.?$/.test(s)) return undefined;
  const lower = s.toLowerCase().replace(/^\+/, '');
  if (/^-?inf(inity)?$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower === 'nan' || lower === '-nan') return Number.NaN;
  if (/^-?0x/.test(lower)) return undefined;
  const n = Number(s.replaceAll('_', ''));
  return Number.isNaN(n) ? undefined : n;
}

/** spf13/cast's ToInt64 as sprig uses it: numbers truncate, numeric strings parse, the rest is 0. */
export function toInt64(v: unknown): number {
  if (v instanceof GoDuration) return v.ns;
  if (v instanceof GoInt) return v.value;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return -(2 ** 63);
    if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 63) return -(2 ** 63);
    return Math.trunc(v);
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return parseGoInt(trimZeroDecimal(v)) ?? 0;
  return 0;
}

/** spf13/cast's ToFloat64. */
export function toFloat64(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return v.value;
  if (typeof v === 'string') return parseGoFloat(v) ?? 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v instanceof GoDuration ? v.ns : 0;
}

/** Go's reflect.Kind name of a value, as sprig's kindOf prints it. */
export function reflectKind(v: unknown): string {
  if (v instanceof GoTime) return 'struct';
  if (v instanceof GoDuration) return 'int64';
  switch (kindOf(v)) {
    case 'nil':
      return 'invalid';
    case 'float':
      return 'float64';
    case 'struct': {
      const goType = (v as { goType?: unknown }).goType;
      return typeof goType === 'string' && !goType.startsWith('*') ? 'struct' : 'ptr';
    }
    default:
      return kindOf(v);
  }
}

/** text/template's check for a `map[string]interface {}` parameter (nil is a nil map). */
export function expectMap(v: unknown): GoMap | undefined {
  if (v === null || v === undefined) return undefined;
  if (isGoMap(v)) return v;
  throw new FuncError(`wrong type for value; expected map[string]interface {}; got ${typeName(v)}`);
}

/** text/template's check for a `time.Time` parameter. */
export function expectTime(v: unknown): GoTime {
  if (v instanceof GoTime) return v;
  const got = v === null || v === undefined ? 'interface {}' : typeName(v);
  throw new FuncError(`wrong type for value; expected time.Time; got ${got}`);
}

/** text/template's check for a `string` parameter inside a variadic `any` list. */
export function expectString(v: unknown): string {
  if (typeof v === 'string') return v;
  const got = v === null || v === undefined ? 'interface {}' : typeName(v);
  throw new FuncError(`wrong type for value; expected string; got ${got}`);
}

/** text/template's check for an `int` parameter inside a variadic `any` list. */
export function expectInt(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const got = v === null || v === undefined ? 'interface {}' : typeName(v);
  throw new FuncError(`wrong type for value; expected int; got ${got}`);
}

/** The elements of a Go slice or array; undefined for every other kind. */
export function listItems(v: unknown): readonly unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** `reflect.TypeOf(v).Kind()` as sprig calls it on a list argument: a nil value panics. */
export function kindForList(v: unknown): string {
  if (v === null || v === undefined) {
    throw new FuncError('runtime error: invalid memory address or nil pointer dereference');
  }
  return reflectKind(v);
}

/** Builds a fresh map (own enumerable properties only, safe for keys such as `__proto__`). */
export function newMap(entries: Iterable<readonly [string, unknown]> = []): GoMap {
  const out: GoMap = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Sets a key on a map the way Go does, without prototype side effects. */
export function mapSet(map: GoMap, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

const INT64_MIN = -(2n ** 63n);

/** cast.ToInt64 as a 64-bit integer: out-of-range floats and NaN give Go's amd64 result, -2⁶³. */
export function toInt64Big(v: unknown): bigint {
  if (typeof v === 'bigint') return BigInt.asIntN(64, v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 63) return INT64_MIN;
    return BigInt(Math.trunc(v));
  }
  if (typeof v === 'string') {
    const s = trimZeroDecimal(v);
    if (!GO_INT.test(s)) return 0n;
    try {
      const neg = s.startsWith('-');
      let body = s.replace(/^[+-]/, '').replaceAll('_', '');
      if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
      const n = BigInt(body);
      const signed = neg ? -n : n;
      return signed === BigInt.asIntN(64, signed) ? signed : 0n;
    } catch {
      return 0n;
    }
  }
  return BigInt(toInt64(v));
}

/**
 * A Go float64 result as a template value. The value model has no float kind of its own yet (an
 * integral float prints as an int); the one place to change when it does.
 */
export function goFloat(n: number): number {
  return n;
}

/** A Go int64 as a template value: a number when exact, else a bigint (printed exactly). */
export function fromInt64(b: bigint): number | bigint {
  const w = BigInt.asIntN(64, b);
  return w >= BigInt(Number.MIN_SAFE_INTEGER) && w <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(w) : w;
}
