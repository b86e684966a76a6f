import { goEq, goGe, goGt, goLe, goLt, goNe } from './compare.js';
import { FuncError } from './errors.js';
import { htmlEscape, jsEscape, queryEscape } from './escape.js';
import { def, defVariadic, type GoFunc } from './functions.js';
import { GoDuration } from './go-duration.js';
import { sprint, sprintf, sprintln } from './printf.js';
import { GoInt, goInt, isGoMap, isTrue, mapGet, typeName } from './values.js';

/** Go's fmt.Sprint: operands formatted with %v, a space between two operands when neither is a string. */
export function goSprint(args: readonly unknown[]): string {
  return sprint(args);
}

/** The escapers' evalArgs: one string as is, else fmt.Sprint with missing values as `<no value>`. */
function escaperInput(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

function toIndex(v: unknown, what: string): number {
  if (v instanceof GoInt) return v.value;
  if (v instanceof GoDuration) return v.ns;
  if (v === null || v === undefined) throw new FuncError(`cannot index ${what} with nil`);
  throw new FuncError(`cannot index ${what} with type ${typeName(v)}`);
}

function indexOne(item: unknown, key: unknown): unknown {
  if (Array.isArray(item) || typeof item === 'string') {
    const what = Array.isArray(item) ? 'slice/array' : 'string';
    const i = toIndex(key, what);
    const len = Array.isArray(item) ? item.length : utf8(item).length;
    if (i < 0 || i >= len) throw new FuncError(`index out of range: ${i}`);
    return Array.isArray(item) ? item[i] : goInt(utf8(item as string)[i] ?? 0, 'uint8');
  }
  if (isGoMap(item)) {
    if (key === null || key === undefined) throw new FuncError('value is nil; should be of type string');
    if (typeof key !== 'string') throw new FuncError(`value has type ${typeName(key)}; should be string`);
    return mapGet(item, key);
  }
  if (item === null || item === undefined) throw new FuncError('index of nil pointer');
  throw new FuncError(`can't index item of type ${typeName(item)}`);
}

function goIndex(item: unknown, keys: readonly unknown[]): unknown {
  if (item === null || item === undefined) throw new FuncError('index of untyped nil');
  return keys.reduce<unknown>((acc, key) => indexOne(acc, key), item);
}

function goSlice(item: unknown, idx: readonly unknown[]): unknown {
  if (item === null || item === undefined) throw new FuncError('slice of untyped nil');
  if (idx.length > 3) throw new FuncError(`too many slice indexes: ${idx.length}`);
  const isString = typeof item === 'string';
  if (!isString && !Array.isArray(item)) throw new FuncError(`can't slice item of type ${typeName(item)}`);
  if (isString && idx.length === 3) throw new FuncError('cannot 3-index slice a string');
  const bytes = isString ? utf8(item) : undefined;
  const len = bytes ? bytes.length : (item as unknown[]).length;
  const at = idx.map((v) => toIndex(v, 'slice'));
  for (const i of at) if (i < 0 || i > len) throw new FuncError(`index out of range: ${i}`);
  const start = at[0] ?? 0;
  const end = at[1] ?? len;
  if (start > end) throw new FuncError(`invalid slice index: ${start} > ${end}`);
  if (at[2] !== undefined && end > at[2]) throw new FuncError(`invalid slice index: ${end} > ${at[2]}`);
  return bytes ? bytes.subarray(start, end).toString('utf8') : (item as unknown[]).slice(start, end);
}

function goLen(item: unknown): GoInt {
  if (item === null || item === undefined) throw new FuncError('len of nil pointer');
  if (typeof item === 'string') return goInt(utf8(item).length);
  if (Array.isArray(item)) return goInt(item.length);
  if (isGoMap(item)) return goInt(Object.keys(item).length);
  throw new FuncError(`len of type ${typeName(item)}`);
}

/**
 * Go's predefined template functions. `and`, `or` and `call` are evaluated by the executor
 * (short-circuit and raw function values); their entries here only declare them to the parser.
 */
export const BUILTINS: Readonly<Record<string, GoFunc>> = {
  and: defVariadic(['any'], 'any', () => undefined),
  or: defVariadic(['any'], 'any', () => undefined),
  call: defVariadic(['any'], 'any', () => undefined),
  not: def(['any'], (v) => !isTrue(v)),
  len: def(['any'], goLen),
  index: defVariadic(['any'], 'any', ([item], keys) => goIndex(item, keys)),
  slice: defVariadic(['any'], 'any', ([item], idx) => goSlice(item, idx)),
  print: defVariadic([], 'any', (_, args) => goSprint(args)),
  println: defVariadic([], 'any', (_, args) => sprintln(args)),
  printf: {
    params: ['string'],
    variadic: 'any',
    call: ([format, ...args], ctx) => sprintf(String(format), args, ctx.maxStringBytes),
  },
  html: defVariadic([], 'any', (_, args) => htmlEscape(escaperInput(args))),
  js: defVariadic([], 'any', (_, args) => jsEscape(escaperInput(args))),
  urlquery: defVariadic([], 'any', (_, args) => queryEscape(escaperInput(args))),
  eq: defVariadic(['any'], 'any', ([a], rest) => goEq(a, ...rest)),
  ne: def(['any', 'any'], goNe),
  lt: def(['any', 'any'], goLt),
  le: def(['any', 'any'], goLe),
  gt: def(['any', 'any'], goGt),
  ge: def(['any', 'any'], goGe),
};
