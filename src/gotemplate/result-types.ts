import type { GoFunc } from './functions.js';
import { type GoIntType, goInt, typedSlice } from './values.js';

/**
 * Go result types of the sprig functions that return integers or typed slices. Template functions
 * written in TypeScript return plain numbers and arrays; the registry boxes the integral results of
 * these functions as Go ints of the right type (a plain number is a float64), so `add 1 2` is an
 * int64 that `eq` compares with `3` and `%T` names, and tags []string / []int results. Entries for
 * functions the registry lacks are ignored.
 */
export const RESULT_TYPES: Readonly<Record<string, GoIntType | '[]int' | '[]string'>> = {
  add: 'int64',
  add1: 'int64',
  sub: 'int64',
  mul: 'int64',
  div: 'int64',
  mod: 'int64',
  max: 'int64',
  min: 'int64',
  biggest: 'int64',
  int64: 'int64',
  toDecimal: 'int64',
  int: 'int',
  atoi: 'int',
  randInt: 'int',
  until: '[]int',
  untilStep: '[]int',
  toStrings: '[]string',
  sortAlpha: '[]string',
  keys: '[]string',
  splitList: '[]string',
  regexFindAll: '[]string',
  regexSplit: '[]string',
};

function box(value: unknown, type: GoIntType | '[]int' | '[]string'): unknown {
  if (type === '[]string') return Array.isArray(value) ? typedSlice(value, type) : value;
  if (type === '[]int') {
    return Array.isArray(value)
      ? typedSlice(
          value.map((v) => (typeof v === 'number' ? goInt(v) : v)),
          type,
        )
      : value;
  }
  return typeof value === 'number' && Number.isInteger(value) ? goInt(value, type) : value;
}

/** `fn` with its integral results boxed as Go ints when `name` returns one; other functions as they are. */
export function withResultType(name: string, fn: GoFunc): GoFunc {
  const type = Object.hasOwn(RESULT_TYPES, name) ? RESULT_TYPES[name] : undefined;
  if (type === undefined) return fn;
  return { ...fn, call: (args, ctx) => box(fn.call(args, ctx), type) };
}
