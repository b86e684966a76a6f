import { quoteGo } from '../go/index.js';
import { FuncError, TemplateLimitError } from './errors.js';
import { formatValue, stringerText } from './format-value.js';
import { def, defVariadic, type FuncContext, type GoFunc } from './functions.js';
import { regexMatch, regexReplaceAll } from './regex.js';

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

/** Go's strings.Title: upper-cases the first letter of every word. */
function title(s: string): string {
  let prevIsSeparator = true;
  let out = '';
  for (const c of s) {
    out += prevIsSeparator ? c.toUpperCase() : c;
    prevIsSeparator = !/^[\p{L}\p{N}_']$/u.test(c);
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

function b64dec(s: string): string {
  const clean = s.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(clean);
  if (bad) return `illegal base64 data at input byte ${bad.index}`;
  const padAt = clean.indexOf('=');
  if (clean.length % 4 !== 0 || (padAt !== -1 && padAt < clean.length - 2) || /=[^=]/.test(clean)) {
    return `illegal base64 data at input byte ${padAt !== -1 ? padAt : clean.length - (clean.length % 4)}`;
  }
  return Buffer.from(clean, 'base64').toString('utf8');
}

const withCtx = (
  params: GoFunc['params'],
  impl: (args: readonly unknown[], ctx: FuncContext) => unknown,
): GoFunc => ({ params, variadic: undefined, call: impl });

/** sprig's string functions, with sprig's argument order (the subject string comes last). */
export const SPRIG_STRINGS: Readonly<Record<string, GoFunc>> = {
  upper: def(['string'], (s) => s.toUpperCase()),
  lower: def(['string'], (s) => s.toLowerCase()),
  title: def(['string'], title),
  trim: def(['string'], (s) => s.trim()),
  trimAll: def(['string', 'string'], (cut, s) => {
    const set = [...cut];
    const chars = [...s];
    let a = 0;
    let b = chars.length;
    while (a < b && set.includes(chars[a] ?? '')) a++;
    while (b > a && set.includes(chars[b - 1] ?? '')) b--;
    return chars.slice(a, b).join('');
  }),
  trimPrefix: def(['string', 'string'], (prefix, s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  trimSuffix: def(['string', 'string'], (suffix, s) =>
    suffix !== '' && s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s,
  ),
  replace: def(['string', 'string', 'string'], (old, repl, src) =>
    // strings.Replace with an empty old string inserts at every rune boundary.
    old === '' ? repl + [...src].join(repl) + (src === '' ? '' : repl) : src.split(old).join(repl),
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
  nospace: def(['string'], (s) => s.replace(/\s/gu, '')),
  join: def(['string', 'any'], (sep, v) => strslice(v).join(sep)),
  splitList: def(['string', 'string'], (sep, s) => (sep === '' ? [...s] : s.split(sep))),
  toString: def(['any'], strval),
  toStrings: def(['any'], strslice),
  plural: def(['string', 'string', 'int'], (one, many, n) => (n === 1 ? one : many)),
  b64enc: def(['string'], (s) => Buffer.from(s, 'utf8').toString('base64')),
  b64dec: def(['string'], b64dec),
  regexMatch: def(['string', 'string'], regexMatch),
  regexReplaceAll: def(['string', 'string', 'string'], regexReplaceAll),
};
