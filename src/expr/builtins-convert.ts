import { ExprDuration, parseDuration } from './duration.js';
import { ExprEvalError } from './errors.js';
import { goFloat, isIntValue, isNumeric, numberValue, truncateToInt } from './numbers.js';
import type { BuiltinFunction } from './runtime.js';
import { checkArity, invalidArgument, preview } from './runtime.js';
import { ExprTime, parseTime } from './time.js';
import { formatValue, goTypeName, isNil, isPlainMap, mapKeys, NIL_SLICE, typeName } from './values.js';

const GO_INT = /^[+-]?[0-9]+$/;
const GO_FLOAT = /^[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|inf|infinity|nan)$/i;

/**
 * The argument of Argo's `func(float64) bool` helpers (isNaN, isInf): expr calls them through a type
 * assertion, so anything but a number fails as Go's `interface conversion` panic.
 */
function float64Argument(value: unknown): number {
  if (isNumeric(value)) return numberValue(value);
  const type = isNil(value) ? 'nil' : goTypeName(value);
  throw new ExprEvalError(`interface conversion: interface {} is ${type}, not float64`);
}

/** Go's strconv.ParseInt(text, 10, 64). */
export function parseGoInt(text: string): number {
  if (!GO_INT.test(text))
    throw new ExprEvalError(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  const big = BigInt(text);
  if (big > 9223372036854775807n || big < -9223372036854775808n) {
    throw new ExprEvalError(`strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
  }
  return Number(big);
}

/** Go's strconv.ParseFloat(text, 64) for decimal input, `Inf` and `NaN`. */
export function parseGoFloat(text: string): number {
  const invalid = new ExprEvalError(`strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
  if (!GO_FLOAT.test(text)) throw invalid;
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan') return Number.NaN;
  if (/^-?inf(inity)?$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  const value = Number(text);
  if (Number.isNaN(value)) throw invalid;
  if (!Number.isFinite(value)) {
    throw new ExprEvalError(`strconv.ParseFloat: parsing ${JSON.stringify(text)}: value out of range`);
  }
  return value;
}

/** Go's strconv.Atoi as expr's int(string) reports it. */
function atoi(text: string): number {
  try {
    return parseGoInt(text);
  } catch {
    throw new ExprEvalError(`invalid operation: int(${text})`);
  }
}

function length(value: unknown): number {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (isPlainMap(value)) return mapKeys(value).length;
  throw new ExprEvalError(`invalid argument for len (type ${typeName(value)})`);
}

export const CONVERT_BUILTINS: ReadonlyMap<string, BuiltinFunction> = new Map<string, BuiltinFunction>([
  [
    'len',
    (args) => {
      checkArity('len', args, 1);
      return length(args[0]);
    },
  ],
  [
    'type',
    (args) => {
      checkArity('type', args, 1);
      // A nil slice (sort of a non-array) is not a nil interface in Go: its kind is still a slice.
      return args[0] === NIL_SLICE ? 'array' : typeName(args[0]);
    },
  ],
  [
    'int',
    ([value, ...rest]) => {
      checkArity('int', [value, ...rest], 1);
      if (isIntValue(value)) return value;
      if (isNumeric(value)) return truncateToInt(numberValue(value));
      if (typeof value === 'string') return atoi(value);
      throw new ExprEvalError(`invalid operation: int(${goTypeName(value)})`);
    },
  ],
  [
    'float',
    ([value, ...rest]) => {
      checkArity('float', [value, ...rest], 1);
      if (isNumeric(value)) return goFloat(numberValue(value));
      if (typeof value === 'string') {
        try {
          return goFloat(parseGoFloat(value));
        } catch {
          throw new ExprEvalError(`invalid operation: float(${value})`);
        }
      }
      throw new ExprEvalError(`invalid operation: float(${goTypeName(value)})`);
    },
  ],
  [
    'string',
    (args) => {
      checkArity('string', args, 1);
      return formatValue(args[0]);
    },
  ],
  [
    'asInt',
    ([value, ...rest]) => {
      checkArity('asInt', [value, ...rest], 1);
      if (isIntValue(value)) return value;
      if (isNumeric(value)) return truncateToInt(numberValue(value));
      if (typeof value === 'string') return parseGoInt(value);
      throw new ExprEvalError(`asInt() not supported on ${goTypeName(value)} ${preview(value)}`);
    },
  ],
  [
    'asFloat',
    ([value, ...rest]) => {
      checkArity('asFloat', [value, ...rest], 1);
      if (isNumeric(value)) return goFloat(numberValue(value));
      if (typeof value === 'string') return goFloat(parseGoFloat(value));
      throw new ExprEvalError(`asFloat() not supported on ${goTypeName(value)} ${preview(value)}`);
    },
  ],
  [
    'isNaN',
    (args) => {
      checkArity('isNaN', args, 1);
      return Number.isNaN(float64Argument(args[0]));
    },
  ],
  [
    'isInf',
    (args) => {
      checkArity('isInf', args, 1);
      const value = float64Argument(args[0]);
      return value === Infinity || value === -Infinity;
    },
  ],
  [
    'isNil',
    (args) => {
      checkArity('isNil', args, 1);
      return isNil(args[0]);
    },
  ],
  [
    'default',
    ([value, fallback, ...rest]) => {
      checkArity('default', [value, fallback, ...rest], 2);
      return isNil(value) ? fallback : value;
    },
  ],
  [
    'now',
    (args, runtime) => {
      checkArity('now', args, 0);
      return ExprTime.fromDate(runtime.now);
    },
  ],
  [
    'duration',
    ([text, ...rest]) => {
      checkArity('duration', [text, ...rest], 1);
      if (text instanceof ExprDuration) return text;
      if (typeof text !== 'string') throw invalidArgument('duration', text);
      const parsed = parseDuration(text);
      if (typeof parsed === 'string') throw new ExprEvalError(parsed);
      return parsed;
    },
  ],
  [
    'date',
    ([text, ...rest]) => {
      checkArity('date', [text, ...rest], 1);
      if (text instanceof ExprTime) return text;
      if (typeof text !== 'string') throw invalidArgument('date', text);
      const parsed = parseTime(text);
      if (parsed === undefined) throw new ExprEvalError(`cannot parse ${JSON.stringify(text)} as a date`);
      return parsed;
    },
  ],
]);
