/** Float formatting with Go's strconv semantics (exact round-half-even) for %e, %f and %g. Pure. */

interface Digits {
  readonly digits: string; // significant digits without trailing zeros; "0" for zero
  readonly exp: number; // decimal exponent of the first digit
}

const ZERO: Digits = { digits: '0', exp: 0 };

/** Shortest round-trip digits (Go's precision -1). */
function shortest(abs: number): Digits {
  if (abs === 0) return ZERO;
  const [mant = '0', e = '0'] = abs.toExponential().split('e');
  return { digits: mant.replace('.', '').replace(/0+$/, '') || '0', exp: Number(e) };
}

/** The (near-)exact decimal expansion, so ties can be rounded half-to-even like Go. */
function exact(abs: number): Digits {
  if (abs === 0) return ZERO;
  const [mant = '0', e = '0'] = abs.toExponential(100).split('e');
  return { digits: mant.replace('.', '').replace(/0+$/, '') || '0', exp: Number(e) };
}

function increment(head: string): { digits: string; carried: boolean } {
  const chars = head.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== '9') {
      chars[i] = String(Number(chars[i]) + 1);
      return { digits: chars.join(''), carried: false };
    }
    chars[i] = '0';
  }
  return { digits: '1' + chars.join(''), carried: true };
}

/** Rounds to `n` significant digits, half to even. */
function roundTo(d: Digits, n: number): Digits {
  if (d.digits === '0' || n >= d.digits.length) return d;
  if (n < 0) return ZERO;
  const head = d.digits.slice(0, n);
  const next = d.digits[n] ?? '0';
  const tail = d.digits.slice(n + 1);
  const lastOdd = n > 0 && Number(head[n - 1]) % 2 === 1;
  const up = next > '5' || (next === '5' && (/[1-9]/.test(tail) || lastOdd));
  if (!up) {
    const kept = head.replace(/0+$/, '');
    return kept === '' ? ZERO : { digits: kept, exp: d.exp };
  }
  if (head === '') return { digits: '1', exp: d.exp + 1 };
  const { digits, carried } = increment(head);
  return { digits: digits.replace(/0+$/, '') || '0', exp: carried ? d.exp + 1 : d.exp };
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return undefined;
}

const sign = (x: number): string => (x < 0 || Object.is(x, -0) ? '-' : '');

function exponentText(exp: number): string {
  return (exp < 0 ? 'e-' : 'e+') + String(Math.abs(exp)).padStart(2, '0');
}

function fixed(d: Digits, decimals: number): string {
  const exp = d.digits === '0' ? 0 : d.exp;
  const intLen = exp + 1;
  const intPart = intLen <= 0 ? '0' : d.digits.slice(0, intLen).padEnd(intLen, '0');
  const fracDigits = intLen <= 0 ? '0'.repeat(-intLen) + d.digits : d.digits.slice(intLen);
  const frac = (d.digits === '0' ? '' : fracDigits).slice(0, decimals).padEnd(decimals, '0');
  return decimals > 0 ? `${intPart}.${frac}` : intPart;
}

function scientific(d: Digits, decimals: number): string {
  const exp = d.digits === '0' ? 0 : d.exp;
  const frac = d.digits.slice(1).padEnd(decimals, '0').slice(0, decimals);
  return (d.digits[0] ?? '0') + (decimals > 0 ? '.' + frac : '') + exponentText(exp);
}

/** `%e` with `prec` digits after the point (6 by default). */
export function formatE(x: number, prec = 6, upper = false): string {
  const sp = special(x);
  if (sp !== undefined) return sp;
  const p = Math.min(prec, 1000);
  const out = sign(x) + scientific(roundTo(exact(Math.abs(x)), p + 1), p);
  return upper ? out.toUpperCase() : out;
}

/**
 * `%f` with `prec` decimals (6 by default); a negative `prec` gives the fewest digits that read back
 * exactly (`strconv.FormatFloat(x, 'f', -1, 64)`: `0.5`, `1000000`, `0.00000015`).
 */
export function formatF(x: number, prec = 6): string {
  const sp = special(x);
  if (sp !== undefined) return sp;
  if (prec < 0) {
    const d = shortest(Math.abs(x));
    return sign(x) + fixed(d, Math.max(d.digits.length - d.exp - 1, 0));
  }
  const p = Math.min(prec, 1000);
  const d = exact(Math.abs(x));
  return sign(x) + fixed(roundTo(d, d.exp + 1 + p), p);
}

/** `%g` (and `%v` for floats): shortest representation when `prec` is negative. */
export function formatG(x: number, prec = -1, upper = false): string {
  const sp = special(x);
  if (sp !== undefined) return sp;
  const abs = Math.abs(x);
  if (abs === 0) return sign(x) + '0';
  const isShortest = prec < 0;
  const p = prec === 0 ? 1 : prec;
  const d = isShortest ? shortest(abs) : roundTo(exact(abs), p);
  const nd = d.digits.length;
  const dp = d.exp + 1;
  let eprec = isShortest ? 6 : p;
  if (!isShortest && eprec > nd && nd >= dp) eprec = nd;
  const out = d.exp < -4 || d.exp >= eprec ? scientific(d, nd - 1) : fixed(d, Math.max(nd - dp, 0));
  return upper ? (sign(x) + out).toUpperCase() : sign(x) + out;
}

/** The sign, 53-bit mantissa and unbiased binary exponent of a finite float64, as strconv splits it. */
function floatBits(x: number): { readonly neg: boolean; readonly mant: bigint; readonly exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const neg = bits >> 63n === 1n;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  return { neg, mant, exp: exp - 1023 };
}

/** `%b` of a float64: decimal mantissa, `p`, binary exponent (`4503599627370496p-52`). */
export function formatBinaryFloat(x: number): string {
  const sp = special(x);
  if (sp !== undefined) return sp;
  const { neg, mant, exp } = floatBits(x);
  const e = exp - 52;
  return `${neg ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`;
}

/** `%x` / `%X` of a float64: `0x1.8p+01`; `prec` hex digits after the point, shortest when negative. */
export function formatHexFloat(x: number, prec = -1, upper = false): string {
  const sp = special(x);
  if (sp !== undefined) return sp;
  const bits = floatBits(x);
  let { mant, exp } = bits;
  if (mant === 0n) exp = 0;
  const one = 1n << 60n;
  mant <<= 8n;
  while (mant !== 0n && (mant & one) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (one - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = `${bits.neg ? '-' : ''}0${upper ? 'X' : 'x'}${(mant >> 60n) & 1n}`;
  const mask = (1n << 64n) - 1n;
  mant = (mant << 4n) & mask;
  const frac = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) {
      s += digits[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & mask;
    }
    return s;
  };
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) out += frac(1);
  } else if (prec > 0) {
    out += `.${frac(prec)}`;
  }
  const e = Math.abs(exp);
  return `${out}${upper ? 'P' : 'p'}${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
}
