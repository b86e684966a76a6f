/**
 * Numbers with Go's two kinds. expr-lang keeps `int` and `float64` apart (`type(1.0)` is "float", `%` needs
 * ints, `string(1e6)` is "1e+06" but `string(1000000)` is "1000000"). A JS number that is integral is an
 * int; a non-integral one (and NaN, ±Inf) is a float; an integral float (1.0, -0, 1e21) is a GoFloat box.
 * Values leave the language as plain JS numbers (`toHost`).
 */
export class GoFloat {
  constructor(readonly value: number) {}
}

export type ExprNumber = number | GoFloat;

export const isNumeric = (v: unknown): v is ExprNumber => typeof v === 'number' || v instanceof GoFloat;

export const isFloatValue = (v: unknown): boolean =>
  v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v));

export const isIntValue = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const numberValue = (v: ExprNumber): number => (typeof v === 'number' ? v : v.value);

/** A float64 result. */
export const goFloat = (n: number): ExprNumber => (Number.isInteger(n) ? new GoFloat(n) : n);

/** -2^63 and 2^63, exact as doubles. */
const INT64_MIN = -(2 ** 63);
const INT64_LIMIT = 2 ** 63;

/** An int result: never negative zero. */
export const goInt = (n: number): number => (n === 0 ? 0 : n);

/** Go's int(f) on amd64: truncation, and int64's minimum for NaN and values out of range. */
export function truncateToInt(f: number): number {
  if (Number.isNaN(f) || f >= INT64_LIMIT || f < INT64_MIN) return INT64_MIN;
  return goInt(Math.trunc(f));
}

/** Plain JS values: GoFloat boxes unwrapped, deeply (containers are copied only when they hold one). */
export function toHost(value: unknown, depth = 0): unknown {
  if (value instanceof GoFloat) return value.value;
  if (depth > 64 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => toHost(v, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const record = value as Record<string, unknown>;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const descriptor = Object.getOwnPropertyDescriptor(record, key);
    if (descriptor === undefined || !('value' in descriptor)) continue;
    const v = toHost(descriptor.value, depth + 1);
    if (v !== descriptor.value) changed = true;
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return changed ? out : value;
}

/**
 * Host data whose numbers are all float64, as Argo's metric providers hand over results (JSON decoded
 * into `any`, Prometheus samples): integral numbers become GoFloat, deeply.
 */
export function floatsFromHost(value: unknown, depth = 0): unknown {
  if (typeof value === 'number') return goFloat(value);
  if (depth > 64 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => floatsFromHost(v, depth + 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || !('value' in descriptor)) continue;
    Object.defineProperty(out, key, {
      value: floatsFromHost(descriptor.value, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
