import { randomInt } from 'node:crypto';
import { FuncError } from './errors.js';
import { formatValue } from './format-value.js';
import { def, defVariadic, type GoFunc } from './functions.js';
import { fromInt64, goFloat, toFloat64, toInt64Big } from './sprig-convert.js';
import {
  type Decimal,
  decimalAdd,
  decimalDiv,
  decimalFromFloat,
  decimalMul,
  decimalSub,
  decimalToFloat,
} from './sprig-decimal.js';

/** sprig's numeric.go and the arithmetic in its FuncMap: int64 maths wraps like Go's. */

const i64 = (v: unknown): bigint => toInt64Big(v);

function divide(a: unknown, b: unknown, op: 'div' | 'mod'): number | bigint {
  const x = i64(a);
  const y = i64(b);
  if (y === 0n) throw new FuncError('runtime error: integer divide by zero');
  return fromInt64(op === 'div' ? x / y : x % y);
}

function decimalOp(
  first: unknown,
  rest: readonly unknown[],
  op: (a: Decimal, b: Decimal) => Decimal,
): number {
  let acc = decimalFromFloat(toFloat64(first));
  for (const x of rest) acc = op(acc, decimalFromFloat(toFloat64(x)));
  return goFloat(decimalToFloat(acc));
}

/** Go's math.Max/Min: NaN wins, and -0 orders below +0. */
function goMaxF(a: number, b: number, max: boolean): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  return max ? Math.max(a, b) : Math.min(a, b);
}

/** sprig's round: float maths exactly as Go does it (not banker's, not decimal). */
function round(a: unknown, places: number, roundOn: readonly number[]): number {
  const on = roundOn[0] ?? 0.5;
  const pow = 10 ** places;
  const digit = pow * toFloat64(a);
  const frac = digit - Math.trunc(digit);
  const r = frac >= on ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

/** strconv.ParseInt(fmt.Sprint(v), 8, 64), 0 on error. */
function toDecimal(v: unknown): number | bigint {
  const s = formatValue(v);
  if (!/^[+-]?[0-7]+$/.test(s)) return 0;
  const neg = s.startsWith('-');
  const n = BigInt(`0o${s.replace(/^[+-]/, '')}`);
  const signed = neg ? -n : n;
  return signed === BigInt.asIntN(64, signed) ? fromInt64(signed) : 0;
}

function atoi(s: string): number | bigint {
  if (!/^[+-]?\d+$/.test(s)) return 0;
  const n = BigInt(s);
  return n === BigInt.asIntN(64, n) ? fromInt64(n) : 0;
}

const maxInt = (a: unknown, xs: readonly unknown[]): number | bigint =>
  fromInt64(xs.map(i64).reduce((acc, b) => (b > acc ? b : acc), i64(a)));
const minInt = (a: unknown, xs: readonly unknown[]): number | bigint =>
  fromInt64(xs.map(i64).reduce((acc, b) => (b < acc ? b : acc), i64(a)));

/** sprig's math functions. */
export const SPRIG_MATH: Readonly<Record<string, GoFunc>> = {
  add: defVariadic([], 'any', (_, xs) => fromInt64(xs.reduce<bigint>((acc, x) => acc + i64(x), 0n))),
  add1: def(['any'], (x) => fromInt64(i64(x) + 1n)),
  sub: def(['any', 'any'], (a, b) => fromInt64(i64(a) - i64(b))),
  mul: defVariadic(['any'], 'any', ([a], xs) =>
    fromInt64(xs.reduce<bigint>((acc, x) => BigInt.asIntN(64, acc * i64(x)), i64(a))),
  ),
  div: def(['any', 'any'], (a, b) => divide(a, b, 'div')),
  mod: def(['any', 'any'], (a, b) => divide(a, b, 'mod')),
  max: defVariadic(['any'], 'any', ([a], xs) => maxInt(a, xs)),
  biggest: defVariadic(['any'], 'any', ([a], xs) => maxInt(a, xs)),
  min: defVariadic(['any'], 'any', ([a], xs) => minInt(a, xs)),
  maxf: defVariadic(['any'], 'any', ([a], xs) =>
    goFloat(xs.map(toFloat64).reduce((acc, b) => goMaxF(acc, b, true), toFloat64(a))),
  ),
  minf: defVariadic(['any'], 'any', ([a], xs) =>
    goFloat(xs.map(toFloat64).reduce((acc, b) => goMaxF(acc, b, false), toFloat64(a))),
  ),
  floor: def(['any'], (a) => goFloat(Math.floor(toFloat64(a)))),
  ceil: def(['any'], (a) => goFloat(Math.ceil(toFloat64(a)))),
  round: defVariadic(['any', 'int'], 'number', ([a, p], on) => goFloat(round(a, p, on))),
  add1f: def(['any'], (a) => decimalOp(a, [1], decimalAdd)),
  addf: defVariadic([], 'any', (_, xs) => decimalOp(0, xs, decimalAdd)),
  subf: defVariadic(['any'], 'any', ([a], xs) => decimalOp(a, xs, decimalSub)),
  mulf: defVariadic(['any'], 'any', ([a], xs) => decimalOp(a, xs, decimalMul)),
  divf: defVariadic(['any'], 'any', ([a], xs) => decimalOp(a, xs, decimalDiv)),
  int: def(['any'], (v) => fromInt64(i64(v))),
  int64: def(['any'], (v) => fromInt64(i64(v))),
  float64: def(['any'], (v) => goFloat(toFloat64(v))),
  atoi: def(['string'], atoi),
  toDecimal: def(['any'], toDecimal),
  randInt: def(['int', 'int'], (min, max) => {
    if (max - min <= 0) throw new FuncError('invalid argument to Intn');
    return randomInt(min, max);
  }),
};
