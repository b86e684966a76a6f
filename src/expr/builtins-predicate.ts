import { defineKey } from './builtins-collection.js';
import { ExprEvalError } from './errors.js';
import { arithmetic } from './operations.js';
import type { Predicate, PredicateBuiltin } from './runtime.js';
import type { ExprMap } from './values.js';
import { formatValue, ownValue, typeName } from './values.js';

function test(name: string, predicate: Predicate, item: unknown, index: number): boolean {
  const result = predicate(item, index);
  if (typeof result !== 'boolean') {
    throw new ExprEvalError(`predicate of ${name} must return a bool, got ${typeName(result)}`);
  }
  return result;
}

function required(name: string, predicate: Predicate | undefined): Predicate {
  if (predicate === undefined) throw new ExprEvalError(`${name} needs a predicate`);
  return predicate;
}

/** Index of the first (or last) element passing the predicate, or -1 (expr's findIndex: nil). */
function search(name: string, list: readonly unknown[], predicate: Predicate, fromEnd: boolean): number {
  for (let k = 0; k < list.length; k++) {
    const i = fromEnd ? list.length - 1 - k : k;
    if (test(name, predicate, list[i], i)) return i;
  }
  return -1;
}

export const PREDICATE_FUNCTIONS: ReadonlyMap<string, PredicateBuiltin> = new Map<string, PredicateBuiltin>([
  ['all', (list, p) => list.every((item, i) => test('all', required('all', p), item, i))],
  ['any', (list, p) => list.some((item, i) => test('any', required('any', p), item, i))],
  ['none', (list, p) => !list.some((item, i) => test('none', required('none', p), item, i))],
  [
    'one',
    // expr counts every element (no early exit), then compares the count with 1.
    (list, p) => list.filter((item, i) => test('one', required('one', p), item, i)).length === 1,
  ],
  ['filter', (list, p) => list.filter((item, i) => test('filter', required('filter', p), item, i))],
  ['map', (list, p) => list.map((item, i) => required('map', p)(item, i))],
  [
    'count',
    (list, p) =>
      list.filter((item, i) =>
        p === undefined ? (typeof item === 'boolean' ? item : false) : test('count', p, item, i),
      ).length,
  ],
  [
    'sum',
    (list, p) =>
      list.reduce<unknown>(
        (total, item, i) => arithmetic('+', p === undefined ? item : p(item, i), total),
        0,
      ),
  ],
  [
    'find',
    (list, p) => {
      const i = search('find', list, required('find', p), false);
      return i < 0 ? null : list[i];
    },
  ],
  [
    'findIndex',
    (list, p) => {
      const i = search('findIndex', list, required('findIndex', p), false);
      return i < 0 ? null : i;
    },
  ],
  [
    'findLast',
    (list, p) => {
      const i = search('findLast', list, required('findLast', p), true);
      return i < 0 ? null : list[i];
    },
  ],
  [
    'findLastIndex',
    (list, p) => {
      const i = search('findLastIndex', list, required('findLastIndex', p), true);
      return i < 0 ? null : i;
    },
  ],
  [
    'groupBy',
    (list, p) => {
      const groups: ExprMap = {};
      for (const [i, item] of list.entries()) {
        const key = formatValue(required('groupBy', p)(item, i));
        const group = ownValue(groups, key)?.value;
        if (Array.isArray(group)) group.push(item);
        else defineKey(groups, key, [item]);
      }
      return groups;
    },
  ],
  [
    'reduce',
    (list, p, extra) => {
      const predicate = required('reduce', p);
      const hasInitial = extra.length > 0;
      if (!hasInitial && list.length === 0)
        throw new ExprEvalError('reduce of an empty array needs an initial value');
      let acc = hasInitial ? extra[0] : list[0];
      for (let i = hasInitial ? 0 : 1; i < list.length; i++) acc = predicate(list[i], i, acc);
      return acc;
    },
  ],
]);
