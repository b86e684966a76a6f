/**
 * bcrypt ($2a$, as golang.org/x/crypto/bcrypt generates it) on an EksBlowfish written here, since
 * node:crypto has no bcrypt. Blowfish's initial P-array and S-boxes are the hexadecimal digits of
 * π's fractional part; they are computed once, on first use, with Machin's formula.
 */
import { randomBytes } from 'node:crypto';

const WORDS = 18 + 4 * 256;

function arctanInverse(x: bigint, scale: bigint): bigint {
  let power = scale / x;
  const x2 = x * x;
  let sum = power;
  for (let k = 1n; power !== 0n; k++) {
    power /= x2;
    const term = power / (2n * k + 1n);
    sum += k % 2n === 1n ? -term : term;
  }
  return sum;
}

let initial: Uint32Array | undefined;

/** The first 1042 32-bit words of π's fractional part: P (18 words), then the four S-boxes. */
function piWords(): Uint32Array {
  if (initial) return initial;
  const bits = BigInt(WORDS * 32 + 64);
  const scale = 1n << bits;
  const pi = 16n * arctanInverse(5n, scale) - 4n * arctanInverse(239n, scale);
  const frac = (pi - 3n * scale) >> 64n;
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) {
    out[i] = Number((frac >> BigInt((WORDS - 1 - i) * 32)) & 0xffffffffn);
  }
  initial = out;
  return out;
}

interface State {
  readonly p: Uint32Array;
  readonly s: Uint32Array;
}

function encipher(st: State, lr: Uint32Array): void {
  const p = st.p;
  const s = st.s;
  let l = lr[0]!;
  let r = lr[1]!;
  l ^= p[0]!;
  for (let i = 1; i <= 16; i += 2) {
    r ^=
      (((s[l >>> 24]! + s[256 | ((l >>> 16) & 255)]!) ^ s[512 | ((l >>> 8) & 255)]!) + s[768 | (l & 255)]!) ^
      p[i]!;
    l ^=
      (((s[r >>> 24]! + s[256 | ((r >>> 16) & 255)]!) ^ s[512 | ((r >>> 8) & 255)]!) + s[768 | (r & 255)]!) ^
      p[i + 1]!;
  }
  lr[0] = r ^ p[17]!;
  lr[1] = l;
}

function streamWord(data: Uint8Array, pos: { i: number }): number {
  let w = 0;
  for (let k = 0; k < 4; k++) {
    w = ((w << 8) | (data[pos.i] ?? 0)) >>> 0;
    pos.i = (pos.i + 1) % data.length;
  }
  return w;
}

function expandKey(st: State, key: Uint8Array, salt: Uint8Array | undefined): void {
  const kp = { i: 0 };
  for (let i = 0; i < 18; i++) st.p[i] = ((st.p[i] ?? 0) ^ streamWord(key, kp)) >>> 0;
  const sp = { i: 0 };
  const lr = new Uint32Array(2);
  const fill = (target: Uint32Array, count: number): void => {
    for (let i = 0; i < count; i += 2) {
      if (salt) {
        lr[0] = ((lr[0] ?? 0) ^ streamWord(salt, sp)) >>> 0;
        lr[1] = ((lr[1] ?? 0) ^ streamWord(salt, sp)) >>> 0;
      }
      encipher(st, lr);
      target[i] = lr[0] ?? 0;
      target[i + 1] = lr[1] ?? 0;
    }
  };
  fill(st.p, 18);
  fill(st.s, 1024);
}

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function bcryptBase64(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i += 3) {
    const b0 = data[i] ?? 0;
    const b1 = data[i + 1] ?? 0;
    const b2 = data[i + 2] ?? 0;
    out += ALPHABET[b0 >> 2];
    out += ALPHABET[((b0 & 3) << 4) | (b1 >> 4)];
    if (i + 1 < data.length) out += ALPHABET[((b1 & 15) << 2) | (b2 >> 6)];
    if (i + 2 < data.length) out += ALPHABET[b2 & 63];
  }
  return out;
}

const MAGIC = Buffer.from('OrpheanBeholderScryDoubt');

/** `$2a$` bcrypt of `password` with a 16-byte `salt` at `cost` (2^cost rounds). */
export function bcryptHash(password: Uint8Array, salt: Uint8Array, cost: number): string {
  const words = piWords();
  const st: State = { p: words.slice(0, 18), s: words.slice(18) };
  const key = Buffer.concat([password, Buffer.from([0])]);
  expandKey(st, key, salt);
  for (let i = 0; i < 2 ** cost; i++) {
    expandKey(st, key, undefined);
    expandKey(st, salt, undefined);
  }
  const text = new Uint32Array(6);
  for (let i = 0; i < 6; i++) text[i] = MAGIC.readUInt32BE(i * 4);
  const lr = new Uint32Array(2);
  for (let n = 0; n < 64; n++) {
    for (let i = 0; i < 6; i += 2) {
      lr[0] = text[i] ?? 0;
      lr[1] = text[i + 1] ?? 0;
      encipher(st, lr);
      text[i] = lr[0] ?? 0;
      text[i + 1] = lr[1] ?? 0;
    }
  }
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeUInt32BE(text[i] ?? 0, i * 4);
  return `$2a$${String(cost).padStart(2, '0')}$${bcryptBase64(salt)}${bcryptBase64(out.subarray(0, 23))}`;
}

/** sprig's bcrypt: DefaultCost 10, a random salt, Go's error text for passwords over 72 bytes. */
export function bcryptPassword(password: string): string {
  const bytes = Buffer.from(password, 'utf8');
  if (bytes.length > 72)
    return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  return bcryptHash(bytes, randomBytes(16), 10);
}
