import { randomInt } from 'node:crypto';
import { FuncError, TemplateLimitError } from './errors.js';
import { formatValue } from './format-value.js';
import { def, defVariadic, type FuncContext, type GoFunc } from './functions.js';
import { swapCase, toLower, toLowerCaseWords, toPascalCase } from './sprig-case.js';
import { newMap } from './sprig-convert.js';
import { typed } from './sprig-typed.js';

/** sprig's string functions built on Masterminds/goutils and huandu/xstrings. Go strings are bytes. */

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const bytesToString = (b: Buffer): string => b.toString('utf8');

/** Go's unicode.IsSpace for a rune below 256, as goutils applies it to single bytes. */
const isByteSpace = (b: number): boolean => (b >= 9 && b <= 13) || b === 32 || b === 0x85 || b === 0xa0;
const isRuneSpace = (c: string): boolean => /^[\t\n\v\f\r \u0085\u00A0\p{Zs}\u2028\u2029]$/u.test(c);

/** goutils' byte-wise loops write each byte as a rune: bytes above 0x7F become Latin-1 characters. */
const byteAsRune = (b: number): string => String.fromCharCode(b);

function abbreviateFull(s: string, offsetIn: number, maxWidth: number): string {
  if (s === '') return '';
  const b = utf8(s);
  const len = b.length;
  if (len <= maxWidth) return s;
  let offset = Math.min(offsetIn, len);
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  const cut = (from: number, to: number): string => {
    if (from < 0 || to > len || from > to) {
      throw new FuncError(`runtime error: slice bounds out of range [${from}:${to}]`);
    }
    return bytesToString(b.subarray(from, to));
  };
  if (offset <= 4) return `${cut(0, maxWidth - 3)}...`;
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < len) {
    const tail = cut(offset, len);
    return `...${maxWidth - 3 < 4 ? '' : abbreviateFull(tail, 0, maxWidth - 3)}`;
  }
  return `...${cut(len - (maxWidth - 3), len)}`;
}

function initials(s: string): string {
  let out = '';
  let gap = true;
  for (const byte of utf8(s)) {
    if (isByteSpace(byte)) gap = true;
    else if (gap) {
      out += byteAsRune(byte);
      gap = false;
    }
  }
  return out;
}

function deleteWhiteSpace(s: string): string {
  const b = utf8(s);
  if (!b.some(isByteSpace)) return s;
  let out = '';
  for (const byte of b) if (!isByteSpace(byte)) out += byteAsRune(byte);
  return out;
}

function untitle(s: string): string {
  let next = true;
  return [...s]
    .map((c) => {
      if (isRuneSpace(c)) {
        next = true;
        return c;
      }
      if (next) {
        next = false;
        return toLower(c);
      }
      return c;
    })
    .join('');
}

