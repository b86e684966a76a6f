import { formatGoValue, type GoValueFormat, isGoMap } from '../go/index.js';
import { ExprDuration } from './duration.js';
import { ExprTime } from './time.js';

/** Keys that never resolve, whatever the data holds, so expressions cannot reach prototypes. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type ExprMap = Record<string, unknown>;

export const isNil = (value: unknown): value is null | undefined => value === null || value === undefined;

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
  if (value instanceof ExprDuration) return 'time.Duration';
  if (value instanceof ExprTime) return 'time.Time';
  if (isPlainMap(value)) return 'map';
  return 'object';
}

/** Deep equality with expr semantics: numbers by value (NaN is unequal to itself), arrays and maps by content. */
export function isEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (typeof a === 'number' && typeof b === 'number') return a === b;
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

const EXPR_VALUE_FORMAT: GoValueFormat = {
  text: (v) => (v instanceof ExprDuration || v instanceof ExprTime ? v.toString() : undefined),
  entries: (v) => (isPlainMap(v) ? mapKeys(v).map((k) => [k, ownValue(v, k)?.value] as const) : undefined),
  other: (v) => `<${typeName(v)}>`,
};

/** Go's `%v` text for `string(x)` and string building (expr-lang formats with `fmt.Sprintf("%v")`). */
export function formatValue(value: unknown): string {
  return formatGoValue(value, EXPR_VALUE_FORMAT);
}
