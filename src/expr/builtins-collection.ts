import { ExprEvalError } from './errors.js';
import { toJson } from './json.js';
import type { BuiltinFunction } from './runtime.js';
import { checkArity, expectArray, expectInt, expectNumber, invalidArgument } from './runtime.js';
import type { ExprMap } from './values.js';
import { isNil, isPlainMap, mapKeys, ownValue } from './values.js';

function expectMap(name: string, value: unknown): ExprMap {
  if (!isPlainMap(value)) throw invalidArgument(name, value);
  return value;
}

/** Numbers from `f(1, 2)` or `f([1, 2])`. */
function numbers(name: string, args: readonly unknown[]): number[] {
  const flat = args.flatMap((a) => (Array.isArray(a) ? a : [a]));
  if (flat.length === 0) throw new ExprEvalError(`not enough arguments to call ${name}`);
  return flat.map((n) => expectNumber(name, n));
}

const rounding =
  (name: string, fn: (n: number) => number): BuiltinFunction =>
  (args) => {
    checkArity(name, args, 1);
    return fn(expectNumber(name, args[0]));
  };

function sortValues(items: readonly unknown[], descending: boolean): unknown[] {
  const allNumbers = items.every((i) => typeof i === 'number');
  const allStrings = items.every((i) => typeof i === 'string');
  if (!allNumbers && !allStrings)
    throw new ExprEvalError('sort needs an array of only numbers or only strings');
  const sorted = [...items].sort((a, b) =>
    (a as number | string) < (b as number | string) ? -1 : a === b ? 0 : 1,
  );
  return descending ? sorted.reverse() : sorted;
}

export const COLLECTION_BUILTINS: ReadonlyMap<string, BuiltinFunction> = new Map<string, BuiltinFunction>([
  [
    'abs',
    (args) => {
      checkArity('abs', args, 1);
      return Math.abs(expectNumber('abs', args[0]));
    },
  ],
  ['max', (args) => numbers('max', args).reduce((a, b) => Math.max(a, b))],
  ['min', (args) => numbers('min', args).reduce((a, b) => Math.min(a, b))],
  ['ceil', rounding('ceil', Math.ceil)],
  ['floor', rounding('floor', Math.floor)],
  ['round', rounding('round', (n) => Math.sign(n) * Math.round(Math.abs(n)))],
  [
    'mean',
    (args) => {
      const list = numbers('mean', args);
      return list.reduce((a, b) => a + b, 0) / list.length;
    },
  ],
  [
    'median',
    (args) => {
      const list = numbers('median', args).sort((a, b) => a - b);
      const mid = Math.floor(list.length / 2);
      return list.length % 2 === 1 ? list[mid] : ((list[mid - 1] ?? 0) + (list[mid] ?? 0)) / 2;
    },
  ],
  [
    'first',
    (args) => {
      checkArity('first', args, 1);
      const list = expectArray('first', args[0]);
      return list.length > 0 ? list[0] : null;
    },
  ],
  [
    'last',
    (args) => {
      checkArity('last', args, 1);
      const list = expectArray('last', args[0]);
      return list.length > 0 ? list[list.length - 1] : null;
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
      return [...expectArray('reverse', args[0])].reverse();
    },
  ],
  [
    'sort',
    (args) => {
      checkArity('sort', args, 1, 2);
      const order = args.length === 2 ? args[1] : 'asc';
      if (order !== 'asc' && order !== 'desc') throw new ExprEvalError('sort order must be "asc" or "desc"');
      return sortValues(expectArray('sort', args[0]), order === 'desc');
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
    'uniq',
    (args) => {
      checkArity('uniq', args, 1);
      return [...new Set(expectArray('uniq', args[0]))];
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
