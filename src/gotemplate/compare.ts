import { FuncError } from './errors.js';
import { GoDuration } from './go-duration.js';
import { kindOf } from './values.js';

/**
 * Basic kinds as Go's comparison functions see them. JS cannot tell 2 from 2.0, so Slipway puts
 * ints and floats in one "number" kind and compares them numerically (Go rejects int vs float64).
 */
type Basic = { readonly kind: 'bool' | 'number' | 'string'; readonly value: boolean | number | string };

function basic(v: unknown): Basic | undefined {
  if (v instanceof GoDuration) return { kind: 'number', value: v.ns };
  const kind = kindOf(v);
  if (kind === 'int' || kind === 'float') return { kind: 'number', value: Number(v) };
  if (kind === 'bool' || kind === 'string') return { kind, value: v as boolean | string };
  return undefined;
}

const isNil = (v: unknown): boolean => v === undefined || v === null;

/** Go's `eq arg1 arg2...`: true if arg1 equals any of the others; basic kinds must match. */
export function goEq(arg1: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const a = basic(arg1);
  for (const arg of rest) {
    const b = basic(arg);
    if (a && b) {
      if (a.kind !== b.kind) throw new FuncError('incompatible types for comparison');
      if (a.value === b.value) return true;
      continue;
    }
    if (a || b) {
      // One side is basic, the other is not: Go only allows this when one of them is nil.
      if (!isNil(arg1) && !isNil(arg)) throw new FuncError('incompatible types for comparison');
      continue;
    }
    if (isNil(arg1) || isNil(arg)) {
      if (isNil(arg1) === isNil(arg)) return true;
      continue;
    }
    const k = kindOf(arg1);
    if (k === 'slice' || k === 'map' || k === 'func')
      throw new FuncError(`non-comparable type ${describe(arg1)}`);
    if (kindOf(arg) !== k) throw new FuncError('incompatible types for comparison');
    if (sameStruct(arg1, arg)) return true;
  }
  return false;
}

function describe(v: unknown): string {
  const k = kindOf(v);
  return k === 'slice' ? '[]interface {}' : k === 'map' ? 'map[string]interface {}' : k;
}

function sameStruct(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = a as { Equal?: unknown };
  if (typeof ta.Equal === 'function' && a?.constructor === (b as object | null)?.constructor) {
    try {
      return (ta.Equal as (x: unknown) => unknown).call(a, b) === true;
    } catch {
      return false;
    }
  }
  return false;
}

/** Go's `ne`. */
export function goNe(a: unknown, b: unknown): boolean {
  return !goEq(a, b);
}

/** Go's `lt`: only ints, floats and strings are ordered; kinds must match. */
export function goLt(a: unknown, b: unknown): boolean {
  const x = basic(a);
  const y = basic(b);
  if (!x || !y) throw new FuncError('invalid type for comparison');
  if (x.kind !== y.kind) throw new FuncError('incompatible types for comparison');
  if (x.kind === 'bool') throw new FuncError('invalid type for comparison');
  return x.value < y.value;
}

export function goLe(a: unknown, b: unknown): boolean {
  return goLt(a, b) || goEq(a, b);
}

export function goGt(a: unknown, b: unknown): boolean {
  return !goLe(a, b);
}

export function goGe(a: unknown, b: unknown): boolean {
  return !goLt(a, b);
}
