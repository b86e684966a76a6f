import { utf8Bytes } from './access.js';
import { ExprEvalError } from './errors.js';
import { toJson } from './json.js';
import type { ExprNumber } from './numbers.js';
import { GoFloat, goFloat, goInt, isIntValue, isNumeric, numberValue } from './numbers.js';
import type { BuiltinFunction } from './runtime.js';
import { checkArity, expectArray, expectInt, invalidArgument } from './runtime.js';
import type { ExprMap } from './values.js';
import { goTypeName, isEqual, isNil, isPlainMap, mapKeys, NIL_SLICE, ownValue } from './values.js';

function expectMap(name: string, value: unknown): ExprMap {
  if (!isPlainMap(value)) throw invalidArgument(name, value);
  return value;
}

/** Go's reflect.Kind name of a value, as expr's collection builtins report it. */
const goKind = (value: unknown): string => {
  if (isNil(value)) return 'invalid';
  if (isPlainMap(value)) return 'map';
  const name = goTypeName(value);
  return name === 'time.Duration' ? 'int64' : name === 'time.Time' ? 'struct' : name;
};

const invalidFor = (name: string, value: unknown): ExprEvalError =>
  new ExprEvalError(`invalid argument for ${name} (type ${goTypeName(value)})`);

/**
 * expr's max/min: numbers from the arguments and (nested) arrays; a later value replaces the one kept when
 * `replaces(kept, next)` (so a NaN is kept only when it comes first); nothing numeric is nil; a single
 * non-array, non-number argument is returned as it is.
 */
function minMax(
  name: string,
  replaces: (kept: number, next: number) => boolean,
  args: readonly unknown[],
  depth = 0,
): unknown {
  if (depth > 64) throw new ExprEvalError(`${name}: arrays nested too deeply`);
  let kept: ExprNumber | undefined;
  const consider = (value: ExprNumber) => {
    if (kept === undefined || replaces(numberValue(kept), numberValue(value))) kept = value;
  };
  for (const arg of args) {
    if (Array.isArray(arg)) {
      for (const item of arg) {
        const value = minMax(name, replaces, [item], depth + 1);
        if (!isNumeric(value)) throw invalidFor(name, value);
        consider(value);
      }
    } else if (isNumeric(arg)) {
      consider(arg);
    } else {
      if (args.length === 1) return arg ?? null;
      throw invalidFor(name, arg);
    }
  }
  return kept ?? null;
}

/** The numbers of expr's mean/median: arguments and (nested) arrays flattened; anything else is an error. */
function aggregateNumbers(name: string, args: readonly unknown[], out: number[] = [], depth = 0): number[] {
  if (depth > 64) throw new ExprEvalError(`${name}: arrays nested too deeply`);
  for (const arg of args) {
    if (Array.isArray(arg)) aggregateNumbers(name, arg, out, depth + 1);
    else if (isNumeric(arg)) out.push(numberValue(arg));
    else throw invalidFor(name, arg);
  }
  return out;
}

/** Go's sort.Float64s order: NaN first. */
const float64Order = (a: number, b: number): number =>
  Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b;

/** expr's ceil/floor/round: float64 results; an int becomes its float. */
const rounding =
  (name: string, fn: (n: number) => number): BuiltinFunction =>
  (args) => {
    checkArity(name, args, 1);
    const value = args[0];
    if (isIntValue(value)) return goFloat(value);
    if (!isNumeric(value)) throw invalidFor(name, value);
    return goFloat(fn(numberValue(value)));
  };

function sortValues(items: readonly unknown[], descending: boolean): unknown[] {
  const allNumbers = items.every(isNumeric);
  const allStrings = items.every((i) => typeof i === 'string');
  if (!allNumbers && !allStrings)
    throw new ExprEvalError('sort needs an array of only numbers or only strings');
  const key = (v: unknown): number | string => (isNumeric(v) ? numberValue(v) : (v as string));
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return descending ? sorted.reverse() : sorted;
}

/** expr's flatten: nested arrays spread, depth-first. */
function flattenArray(items: readonly unknown[], out: unknown[] = [], depth = 0): unknown[] {
  if (depth > 64) throw new ExprEvalError('flatten: arrays nested too deeply');
  for (const item of items) {
    if (Array.isArray(item)) flattenArray(item, out, depth + 1);
    else out.push(item);
  }
  return out;
}

