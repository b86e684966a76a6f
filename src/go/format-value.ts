/**
 * Go's `fmt` `%v` for the values our Go-compatible engines carry (JSON-like data): `<nil>`,
 * `true`, integers in decimal, other floats in shortest `%g` (`0.1`, `1e+06`, `1e-05`), strings as
 * they are, slices `[a b]`, maps `map[k:v]` with keys sorted as Go's fmt sorts them, structs `{a b}`.
 * Each engine's own value types (durations, times, Stringers) come in through `text`. Pure.
 */
import { formatG } from './format-float.js';

export interface GoValueFormat {
  /** The text of a value the engine knows (a duration, a time, a Stringer); undefined: format it here. */
  readonly text?: (value: unknown) => string | undefined;
  /** A map's entries, or undefined when the object is no map. Default: own entries of a plain object. */
  readonly entries?: (value: object) => readonly (readonly [string, unknown])[] | undefined;
  /** An object that is neither slice nor map, or a function. Default: `{a b}` for structs, `<func>`. */
  readonly other?: (value: object) => string | undefined;
  /** Formats the elements of slices, maps and structs (printf applies its verb). Default: `%v`. */
  readonly element?: (value: unknown, depth: number) => string;
  /** Deepest nesting formatted; deeper calls `tooDeep`. Default: no limit (JSON data is a tree). */
  readonly maxDepth?: number;
  readonly tooDeep?: (maxDepth: number) => Error;
}

/** A number as `%v` prints it: integral values as Go ints, the rest as float64 (shortest `%g`). */
export function formatGoNumber(n: number): string {
  if (Number.isInteger(n)) return Object.is(n, -0) ? '0' : String(n);
  return formatG(n);
}

/**
 * A JSON object as Go's `map[string]interface{}`: a plain object (literal, parsed JSON, null
 * prototype); class instances are structs.
 */
export function isGoMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const plainEntries = (value: object): readonly (readonly [string, unknown])[] | undefined =>
  isGoMap(value) ? Object.entries(value) : undefined;

/**
 * Go orders string keys by their UTF-8 bytes, which is code point order: the same as UTF-16 unit
 * order except that surrogates (code points above U+FFFF) sort after U+E000–U+FFFF.
 */
function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    return xs === ys ? x - y : xs ? 1 : -1;
  }
  return a.length - b.length;
}

/** `fmt.Sprintf("%v", value)`. */
export function formatGoValue(value: unknown, format: GoValueFormat = {}, depth = 0): string {
  if (format.maxDepth !== undefined && depth > format.maxDepth) {
    throw (
      format.tooDeep?.(format.maxDepth) ?? new RangeError(`value nesting exceeds ${format.maxDepth} levels`)
    );
  }
  const known = format.text?.(value);
  if (known !== undefined) return known;
  if (value === undefined || value === null) return '<nil>';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return value;
    case 'number':
      return formatGoNumber(value);
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return format.other?.(value) ?? '<func>';
  }
  const inner = (x: unknown): string =>
    format.element !== undefined ? format.element(x, depth + 1) : formatGoValue(x, format, depth + 1);
  if (Array.isArray(value)) return `[${value.map(inner).join(' ')}]`;
  const entries = (format.entries ?? plainEntries)(value);
  if (entries !== undefined) {
    const sorted = [...entries].sort(([a], [b]) => compareGoStrings(a, b));
    return `map[${sorted.map(([k, v]) => `${k}:${inner(v)}`).join(' ')}]`;
  }
  return format.other?.(value) ?? `{${Object.values(value).map(inner).join(' ')}}`;
}
