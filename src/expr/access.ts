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
    // reflect's Index on a string: the byte (typed strings are refused by the checker).
    const bytes = utf8Bytes(object);
    return bytes[toIndex(key, bytes.length, 'string')] ?? null;
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
  if (!isNumeric(value)) {
    throw new ExprEvalError(`slice bounds must be integers, got ${typeName(value)}`);
  }
  const n = truncateToInt(numberValue(value));
  const index = n < 0 ? n + length : n;
  return Math.min(Math.max(index, 0), length);
}

/** `object[from:to]` on arrays and strings; bounds are clamped like expr-lang does. */
export function slice(object: unknown, from: unknown, to: unknown): unknown {
  if (typeof object === 'string') {
    // By byte, as reflect's Slice on a string.
    const bytes = Buffer.from(object, 'utf8');
    const start = bound(from, 0, bytes.length);
    const end = Math.max(start, bound(to, bytes.length, bytes.length));
    return bytes.subarray(start, end).toString('utf8');
  }
  if (!Array.isArray(object)) throw new ExprEvalError(`cannot slice ${typeName(object)}`);
  const start = bound(from, 0, object.length);
  const end = Math.max(start, bound(to, object.length, object.length));
  return object.slice(start, end);
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

/** A string's UTF-8 bytes as ints: what expr iterates and indexes on an untyped string. */
export function utf8Bytes(text: string): number[] {
  return [...Buffer.from(text, 'utf8')];
}
