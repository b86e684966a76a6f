import { FuncError } from './errors.js';
import { def, defVariadic, type GoFunc } from './functions.js';
import { expectMap, mapSet, newMap } from './sprig-convert.js';
import { strval } from './sprig-strings.js';
import { typed } from './sprig-typed.js';
import { type GoMap, isGoMap, numberValue, sortedKeys, typeName } from './values.js';

/** sprig's dict functions (dict.go); maps are `map[string]interface {}`, nil maps read as empty. */

function dict(args: readonly unknown[]): GoMap {
  const out = newMap();
  for (let i = 0; i < args.length; i += 2) {
    mapSet(out, strval(args[i] ?? null), i + 1 < args.length ? (args[i + 1] ?? null) : '');
  }
  return out;
}

function setKey(m: unknown, key: string, value: unknown): GoMap {
  const map = expectMap(m);
  if (map === undefined) throw new FuncError('assignment to entry in nil map');
  mapSet(map, key, value ?? null);
  return map;
}

function unsetKey(m: unknown, key: string): GoMap {
  const map = expectMap(m);
  if (map === undefined) return newMap();
  delete map[key];
  return map;
}

function maps(args: readonly unknown[]): GoMap[] {
  return args.map((m) => expectMap(m) ?? newMap());
}

function digFrom(map: GoMap, fallback: unknown, keys: readonly string[]): unknown {
  const [k = '', ...rest] = keys;
  if (!Object.hasOwn(map, k)) return fallback;
  const step = map[k];
  if (rest.length === 0) return step;
  if (!isGoMap(step)) {
    const got = step === null || step === undefined ? 'nil' : typeName(step);
    throw new FuncError(`interface conversion: interface {} is ${got}, not map[string]interface {}`);
  }
  return digFrom(step, fallback, rest);
}

function dig(args: readonly unknown[]): unknown {
  if (args.length < 3) throw new FuncError('dig needs at least three arguments');
  const last = args[args.length - 1];
  if (!isGoMap(last)) {
    const got = last === null || last === undefined ? 'nil' : typeName(last);
    throw new FuncError(`interface conversion: interface {} is ${got}, not map[string]interface {}`);
  }
  const keys = args.slice(0, -2).map((k) => {
    if (typeof k !== 'string') {
      const got = k === null || k === undefined ? 'nil' : typeName(k);
      throw new FuncError(`interface conversion: interface {} is ${got}, not string`);
    }
    return k;
  });
  return digFrom(last, args[args.length - 2], keys);
}

/**
 * dario.cat/mergo's Merge and MergeWithOverwrite for map[string]interface{}: nested maps merge key by
 * key (in place, like Go's shared map references); without overwrite a destination value is kept
 * unless it is empty; with overwrite any source value replaces it, except that a map never replaces
 * a non-empty map (it merges into it).
 */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean, depth: number): void {
  if (depth > 100) throw new FuncError('merge: maps nested too deeply');
  for (const [k, sv] of Object.entries(src)) {
    if (sv === null || sv === undefined) {
      if (overwrite) mapSet(dst, k, null);
      continue;
    }
    const has = Object.hasOwn(dst, k);
    const dv = has ? dst[k] : undefined;
    if (isGoMap(sv) && isGoMap(dv)) mergeInto(dv, sv, overwrite, depth + 1);
    if (has && !isZero(dv)) {
      if (Array.isArray(sv)) {
        if (overwrite) mapSet(dst, k, sv);
        continue;
      }
      if (isGoMap(sv) && isGoMap(dv)) continue;
    }
    if (overwrite || !has || isZero(dv)) mapSet(dst, k, sv);
  }
}

/** mergo's isEmptyValue through interfaces: nil, zero numbers, "", false, empty collections. */
function isZero(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '' || numberValue(v) === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isGoMap(v)) return Object.keys(v).length === 0;
  return false;
}

function merge(dst: unknown, srcs: readonly unknown[], overwrite: boolean): GoMap {
  let d = expectMap(dst);
  for (const s of srcs.map((x) => expectMap(x))) {
    if (s === undefined) continue;
    d ??= newMap();
    mergeInto(d, s, overwrite, 0);
  }
  return d ?? newMap();
}

/** sprig's dictionary functions. */
export const SPRIG_DICTS: Readonly<Record<string, GoFunc>> = {
  dict: defVariadic([], 'any', (_, xs) => dict(xs)),
  get: def(['map', 'string'], (m, k) => {
    const map = expectMap(m);
    return map !== undefined && Object.hasOwn(map, k) ? map[k] : '';
  }),
  set: def(['map', 'string', 'any'], setKey),
  unset: def(['map', 'string'], unsetKey),
  hasKey: def(['map', 'string'], (m, k) => {
    const map = expectMap(m);
    return map !== undefined && Object.hasOwn(map, k);
  }),
  pluck: defVariadic(['string'], 'map', ([key], ds) =>
    maps(ds)
      .filter((m) => Object.hasOwn(m, key))
      .map((m) => m[key]),
  ),
  // Go ranges over maps in random order; Slipway answers in sorted key order, one of Go's orders.
  keys: defVariadic([], 'map', (_, ds) => typed(maps(ds).flatMap(sortedKeys), '[]string')),
  values: def(['map'], (m) => {
    const map = expectMap(m) ?? newMap();
    return sortedKeys(map).map((k) => map[k]);
  }),
  pick: defVariadic(['map'], 'string', ([m], ks) => {
    const map = expectMap(m) ?? newMap();
    return newMap(ks.filter((k) => Object.hasOwn(map, k)).map((k) => [k, map[k]] as const));
  }),
  omit: defVariadic(['map'], 'string', ([m], ks) => {
    const drop = new Set(ks);
    return newMap(Object.entries(expectMap(m) ?? {}).filter(([k]) => !drop.has(k)));
  }),
  merge: defVariadic(['map'], 'map', ([d], srcs) => merge(d, srcs, false)),
  mustMerge: defVariadic(['map'], 'map', ([d], srcs) => merge(d, srcs, false)),
  mergeOverwrite: defVariadic(['map'], 'map', ([d], srcs) => merge(d, srcs, true)),
  mustMergeOverwrite: defVariadic(['map'], 'map', ([d], srcs) => merge(d, srcs, true)),
  dig: defVariadic([], 'any', (_, args) => dig(args)),
};