/** goutils.WrapCustom over bytes. */
function wrapCustom(s: string, width: number, newLine: string, wrapLong: boolean): string {
  if (s === '') return '';
  const nl = newLine === '' ? '\n' : newLine;
  const w = Math.max(1, width);
  const b = utf8(s);
  const len = b.length;
  const parts: Buffer[] = [];
  const nlBytes = utf8(nl);
  let offset = 0;
  while (len - offset > w) {
    if (b[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = w + offset + 1;
    const space = b.subarray(offset, end).lastIndexOf(0x20);
    if (space >= 0) {
      parts.push(b.subarray(offset, offset + space), nlBytes);
      offset += space + 1;
    } else if (wrapLong) {
      parts.push(b.subarray(offset, w + offset), nlBytes);
      offset += w;
    } else {
      const at = b.indexOf(0x20, w + offset);
      if (at === -1) {
        parts.push(b.subarray(offset));
        offset = len;
      } else {
        parts.push(b.subarray(offset, at), nlBytes);
        offset = at + 1;
      }
    }
  }
  parts.push(b.subarray(offset));
  return bytesToString(Buffer.concat(parts));
}

/** Go's strings.SplitN (n < 0: all; n == 0: none); an empty separator splits into UTF-8 sequences. */
export function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const chars = [...s];
    if (n < 0 || n >= chars.length) return chars;
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

const indexed = (parts: readonly string[]): Record<string, unknown> =>
  typed(newMap(parts.map((p, i) => [`_${i}`, p] as const)), 'map[string]string');

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMERIC = '0123456789';

/** goutils' CryptoRandom* alphabets; a negative count is goutils' error, which sprig drops. */
function randomString(count: number, alphabet: string, ctx: FuncContext): string {
  if (count < 0) return '';
  if (count > ctx.maxStringBytes)
    throw new TemplateLimitError(`random string exceeds ${ctx.maxStringBytes} bytes`);
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[randomInt(alphabet.length)] ?? '';
  return out;
}

const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

const rand = (alphabet: string): GoFunc => ({
  params: ['int'],
  variadic: undefined,
  call: ([n], ctx) => randomString(n as number, alphabet, ctx),
});

function shuffle(s: string): string {
  const runes = [...s];
  for (let i = runes.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [runes[i], runes[j]] = [runes[j] ?? '', runes[i] ?? ''];
  }
  return runes.join('');
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function b32enc(s: string): string {
  const b = utf8(s);
  let out = '';
  for (let i = 0; i < b.length; i += 5) {
    const chunk = b.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = Math.ceil((chunk.length * 8) / 5);
    for (let k = 0; k < 8; k++) {
      out += k < chars ? B32[Number((bits >> BigInt(35 - k * 5)) & 31n)] : '=';
    }
  }
  return out;
}

/** Go's base32.StdEncoding.DecodeString; errors come back as the text, as sprig returns them. */
function b32dec(s: string): string {
  const clean = s.replace(/[\r\n]/g, '');
  const bad = (at: number): string => `illegal base32 data at input byte ${at}`;
  const out: number[] = [];
  for (let i = 0; i < clean.length; i += 8) {
    let bits = 0n;
    let n = 0;
    for (let k = 0; k < 8; k++) {
      if (i + k >= clean.length) return bad(i);
      const c = clean[i + k] ?? '';
      if (c === '=') {
        const pad = clean.slice(i + k);
        if (k < 2 || ![2, 4, 5, 7].includes(k) || pad.length !== 8 - k || /[^=]/.test(pad)) {
          return bad(i + k);
        }
        break;
      }
      const v = B32.indexOf(c);
      if (v < 0) return bad(i + k);
      bits |= BigInt(v) << BigInt(35 - k * 5);
      n = k + 1;
    }
    const bytes = Math.floor((n * 5) / 8);
    for (let k = 0; k < bytes; k++) out.push(Number((bits >> BigInt(32 - k * 8)) & 255n));
    if (n < 8) break;
  }
  return bytesToString(Buffer.from(out));
}

/** sprig's goutils / xstrings string functions and the other string helpers sprig-strings lacks. */
export const SPRIG_TEXT: Readonly<Record<string, GoFunc>> = {
  abbrev: def(['int', 'string'], (w, s) => (w < 4 ? s : abbreviateFull(s, 0, w))),
  abbrevboth: def(['int', 'int', 'string'], (left, right, s) =>
    right < 4 || (left > 0 && right < 7) ? s : abbreviateFull(s, left, right),
  ),
  initials: def(['string'], initials),
  untitle: def(['string'], untitle),
  nospace: def(['string'], deleteWhiteSpace),
  wrap: def(['int', 'string'], (w, s) => wrapCustom(s, w, '', false)),
  wrapWith: def(['int', 'string', 'string'], (w, sep, s) => wrapCustom(s, w, sep, true)),
  snakecase: def(['string'], (s) => toLowerCaseWords(s, '_')),
  kebabcase: def(['string'], (s) => toLowerCaseWords(s, '-')),
  camelcase: def(['string'], toPascalCase),
  swapcase: def(['string'], swapCase),
  shuffle: def(['string'], shuffle),
  cat: defVariadic([], 'any', (_, xs) =>
    xs
      .filter((x) => x !== null && x !== undefined)
      .map((x) => formatValue(x))
      .join(' '),
  ),
  split: def(['string', 'string'], (sep, s) => indexed(splitN(s, sep, -1))),
  splitn: def(['string', 'int', 'string'], (sep, n, s) => indexed(splitN(s, sep, n))),
  splitList: def(['string', 'string'], (sep, s) => typed(splitN(s, sep, -1), '[]string')),
  trimall: def(['string', 'string'], (cut, s) => trimSet(s, cut)),
  randAlphaNum: rand(ALPHA + NUMERIC),
  randAlpha: rand(ALPHA),
  randNumeric: rand(NUMERIC),
  randAscii: rand(ASCII),
  b32enc: def(['string'], b32enc),
  b32dec: def(['string'], b32dec),
};

/** Go's strings.Trim(s, cutset). */
export function trimSet(s: string, cut: string): string {
  const set = new Set(cut);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a] ?? '')) a++;
  while (b > a && set.has(chars[b - 1] ?? '')) b--;
  return chars.slice(a, b).join('');
}
