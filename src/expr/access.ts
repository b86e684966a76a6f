import { ExprError, ExprEvalError } from './errors.js';
import { isNumeric, numberValue, truncateToInt } from './numbers.js';
import { preview } from './runtime.js';
import { adopt, isNil, isPlainMap, ownValue, typeName } from './values.js';

/** expr's runtime.Fetch index: any number, truncated (runtime.ToInt); negative counts from the end. */
function toIndex(key: unknown, length: number, kind: string): number {
  if (!isNumeric(key)) {
    throw new ExprEvalError(`cannot use ${typeName(key)} as index to ${kind}`);
  }
  const n = truncateToInt(numberValue(key));
  const index = n < 0 ? n + length : n;
  if (index < 0 || index >= length) {
    throw new ExprEvalError(`index out of range: ${index} (array length is ${length})`);
  }
  return index;
}

/**
 * `object[key]` and `object.key`. Maps yield their own data properties (missing keys are nil); arrays and
 * strings take integer indexes, negative ones counting from the end. Nothing else can be read.
 */
export function fetch(object: unknown, key: unknown): unknown {
  if (Array.isArray(object)) return adopt(object[toIndex(key, object.length, 'array')]) ?? null;
  if (typeof object === 'string') {
    const chars = [...object];
    return chars[toIndex(key, chars.length, 'string')] ?? null;
  }
  if (isPlainMap(object)) {
    if (typeof key !== 'string' && typeof key !== 'number') {
      throw new ExprEvalError(`cannot use ${typeName(key)} as map key`);
    }
    return ownValue(object, String(key))?.value ?? null;
  }
  throw new ExprEvalError(`cannot fetch ${preview(key)} from ${typeName(object)}`);
}

function bound(value: unknown, fallback: number, length: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ExprEvalError(`slice bounds must be integers, got ${typeName(value)}`);
  }
  const index = value < 0 ? value + length : value;
  return Math.min(Math.max(index, 0), length);
}

/** `object[from:to]` on arrays and strings; bounds are clamped like expr-lang does. */
export function slice(object: unknown, from: unknown, to: unknown): unknown {
  const items = Array.isArray(object) ? object : typeof object === 'string' ? [...object] : undefined;
  if (items === undefined) throw new ExprEvalError(`cannot slice ${typeName(object)}`);
  const start = bound(from, 0, items.length);
  const end = Math.max(start, bound(to, items.length, items.length));
  const part = items.slice(start, end);
  return typeof object === 'string' ? part.join('') : part;
}

/** Calls a function supplied by the environment; anything it throws becomes an ExprEvalError. */
export function callHost(name: string, fn: unknown, self: unknown, args: readonly unknown[]): unknown {
  if (typeof fn !== 'function') throw new ExprEvalError(`${name} is not a function`);
  try {
    const result: unknown = Reflect.apply(fn, self, args);
    return isNil(result) ? null : adopt(result);
  } catch (err) {
    if (err instanceof ExprError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new ExprEvalError(`${name}() failed: ${reason}`, { cause: err });
  }
}
