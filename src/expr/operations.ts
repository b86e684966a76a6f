import { ExprDuration } from './duration.js';
import { ExprEvalError } from './errors.js';
import { goPow } from './go-math.js';
import { goFloat, goInt, isIntValue, isNumeric, numberValue } from './numbers.js';
import { compileRegex } from './regex.js';
import { ExprTime } from './time.js';
import { goTypeName, isEqual, isNil, isPlainMap, ownValue } from './values.js';

/** Longest string an expression may build. */
export const MAX_STRING_LENGTH = 1_000_000;

/** expr's runtime panics for operands the checker could not type (vm/runtime: `%T op %T`). */
const runtimeMismatch = (op: string, a: unknown, b: unknown): ExprEvalError =>
  new ExprEvalError(`invalid operation: ${goTypeName(a)} ${op} ${goTypeName(b)}`);

export function mismatch(op: string, a: unknown, b: unknown): ExprEvalError {
  return new ExprEvalError(
    `invalid operation: ${op} (mismatched types ${goTypeName(a)} and ${goTypeName(b)})`,
  );
}

const INT64_SAFE = 2 ** 53;

/** int64 `+ - *` with Go's wrap-around once the exact result leaves the safe integer range. */
function intArithmetic(op: '+' | '-' | '*', a: number, b: number): number {
  const exact = op === '+' ? a + b : op === '-' ? a - b : a * b;
  if (Math.abs(exact) < INT64_SAFE) return goInt(exact);
  const x = BigInt(a);
  const y = BigInt(b);
  return Number(BigInt.asIntN(64, op === '+' ? x + y : op === '-' ? x - y : x * y));
}

/**
 * Arithmetic with expr-lang's kinds: int op int stays int (`+ - * %`), anything with a float is float64,
 * `/` and `**` are always float64, `%` needs two ints.
 */
export function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) {
    const x = numberValue(a);
    const y = numberValue(b);
    const ints = isIntValue(a) && isIntValue(b);
    switch (op) {
      case '+':
      case '-':
      case '*':
        if (ints) return intArithmetic(op, x, y);
        return goFloat(op === '+' ? x + y : op === '-' ? x - y : x * y);
      case '/':
        return goFloat(x / y);
      case '%':
        if (!ints) throw runtimeMismatch(op, a, b);
        if (y === 0) throw new ExprEvalError('integer divide by zero');
        return goInt(x % y);
      case '**':
      case '^':
        return goFloat(goPow(x, y));
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
  if (op === '*' && da !== undefined && isNumeric(b)) return new ExprDuration(da * numberValue(b));
  if (op === '*' && db !== undefined && isNumeric(a)) return new ExprDuration(numberValue(a) * db);
  if (op === '/' && da !== undefined && isNumeric(b) && numberValue(b) !== 0)
    return new ExprDuration(da / numberValue(b));
  if (a instanceof ExprTime) {
    if (op === '+' && db !== undefined) return new ExprTime(a.epochMs + db / 1e6);
    if (op === '-' && db !== undefined) return new ExprTime(a.epochMs - db / 1e6);
    if (op === '-' && b instanceof ExprTime) return new ExprDuration((a.epochMs - b.epochMs) * 1e6);
  }
  if (op === '+' && da !== undefined && b instanceof ExprTime) return new ExprTime(b.epochMs + da / 1e6);
  throw runtimeMismatch(op, a, b);
}

/** `<`, `<=`, `>`, `>=` on numbers, strings, durations and times. Any comparison with NaN is false. */
export function compare(op: string, a: unknown, b: unknown): boolean {
  let x: number | string;
  let y: number | string;
  if (isNumeric(a) && isNumeric(b)) [x, y] = [numberValue(a), numberValue(b)];
  else if (typeof a === 'string' && typeof b === 'string') [x, y] = [a, b];
  else if (a instanceof ExprDuration && b instanceof ExprDuration) [x, y] = [a.nanoseconds, b.nanoseconds];
  else if (a instanceof ExprTime && b instanceof ExprTime) [x, y] = [a.epochMs, b.epochMs];
  else throw runtimeMismatch(op, a, b);
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
  // expr's OpContains / OpStartsWith / OpEndsWith / OpMatches: nil on either side is false.
  if (isNil(a) || isNil(b)) return false;
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
