import { formatG, isGoMap } from '../go/index.js';
import { ExprDuration } from './duration.js';
import { GoFloat, isNumeric, numberValue } from './numbers.js';
import { ExprTime } from './time.js';

/** Keys that never resolve, whatever the data holds, so expressions cannot reach prototypes. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type ExprMap = Record<string, unknown>;

/** Go's nil []interface {} (sort of a non-array): nil for `??` and `== nil`, an empty array otherwise. */
export const NIL_SLICE: readonly unknown[] = Object.freeze([]);

export const isNil = (value: unknown): value is null | undefined =>
  value === null || value === undefined || value === NIL_SLICE;

/** Plain objects (object literals, JSON, null-prototype maps) are expr maps; class instances are not. */
export const isPlainMap = (value: unknown): value is ExprMap => isGoMap(value);

export const isForbiddenKey = (key: string): boolean => FORBIDDEN_KEYS.has(key);

/** Own data property of a plain map or array, or undefined. Never runs getters, never walks prototypes. */
export function ownValue(container: object, key: string): { readonly value: unknown } | undefined {
  if (FORBIDDEN_KEYS.has(key)) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(container, key);
  if (descriptor === undefined || !('value' in descriptor)) return undefined;
  return { value: adopt(descriptor.value) };
}

/** Host values entering the language: a JS Date becomes a time. */
export function adopt(value: unknown): unknown {
  return value instanceof Date ? ExprTime.fromDate(value) : value;
}

/** The own, readable keys of a map, in insertion order. */
export function mapKeys(map: ExprMap): string[] {
  return Object.keys(map).filter((k) => !FORBIDDEN_KEYS.has(k) && ownValue(map, k) !== undefined);
}

/** expr-lang type names: nil, bool, int, float, string, array, map, time.Duration, time.Time, func. */
export function typeName(value: unknown): string {
  if (isNil(value)) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
    case 'bigint':
      return 'int';
    default:
      break;
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof GoFloat) return 'float';
  if (value instanceof ExprDuration) return 'time.Duration';
  if (value instanceof ExprTime) return 'time.Time';
  if (isPlainMap(value)) return 'map';
  return 'object';
}

/** Go's type of a value as `%T` prints it, for error messages: int, float64, []interface {}, <nil>. */
export function goTypeName(value: unknown): string {
  if (isNil(value)) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (isPlainMap(value)) return 'map[string]interface {}';
  const name = typeName(value);
  return name === 'float' ? 'float64' : name;
}

/**
 * Equality as expr's runtime.Equal: numbers by value across int and float (NaN is unequal to itself);
 * inside arrays and maps reflect.DeepEqual, where an int never equals a float.
 */
export function isEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (isNumeric(a) && isNumeric(b)) {
    if (
      depth > 0 &&
      (a instanceof GoFloat || !Number.isInteger(a)) !== (b instanceof GoFloat || !Number.isInteger(b))
    )
      return false;
    return numberValue(a) === numberValue(b);
  }
  if (a === b) return true;
  if (depth > 64) return false;
  if (a instanceof ExprDuration && b instanceof ExprDuration) return a.nanoseconds === b.nanoseconds;
  if (a instanceof ExprTime && b instanceof ExprTime) return a.epochMs === b.epochMs;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => isEqual(item, b[i], depth + 1));
  }
  if (isPlainMap(a) && isPlainMap(b)) {
    const keys = mapKeys(a);
    if (keys.length !== mapKeys(b).length) return false;
    return keys.every((k) => {
      const other = ownValue(b, k);
      return other !== undefined && isEqual(ownValue(a, k)?.value, other.value, depth + 1);
    });
  }
  return false;
}

/** Go-like text for `string(x)` and string building. */
export function formatValue(value: unknown): string {
  if (value === NIL_SLICE) return '[]';
  if (isNil(value)) return '<nil>';
  if (typeof value === 'string') return value;
  if (value instanceof GoFloat) return formatG(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? formatInt(value) : formatG(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof ExprDuration || value instanceof ExprTime) return value.toString();
  if (Array.isArray(value)) return `[${value.map(formatValue).join(' ')}]`;
  if (isPlainMap(value)) {
    return `map[${mapKeys(value)
      .sort()
      .map((k) => `${k}:${formatValue(ownValue(value, k)?.value)}`)
      .join(' ')}]`;
  }
  return `<${typeName(value)}>`;
}

/** An int64 in decimal, exact beyond 2^53 (int(1e21) is -9223372036854775808). */
export const formatInt = (value: number): string =>
  Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();

/** Numbers as Go prints them: `3`, `3.5`, `NaN`, `+Inf`, `1e+21`. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value).replace(/e([+-])(\d)$/, 'e$10$2');
}
