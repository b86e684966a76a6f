import { FuncError } from './errors.js';
import { def, defVariadic, type GoFunc } from './functions.js';
import { kindForList, toInt64 } from './sprig-convert.js';
import { isEmpty } from './sprig-defaults.js';
import { goDeepEqual } from './sprig-reflect.js';
import { strval } from './sprig-strings.js';
import { typed } from './sprig-typed.js';

/**
 * sprig's list functions (list.go). Each plain name panics where its `must` twin returns an error;
 * text/template reports both as `error calling NAME: ...`, so one implementation serves both.
 */

/** The elements of a slice argument, or sprig's error naming the reflect kind. */
function items(list: unknown, message: (kind: string) => string): readonly unknown[] {
  const kind = kindForList(list);
  if (!Array.isArray(list)) throw new FuncError(message(kind));
  return list;
}

const inList = (haystack: readonly unknown[], needle: unknown): boolean =>
  haystack.some((h) => goDeepEqual(needle, h));

function chunk(size: number, list: unknown): unknown[][] {
  const l = items(list, (k) => `Cannot chunk type ${k}`);
  const count = Math.floor((l.length - 1) / size) + 1;
  if (!Number.isFinite(count) || count < 0) throw new FuncError('runtime error: makeslice: len out of range');
  const out: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    let len = size;
    if (i === count - 1) {
      len = l.length % size;
      if (len === 0) len = size;
    }
    if (len < 0) throw new FuncError('runtime error: makeslice: len out of range');
    const part = l.slice(i * size, i * size + len);
    if (part.length < len) {
      throw new FuncError(`reflect: slice index out of range`);
    }
    out.push(part);
  }
  return typed(out, '[][]interface {}');
}

function sliceList(list: unknown, indices: readonly unknown[]): unknown {
  const l = items(list, (k) => `list should be type of slice or array but ${k}`);
  if (l.length === 0) return null;
  const start = indices.length > 0 ? toInt64(indices[0]) : 0;
  const end = indices.length < 2 ? l.length : toInt64(indices[1]);
  if (start < 0 || end < start || end > l.length) {
    throw new FuncError('reflect.Value.Slice: slice index out of bounds');
  }
  return l.slice(start, end);
}

/** sprig's untilStep: the ints from start towards stop (exclusive) by step. */
export function untilStep(start: number, stop: number, step: number, max: number): number[] {
  const out: number[] = [];
  const guard = (): void => {
    if (out.length > max) throw new FuncError(`list longer than ${max} elements`);
  };
  if (stop < start) {
    if (step >= 0) return typed(out, '[]int');
    for (let i = start; i > stop; i += step) {
      out.push(i);
      guard();
    }
    return typed(out, '[]int');
  }
  if (step <= 0) return typed(out, '[]int');
  for (let i = start; i < stop; i += step) {
    out.push(i);
    guard();
  }
  return typed(out, '[]int');
}

function seq(params: readonly number[], max: number): string {
  let ints: number[];
  switch (params.length) {
    case 1: {
      const end = params[0] ?? 0;
      const inc = end < 1 ? -1 : 1;
      ints = untilStep(1, end + inc, inc, max);
      break;
    }
    case 2: {
      const [start = 0, end = 0] = params;
      const step = end < start ? -1 : 1;
      ints = untilStep(start, end + step, step, max);
      break;
    }
    case 3: {
      const [start = 0, step = 0, end = 0] = params;
      let inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      ints = untilStep(start, end + inc, step, max);
      break;
    }
    default:
      return '';
  }
  return ints.join(' ');
}

/** Elements any list function may build: one per output byte at most. */
const maxItems = (bytes: number): number => Math.max(1024, bytes);

const listFn = (impl: (l: unknown) => unknown): GoFunc => def(['any'], impl);

const first = (l: unknown): unknown => {
  const xs = items(l, (k) => `Cannot find first on type ${k}`);
  return xs.length === 0 ? null : xs[0];
};
const last = (l: unknown): unknown => {
  const xs = items(l, (k) => `Cannot find last on type ${k}`);
  return xs.length === 0 ? null : xs[xs.length - 1];
};
const rest = (l: unknown): unknown => {
  const xs = items(l, (k) => `Cannot find rest on type ${k}`);
  return xs.slice(1);
};
const initial = (l: unknown): unknown => {
  const xs = items(l, (k) => `Cannot find initial on type ${k}`);
  return xs.slice(0, -1);
};
const reverse = (l: unknown): unknown => [...items(l, (k) => `Cannot find reverse on type ${k}`)].reverse();
const compact = (l: unknown): unknown =>
  items(l, (k) => `Cannot compact on type ${k}`).filter((x) => !isEmpty(x));
