import { ExprDuration } from './duration.js';
import { GoFloat } from './numbers.js';
import { ExprTime } from './time.js';
import { isPlainMap } from './values.js';

/**
 * What expr-lang's checker knows of a value's type (its "nature"): `unknown` is `interface {}` (data from
 * the environment's containers, or no environment at all); `nil` is the nil literal or a nil variable.
 */
export type Nature =
  | { readonly kind: 'unknown' | 'nil' | 'bool' | 'float' | 'string' | 'map' | 'func' | 'time' | 'duration' }
  | { readonly kind: 'unknown'; readonly iface: true }
  | { readonly kind: 'int'; readonly goName?: string }
  | { readonly kind: 'array'; readonly elem: Nature };

export const ANY: Nature = { kind: 'unknown' };
/** `interface {}`: unknown too, but named so (an element of `[]interface {}`, a value of a map). */
export const IFACE: Nature = { kind: 'unknown', iface: true };
export const NIL: Nature = { kind: 'nil' };
export const BOOL: Nature = { kind: 'bool' };
export const INT: Nature = { kind: 'int' };
export const FLOAT: Nature = { kind: 'float' };
export const STRING: Nature = { kind: 'string' };
export const MAP: Nature = { kind: 'map' };

export const arrayOf = (elem: Nature): Nature => ({ kind: 'array', elem });
export const elemOf = (n: Nature): Nature => (n.kind === 'array' ? n.elem : ANY);
export const isUnknown = (n: Nature): boolean => n.kind === 'unknown';
export const isInteger = (n: Nature): boolean => n.kind === 'int';
export const isNumber = (n: Nature): boolean => n.kind === 'int' || n.kind === 'float';
export const sameKind = (a: Nature, b: Nature): boolean =>
  a.kind === b.kind &&
  (a.kind !== 'int' || (a.goName ?? 'int') === ((b as { goName?: string }).goName ?? 'int'));

/** Go's name of the type, as the checker's messages print it. */
export function natureName(n: Nature): string {
  switch (n.kind) {
    case 'unknown':
      return 'iface' in n ? 'interface {}' : 'unknown';
    case 'nil':
      return 'unknown';
    case 'int':
      return n.goName ?? 'int';
    case 'float':
      return 'float64';
    case 'array':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'time':
      return 'time.Time';
    case 'duration':
      return 'time.Duration';
    case 'func':
      return 'func';
    default:
      return n.kind;
  }
}

/** expr's Nature.ComparableTo (operands of == and !=, `in` on arrays). */
export function comparable(a: Nature, b: Nature): boolean {
  return (
    isUnknown(a) ||
    isUnknown(b) ||
    a.kind === 'nil' ||
    b.kind === 'nil' ||
    (isNumber(a) && isNumber(b)) ||
    (a.kind === 'array' && b.kind === 'array') ||
    sameKind(a, b)
  );
}

type Check = 'bool' | 'number' | 'integer' | 'string' | 'time' | 'duration';

const passes = (n: Nature, checks: readonly Check[]): boolean =>
  checks.some((c) => (c === 'number' ? isNumber(n) : c === 'integer' ? isInteger(n) : n.kind === c));

/** expr's Nature.MaybeCompatible: one side unknown and the other of an accepted kind (or both unknown). */
export function maybeCompatible(a: Nature, b: Nature, checks: readonly Check[]): boolean {
  return (
    (isUnknown(a) && isUnknown(b)) ||
    (isUnknown(a) && passes(b, checks)) ||
    (isUnknown(b) && passes(a, checks))
  );
}

/** The nature `expr.Env(env)` gives a variable from its Go value. */
export function natureOfValue(value: unknown): Nature {
  if (value === null || value === undefined) return NIL;
  if (typeof value === 'boolean') return BOOL;
  if (typeof value === 'string') return STRING;
  if (value instanceof GoFloat) return FLOAT;
  if (typeof value === 'number') return Number.isInteger(value) ? INT : FLOAT;
  if (typeof value === 'function') return { kind: 'func' };
  if (Array.isArray(value)) return arrayOf(IFACE);
  if (value instanceof ExprDuration) return { kind: 'duration' };
  if (value instanceof ExprTime) return { kind: 'time' };
  if (isPlainMap(value)) return MAP;
  return ANY;
}
