import { quoteGo } from '../go/index.js';
import { FuncError, TemplateLimitError } from './errors.js';
import { formatValue, stringerText } from './format-value.js';
import { def, defVariadic, type FuncContext, type GoFunc } from './functions.js';
import { goLower, goUpper, toTitle } from './sprig-case.js';
import { trimSet } from './sprig-text.js';
import { typed } from './sprig-typed.js';

/** sprig's strval: strings as-is, Stringers through String(), everything else with %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  return stringerText(v) ?? formatValue(v);
}

/** sprig's strslice: a list of strings from a list (nils dropped) or a single value. */
function strslice(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

/** Go's unicode.IsSpace, as strings.TrimSpace uses it. */
const GO_SPACE_START = /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/u;
const GO_SPACE_END = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$/u;

const bytesOf = (s: string): Buffer => Buffer.from(s, 'utf8');

function sliceBytes(s: string, start: number, end: number): string {
  const b = bytesOf(s);
  if (start < 0 || end > b.length || start > end) {
    throw new FuncError(`runtime error: slice bounds out of range [${start}:${end}] with length ${b.length}`);
  }
  return b.subarray(start, end).toString('utf8');
}

function trunc(c: number, s: string): string {
  const len = bytesOf(s).length;
  if (c < 0 && len + c > 0) return sliceBytes(s, len + c, len);
  if (c >= 0 && len > c) return sliceBytes(s, 0, c);
  return s;
}

function substr(start: number, end: number, s: string): string {
  const len = bytesOf(s).length;
  if (start < 0) return sliceBytes(s, 0, end);
  if (end < 0 || end > len) return sliceBytes(s, start, len);
  return sliceBytes(s, start, end);
}

/** Go's strings.Title word separators: ASCII except letters, digits and '_'; beyond ASCII, spaces. */
function isTitleSeparator(c: string): boolean {
  const code = c.codePointAt(0) ?? 0;
  if (code <= 0x7f) return !/^[A-Za-z0-9_]$/.test(c);
  if (/^[\p{L}\p{Nd}]$/u.test(c)) return false;
  return /^[\u0085\u00A0\p{Zs}\u2028\u2029]$/u.test(c);
}

/** Go's strings.Title: upper-cases the first letter of every word. */
function title(s: string): string {
  let prevIsSeparator = true;
  let out = '';
  for (const c of s) {
    out += prevIsSeparator ? toTitle(c) : c;
    prevIsSeparator = isTitleSeparator(c);
  }
  return out;
}

function repeat(count: number, s: string, ctx: FuncContext): string {
  if (count < 0) throw new FuncError('strings: negative Repeat count');
  if (count * bytesOf(s).length > ctx.maxStringBytes) {
    throw new TemplateLimitError(`repeat result exceeds ${ctx.maxStringBytes} bytes`);
  }
  return s.repeat(count);
}

function indent(spaces: number, s: string, ctx: FuncContext): string {
  if (spaces < 0) throw new FuncError('strings: negative Repeat count');
  if (spaces > ctx.maxStringBytes) throw new TemplateLimitError(`indent exceeds ${ctx.maxStringBytes} bytes`);
  const pad = ' '.repeat(spaces);
  return pad + s.replaceAll('\n', '\n' + pad);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Go's base64.StdEncoding.DecodeString (a port of decodeQuantum); errors come back as text. */
function b64dec(text: string): string {
  const src = Buffer.from(text, 'utf8');
  const out: number[] = [];
  const corrupt = (at: number): string => `illegal base64 data at input byte ${at}`;
  const isNl = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;
  let si = 0;
  while (si < src.length) {
    const buf = [0, 0, 0, 0];
    let dlen = 4;
    let tail = false;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out).toString('utf8');
        return corrupt(si - j);
      }
      const c = src[si++] ?? 0;
      const v = c < 128 ? B64.indexOf(String.fromCharCode(c)) : -1;
      if (v >= 0) {
        buf[j] = v;
        continue;
      }
      if (isNl(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d || j < 2) return corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNl(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== 0x3d) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNl(src[si])) si++;
      if (si < src.length) return corrupt(si);
      dlen = j;
      tail = true;
      break;
    }
    const val = ((buf[0] ?? 0) << 18) | ((buf[1] ?? 0) << 12) | ((buf[2] ?? 0) << 6) | (buf[3] ?? 0);
    const bytes = [(val >> 16) & 255, (val >> 8) & 255, val & 255];
    out.push(...bytes.slice(0, dlen - 1));
    if (tail) break;
    while (si < src.length && isNl(src[si])) si++;
  }
  return Buffer.from(out).toString('utf8');
}

const withCtx = (
  params: GoFunc['params'],
  impl: (args: readonly unknown[], ctx: FuncContext) => unknown,
): GoFunc => ({ params, variadic: undefined, call: impl });

/** sprig's string functions, with sprig's argument order (the subject string comes last). */
export const SPRIG_STRINGS: Readonly<Record<string, GoFunc>> = {
  upper: def(['string'], goUpper),
  lower: def(['string'], goLower),
  title: def(['string'], title),
  trim: def(['string'], (s) => s.replace(GO_SPACE_START, '').replace(GO_SPACE_END, '')),
  trimAll: def(['string', 'string'], (cut, s) => trimSet(s, cut)),
  trimPrefix: def(['string', 'string'], (prefix, s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  trimSuffix: def(['string', 'string'], (suffix, s) =>
    suffix !== '' && s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s,
  ),
  replace: def(['string', 'string', 'string'], (old, repl, src) =>
    old === '' ? repl + [...src].map((c) => c + repl).join('') : src.split(old).join(repl),
  ),
  contains: def(['string', 'string'], (sub, s) => s.includes(sub)),
  hasPrefix: def(['string', 'string'], (prefix, s) => s.startsWith(prefix)),
  hasSuffix: def(['string', 'string'], (suffix, s) => s.endsWith(suffix)),
  quote: defVariadic([], 'any', (_, args) =>
    args
      .filter((a) => a !== null && a !== undefined)
      .map((a) => quoteGo(strval(a)))
      .join(' '),
  ),
  squote: defVariadic([], 'any', (_, args) =>
    args
      .filter((a) => a !== null && a !== undefined)
      .map((a) => `'${formatValue(a)}'`)
      .join(' '),
  ),
  trunc: def(['int', 'string'], trunc),
  substr: def(['int', 'int', 'string'], substr),
  repeat: withCtx(['int', 'string'], ([count, s], ctx) => repeat(count as number, s as string, ctx)),
  indent: withCtx(['int', 'string'], ([n, s], ctx) => indent(n as number, s as string, ctx)),
  nindent: withCtx(['int', 'string'], ([n, s], ctx) => '\n' + indent(n as number, s as string, ctx)),
  join: def(['string', 'any'], (sep, v) => strslice(v).join(sep)),
  toString: def(['any'], strval),
  toStrings: def(['any'], (v) => typed(strslice(v), '[]string')),
  plural: def(['string', 'string', 'int'], (one, many, n) => (n === 1 ? one : many)),
  b64enc: def(['string'], (s) => Buffer.from(s, 'utf8').toString('base64')),
  b64dec: def(['string'], b64dec),
};
