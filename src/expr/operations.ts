import { ExprDuration } from './duration.js';
import { ExprEvalError } from './errors.js';
import { compileRegex } from './regex.js';
import { ExprTime } from './time.js';
import { isEqual, isNil, isPlainMap, ownValue, typeName } from './values.js';

/** Longest string an expression may build. */
export const MAX_STRING_LENGTH = 1_000_000;

export function mismatch(op: string, a: unknown, b: unknown): ExprEvalError {
  return new ExprEvalError(`invalid operation: ${op} (mismatched types ${typeName(a)} and ${typeName(b)})`);
}

const isNumber = (v: unknown): v is number => typeof v === 'number';

/** Arithmetic and string operators with expr-lang typing. `/` always yields a float, `%` needs ints. */
export function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (isNumber(a) && isNumber(b)) {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      case '%':
        if (!Number.isInteger(a) || !Number.isInteger(b)) throw mismatch(op, a, b);
        if (b === 0) throw new ExprEvalError('integer divide by zero');
        return a % b;
      case '**':
      case '^':
        return a ** b;
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    if (a.length + b.length > MAX_STRING_LENGTH) {
      throw new ExprEvalError(`string would exceed ${MAX_STRING_LENGTH} characters`);
    }
    return a + b;
  }
  return timeArithmetic(op, a, b);
}

function timeArithmetic(op: string, a: unknown, b: unknown): unknown {
  const da = a instanceof ExprDuration ? a.nanoseconds : undefined;
  const db = b instanceof ExprDuration ? b.nanoseconds : undefined;
  if (da !== undefined && db !== undefined) {
    if (op === '+') return new ExprDuration(da + db);
    if (op === '-') return new ExprDuration(da - db);
    if (op === '/') return da / db;
  }
  if (op === '*' && da !== undefined && isNumber(b)) return new ExprDuration(da * b);
  if (op === '*' && db !== undefined && isNumber(a)) return new ExprDuration(a * db);
  if (op === '/' && da !== undefined && isNumber(b) && b !== 0) return new ExprDuration(da / b);
  if (a instanceof ExprTime) {
    if (op === '+' && db !== undefined) return new ExprTime(a.epochMs + db / 1e6);
    if (op === '-' && db !== undefined) return new ExprTime(a.epochMs - db / 1e6);
    if (op === '-' && b instanceof ExprTime) return new ExprDuration((a.epochMs - b.epochMs) * 1e6);
  }
  if (op === '+' && da !== undefined && b instanceof ExprTime) return new ExprTime(b.epochMs + da / 1e6);
  throw mismatch(op, a, b);
}

/** `<`, `<=`, `>`, `>=` on numbers, strings, durations and times. Any comparison with NaN is false. */
export function compare(op: string, a: unknown, b: unknown): boolean {
  let x: number | string;
  let y: number | string;
  if (isNumber(a) && isNumber(b)) [x, y] = [a, b];
  else if (typeof a === 'string' && typeof b === 'string') [x, y] = [a, b];
  else if (a instanceof ExprDuration && b instanceof ExprDuration) [x, y] = [a.nanoseconds, b.nanoseconds];
  else if (a instanceof ExprTime && b instanceof ExprTime) [x, y] = [a.epochMs, b.epochMs];
  else throw mismatch(op, a, b);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

/** `x in array` (element equality) and `key in map` (own key). `in nil` is false. */
export function membership(needle: unknown, haystack: unknown, charge: (steps: number) => void): boolean {
  if (isNil(haystack)) return false;
  if (Array.isArray(haystack)) {
    charge(haystack.length);
    return haystack.some((item) => isEqual(needle, item));
  }
  if (isPlainMap(haystack)) {
    if (typeof needle !== 'string') throw mismatch('in', needle, haystack);
    return ownValue(haystack, needle) !== undefined;
  }
  throw mismatch('in', needle, haystack);
}

/** `contains`, `startsWith`, `endsWith`, `matches` on strings. */
export function stringOperator(op: string, a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') throw mismatch(op, a, b);
  switch (op) {
    case 'contains':
      return a.includes(b);
    case 'startsWith':
      return a.startsWith(b);
    case 'endsWith':
      return a.endsWith(b);
    default: {
      const regex = compileRegex(b);
      if (typeof regex === 'string') throw new ExprEvalError(regex);
      return regex.test(a);
    }
  }
}