export const COLLECTION_BUILTINS: ReadonlyMap<string, BuiltinFunction> = new Map<string, BuiltinFunction>([
  [
    'abs',
    (args) => {
      checkArity('abs', args, 1);
      const value = args[0];
      if (isIntValue(value)) return value === -(2 ** 63) ? value : goInt(Math.abs(value));
      if (!isNumeric(value)) throw invalidFor('abs', value);
      const x = numberValue(value);
      return goFloat(x < 0 ? -x : x);
    },
  ],
  [
    'max',
    (args) => {
      if (args.length === 0) throw new ExprEvalError('not enough arguments to call max');
      return minMax('max', (kept, next) => kept < next, args);
    },
  ],
  [
    'min',
    (args) => {
      if (args.length === 0) throw new ExprEvalError('not enough arguments to call min');
      return minMax('min', (kept, next) => kept > next, args);
    },
  ],
  ['ceil', rounding('ceil', Math.ceil)],
  ['floor', rounding('floor', Math.floor)],
  ['round', rounding('round', (n) => Math.sign(n) * Math.round(Math.abs(n)))],
  [
    'mean',
    (args) => {
      if (args.length === 0) throw new ExprEvalError('not enough arguments to call mean');
      const list = aggregateNumbers('mean', args);
      if (list.length === 0) return new GoFloat(0);
      return goFloat(list.reduce((a, b) => a + b, 0) / list.length);
    },
  ],
  [
    'median',
    (args) => {
      if (args.length === 0) throw new ExprEvalError('not enough arguments to call median');
      const list = aggregateNumbers('median', args).sort(float64Order);
      if (list.length === 0) return new GoFloat(0);
      const mid = Math.floor(list.length / 2);
      return goFloat(
        list.length % 2 === 1 ? (list[mid] ?? 0) : ((list[mid - 1] ?? 0) + (list[mid] ?? 0)) / 2,
      );
    },
  ],
  [
    'first',
    (args) => {
      checkArity('first', args, 1);
      // expr's first recovers from a failing fetch: anything but a non-empty array gives nil.
      const list = typeof args[0] === 'string' ? utf8Bytes(args[0]) : args[0];
      return Array.isArray(list) && list.length > 0 ? list[0] : null;
    },
  ],
  [
    'last',
    (args) => {
      checkArity('last', args, 1);
      const list = typeof args[0] === 'string' ? utf8Bytes(args[0]) : args[0];
      return Array.isArray(list) && list.length > 0 ? list[list.length - 1] : null;
    },
  ],
  [
    'take',
    (args) => {
      checkArity('take', args, 2);
      return expectArray('take', args[0]).slice(0, Math.max(0, expectInt('take', args[1])));
    },
  ],
  [
    'reverse',
    (args) => {
      checkArity('reverse', args, 1);
      const value = args[0];
      if (!Array.isArray(value)) throw new ExprEvalError(`cannot reverse ${goKind(value)}`);
      return [...value].reverse();
    },
  ],
  [
    'sort',
    (args) => {
      checkArity('sort', args, 1, 2);
      const order = args.length === 2 ? args[1] : 'asc';
      if (order !== 'asc' && order !== 'desc') throw new ExprEvalError('sort order must be "asc" or "desc"');
      // expr's sort of anything but an array answers a nil slice.
      return Array.isArray(args[0]) ? sortValues(args[0], order === 'desc') : NIL_SLICE;
    },
  ],
  [
    'concat',
    (args, runtime) => {
      const lists = args.map((a) => expectArray('concat', a));
      runtime.charge(lists.reduce((n, l) => n + l.length, 0));
      return lists.flat();
    },
  ],
  [
    'flatten',
    (args, runtime) => {
      checkArity('flatten', args, 1);
      const value = args[0];
      if (!Array.isArray(value)) throw new ExprEvalError(`cannot flatten ${goKind(value)}`);
      const flat = flattenArray(value);
      runtime.charge(flat.length);
      return flat;
    },
  ],
  [
    'uniq',
    (args) => {
      checkArity('uniq', args, 1);
      const value = args[0];
      if (!Array.isArray(value)) throw new ExprEvalError(`cannot uniq ${goKind(value)}`);
      const kept: unknown[] = [];
      for (const item of value) if (!kept.some((k) => isEqual(k, item))) kept.push(item);
      return kept;
    },
  ],
  [
    'keys',
    (args) => {
      checkArity('keys', args, 1);
      return mapKeys(expectMap('keys', args[0]));
    },
  ],
  [
    'values',
    (args) => {
      checkArity('values', args, 1);
      const map = expectMap('values', args[0]);
      return mapKeys(map).map((k) => ownValue(map, k)?.value);
    },
  ],
  [
    'get',
    (args) => {
      checkArity('get', args, 2);
      const [container, key] = args;
      if (Array.isArray(container) && typeof key === 'number' && Number.isInteger(key)) {
        const index = key < 0 ? key + container.length : key;
        return index >= 0 && index < container.length ? container[index] : null;
      }
      if (isPlainMap(container) && typeof key === 'string') return ownValue(container, key)?.value ?? null;
      if (isNil(container)) return null;
      throw invalidArgument('get', container);
    },
  ],
  [
    'toPairs',
    (args) => {
      checkArity('toPairs', args, 1);
      const map = expectMap('toPairs', args[0]);
      return mapKeys(map).map((k) => [k, ownValue(map, k)?.value]);
    },
  ],
  [
    'fromPairs',
    (args) => {
      checkArity('fromPairs', args, 1);
      const result: ExprMap = {};
      for (const pair of expectArray('fromPairs', args[0])) {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
          throw invalidArgument('fromPairs', pair);
        }
        defineKey(result, pair[0], pair[1]);
      }
      return result;
    },
  ],
  [
    'toJSON',
    (args) => {
      checkArity('toJSON', args, 1);
      return toJson(args[0]);
    },
  ],
  [
    'fromJSON',
    (args) => {
      checkArity('fromJSON', args, 1);
      const text = args[0];
      if (typeof text !== 'string') throw invalidArgument('fromJSON', text);
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new ExprEvalError(
          `fromJSON: invalid json (${err instanceof Error ? err.message : 'parse error'})`,
        );
      }
    },
  ],
]);

/** Sets a key on a map built by an expression; prototype-related keys are refused. */
export function defineKey(map: ExprMap, key: string, value: unknown): void {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
    throw new ExprEvalError(`map key ${JSON.stringify(key)} is not allowed`);
  }
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
