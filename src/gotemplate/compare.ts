import { FuncError } from './errors.js';
import { formatValue } from './format-value.js';
import { GoDuration } from './go-duration.js';
import { GoInt, kindOf, typeName } from './values.js';

/**
 * Go's comparison functions (text/template funcs.go): operands are classified by basic kind, kinds
 * must match (a signed int may meet an unsigned one), and only bool, int, float and string are
 * basic. Ints and float64s are different kinds, so `eq 1 1.0` is an error as in Go.
 */
type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string';
type Kind = BasicKind | 'invalid' | 'other';

interface Operand {
  readonly kind: Kind;
  readonly value: unknown;
  readonly raw: unknown;
}

function classify(v: unknown): Operand {
  if (v === undefined || v === null) return { kind: 'invalid', value: undefined, raw: v };
  if (v instanceof GoDuration) return { kind: 'int', value: v.ns, raw: v };
  if (v instanceof GoInt) return { kind: v.type === 'uint8' ? 'uint' : 'int', value: v.value, raw: v };
  switch (typeof v) {
    case 'number':
      return { kind: 'float', value: v, raw: v };
    case 'boolean':
      return { kind: 'bool', value: v, raw: v };
    case 'string':
      return { kind: 'string', value: v, raw: v };
    default:
      return { kind: 'other', value: v, raw: v };
  }
}

const isBasic = (k: Kind): k is BasicKind => k !== 'invalid' && k !== 'other';
const isInteger = (k: Kind): boolean => k === 'int' || k === 'uint';

function incompatible(a: Operand, b: Operand): FuncError {
  return new FuncError(`incompatible types for comparison: ${typeName(a.raw)} and ${typeName(b.raw)}`);
}

const comparable = (v: unknown): boolean => {
  const k = kindOf(v);
  return k !== 'slice' && k !== 'map' && k !== 'func';
};

/** Go's `eq arg1 arg2...`: true if arg1 equals any of the others. */
export function goEq(arg1: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const a = classify(arg1);
  for (const arg of rest) {
    const b = classify(arg);
    let truth = false;
    const aBasic = isBasic(a.kind) ? a.kind : 'invalid';
    const bBasic = isBasic(b.kind) ? b.kind : 'invalid';
    if (aBasic !== bBasic) {
      if (isInteger(a.kind) && isInteger(b.kind)) truth = a.value === b.value;
      else if (a.kind !== 'invalid' && b.kind !== 'invalid') throw incompatible(a, b);
    } else if (isBasic(a.kind)) {
      truth = a.value === b.value;
    } else if (a.kind === 'invalid' || b.kind === 'invalid') {
      truth = a.kind === b.kind;
    } else {
      if (kindOf(arg1) !== kindOf(arg))
        throw new FuncError(
          `non-comparable types ${formatValue(arg1)}: ${typeName(arg1)}, ${typeName(arg)}: ${formatValue(arg)}`,
        );
      if (!comparable(arg)) throw new FuncError(`non-comparable type ${formatValue(arg)}: ${typeName(arg)}`);
      truth = sameStruct(arg1, arg);
    }
    if (truth) return true;
  }
  return false;
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
export function goLt(arg1: unknown, arg2: unknown): boolean {
  const a = classify(arg1);
  const b = classify(arg2);
  if (!isBasic(a.kind) || !isBasic(b.kind)) throw new FuncError('invalid type for comparison');
  if (a.kind !== b.kind) {
    if (isInteger(a.kind) && isInteger(b.kind)) return (a.value as number) < (b.value as number);
    throw incompatible(a, b);
  }
  if (a.kind === 'bool') throw new FuncError('invalid type for comparison');
  if (a.kind === 'string') return compareBytes(a.value as string, b.value as string) < 0;
  return (a.value as number) < (b.value as number);
}

/** Strings order by their UTF-8 bytes, which is code point order. */
function compareBytes(x: string, y: string): number {
  const a = Buffer.from(x, 'utf8');
  const b = Buffer.from(y, 'utf8');
  return Buffer.compare(a, b);
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