const uniq = (l: unknown): unknown => {
  const out: unknown[] = [];
  for (const x of items(l, (k) => `Cannot find uniq on type ${k}`)) if (!inList(out, x)) out.push(x);
  return out;
};
const push = (l: unknown, v: unknown): unknown => [...items(l, (k) => `Cannot push on type ${k}`), v];
const prepend = (l: unknown, v: unknown): unknown => [v, ...items(l, (k) => `Cannot prepend on type ${k}`)];
const without = (l: unknown, omit: readonly unknown[]): unknown =>
  items(l, (k) => `Cannot find without on type ${k}`).filter((x) => !inList(omit, x));
const has = (needle: unknown, haystack: unknown): boolean => {
  if (haystack === null || haystack === undefined) return false;
  return items(haystack, (k) => `Cannot find has on type ${k}`).some((x) => goDeepEqual(needle, x));
};

function concat(lists: readonly unknown[]): unknown {
  const out: unknown[] = [];
  for (const l of lists) {
    const kind = kindForList(l);
    if (!Array.isArray(l)) throw new FuncError(`Cannot concat type ${kind} as list`);
    out.push(...l);
  }
  return out;
}

function sortAlpha(l: unknown): string[] {
  const strs = Array.isArray(l) ? l.filter((x) => x !== null && x !== undefined).map(strval) : [strval(l)];
  return typed(
    strs.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) as number),
    '[]string',
  );
}

const both = (fn: GoFunc, ...names: string[]): Record<string, GoFunc> =>
  Object.fromEntries(names.map((n) => [n, fn]));

/** sprig's list functions; `slice` replaces text/template's builtin, as sprig's FuncMap does. */
export const SPRIG_LISTS: Readonly<Record<string, GoFunc>> = {
  list: defVariadic([], 'any', (_, xs) => xs.map((x) => x ?? null)),
  tuple: defVariadic([], 'any', (_, xs) => xs.map((x) => x ?? null)),
  ...both(def(['any', 'any'], push), 'append', 'push', 'mustAppend', 'mustPush'),
  ...both(def(['any', 'any'], prepend), 'prepend', 'mustPrepend'),
  ...both(listFn(first), 'first', 'mustFirst'),
  ...both(listFn(last), 'last', 'mustLast'),
  ...both(listFn(rest), 'rest', 'mustRest'),
  ...both(listFn(initial), 'initial', 'mustInitial'),
  ...both(listFn(reverse), 'reverse', 'mustReverse'),
  ...both(listFn(compact), 'compact', 'mustCompact'),
  ...both(listFn(uniq), 'uniq', 'mustUniq'),
  ...both(
    defVariadic(['any'], 'any', ([l], omit) => without(l, omit)),
    'without',
    'mustWithout',
  ),
  ...both(def(['any', 'any'], has), 'has', 'mustHas'),
  ...both(
    defVariadic(['any'], 'any', ([l], idx) => sliceList(l, idx)),
    'slice',
    'mustSlice',
  ),
  ...both(def(['int', 'any'], chunk), 'chunk', 'mustChunk'),
  concat: defVariadic([], 'any', (_, lists) => concat(lists)),
  sortAlpha: def(['any'], sortAlpha),
  until: {
    params: ['int'],
    variadic: undefined,
    call: ([n], ctx) => {
      const count = n as number;
      return untilStep(0, count, count < 0 ? -1 : 1, maxItems(ctx.maxStringBytes));
    },
  },
  untilStep: {
    params: ['int', 'int', 'int'],
    variadic: undefined,
    call: ([a, b, c], ctx) => untilStep(a as number, b as number, c as number, maxItems(ctx.maxStringBytes)),
  },
  seq: {
    params: [],
    variadic: 'int',
    call: (args, ctx) => seq(args as number[], maxItems(ctx.maxStringBytes)),
  },
};
