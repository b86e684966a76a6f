import { FuncError } from './errors.js';

/**
 * Just enough of shopspring/decimal for sprig's addf/subf/mulf/divf: exact decimal values built from
 * a float's shortest representation (NewFromFloat), exact add/sub/mul, division rounded half away
 * from zero to 16 places (DivisionPrecision), and back to the nearest float.
 */
export interface Decimal {
  readonly coef: bigint;
  readonly exp: number;
}

const DIVISION_PRECISION = 16;

export function decimalFromFloat(f: number): Decimal {
  if (!Number.isFinite(f)) throw new FuncError(`Cannot create a Decimal from ${goFloatWord(f)}`);
  const [mant = '0', e = '0'] = String(f).split('e');
  const [int = '0', frac = ''] = mant.split('.');
  return { coef: BigInt(int + frac), exp: Number(e) - frac.length };
}

const goFloatWord = (f: number): string => (Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf');

const pow10 = (n: number): bigint => 10n ** BigInt(n);

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * pow10(a.exp - exp), b.coef * pow10(b.exp - exp), exp];
}

export function decimalAdd(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return { coef: x + y, exp };
}

export function decimalSub(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return { coef: x - y, exp };
}

export function decimalMul(a: Decimal, b: Decimal): Decimal {
  return { coef: a.coef * b.coef, exp: a.exp + b.exp };
}

export function decimalDiv(a: Decimal, b: Decimal): Decimal {
  if (b.coef === 0n) throw new FuncError('decimal division by 0');
  // a/b * 10^P = (ca * 10^(ea - eb + P)) / cb
  const shift = a.exp - b.exp + DIVISION_PRECISION;
  let num = a.coef;
  let den = b.coef;
  if (shift >= 0) num *= pow10(shift);
  else den *= pow10(-shift);
  const neg = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return { coef: neg ? -q : q, exp: -DIVISION_PRECISION };
}

export function decimalToFloat(d: Decimal): number {
  return Number(`${d.coef}e${d.exp}`);
}
