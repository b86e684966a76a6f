/**
 * Go's math.Pow (math/pow.go), which expr's `**` and `^` use: special cases first, then the fractional
 * part through Exp(yf * Log(x)) and the integral part by repeated squaring on Frexp'd mantissas. V8's `**`
 * rounds differently in the last place for many inputs (1e6 ** 10 is 1.0000000000000001e+60 in Go).
 */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0) {
    const odd = isOddInt(y);
    if (y < 0) return Object.is(x, -0) && odd ? -Infinity : Infinity;
    return Object.is(x, -0) && odd ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === y > 0 ? 0 : Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x < 0) return goPow(1 / x, -y);
    return y < 0 ? 0 : Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  let yi = Math.trunc(Math.abs(y));
  let yf = Math.abs(y) - yi;
  if (yf !== 0 && x < 0) return Number.NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === y > 0 ? 0 : Infinity;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = Math.exp(yf * Math.log(x));
  }
  let [x1, xe] = frexp(x);
  for (let i = yi; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

function isOddInt(y: number): boolean {
  if (Math.abs(y) >= 2 ** 53) return false;
  return Number.isInteger(y) && Math.abs(y) % 2 === 1;
}

const view = new DataView(new ArrayBuffer(8));

/** Go's math.Frexp: frac in [½, 1) and exp with x == frac × 2^exp. */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = 0;
  view.setFloat64(0, x);
  if (((view.getUint32(0) >>> 20) & 0x7ff) === 0) {
    view.setFloat64(0, x * 2 ** 52);
    e = -52;
  }
  const hi = view.getUint32(0);
  e += ((hi >>> 20) & 0x7ff) - 1022;
  view.setUint32(0, ((hi & ~(0x7ff << 20)) | (1022 << 20)) >>> 0);
  return [view.getFloat64(0), e];
}

/** Go's math.Ldexp: frac × 2^exp, with Go's rounding into subnormals. */
function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  const [f, e] = frexp(frac);
  let x = exp + e;
  view.setFloat64(0, f);
  const hi = view.getUint32(0);
  x += ((hi >>> 20) & 0x7ff) - 1023;
  if (x < -1075) return f < 0 ? -0 : 0;
  if (x > 1023) return f < 0 ? -Infinity : Infinity;
  let m = 1;
  if (x < -1022) {
    x += 53;
    m = 2 ** -53;
  }
  view.setUint32(0, ((hi & ~(0x7ff << 20)) | ((x + 1023) << 20)) >>> 0);
  return m * view.getFloat64(0);
}
