import { isGoMap } from '../go/index.js';
import { GoDuration } from './go-duration.js';
import { GoTime } from './go-time.js';

/** Go's integer types a template meets: literals and `len` give int, sprig's math int64, bytes uint8. */
export type GoIntType = 'int' | 'int64' | 'int32' | 'uint8';

/**
 * A Go integer. Template data is JSON decoded the way notifications-engine receives it, where every
 * number is a float64, so a plain JS `number` is a float64 and integers are boxed: `1` and `1.0` are
 * different values, as in Go (`eq 1 1.0` is an error). Values beyond 2^53 lose precision (README).
 */
export class GoInt {
  constructor(
    readonly value: number,
    readonly type: GoIntType = 'int',
  ) {}

  valueOf(): number {
    return this.value;
  }

  toString(): string {
    return Number.isInteger(this.value) ? BigInt(this.value).toString() : String(this.value);
  }

  /** Go's encoding/json writes an integer as its decimal digits. */
  toJSON(): number {
    return this.value;
  }
}

/** The number inside a Go int or float64 (or a duration's nanoseconds); undefined for anything else. */
export function numberValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return v.value;
  if (v instanceof GoDuration) return v.ns;
  return undefined;
}

/** Boxes an integer result as a Go int of `type`. */
export function goInt(n: number, type: GoIntType = 'int'): GoInt {
  return new GoInt(n, type);
}

/** Go types of slices that are not []interface {} (sprig's []string results), by identity. */
const SLICE_TYPES = new WeakMap<readonly unknown[], string>();

/** Marks `list` as a Go slice of `type` (`[]string`, `[]int`) for `%T` and sprig's typeOf. */
export function typedSlice<T extends readonly unknown[]>(list: T, type: string): T {
  SLICE_TYPES.set(list, type);
  return list;
}

/** An argument for a plain JS function (a user function, a method): Go ints arrive as numbers. */
export function jsArgument(v: unknown): unknown {
  return v instanceof GoInt ? v.value : v;
}

/**
 * A plain JS function's result as a template value: JS cannot say whether a number is an int, so an
 * integral result is a Go int of `intType` unless the function is known to return a float64.
 */
export function jsResult(v: unknown, intType: GoIntType | 'float64' = 'int'): unknown {
  if (typeof v !== 'number' || !Number.isInteger(v) || intType === 'float64') return v;
  return new GoInt(v, intType);
}

/** A plain JS object used as Go's map[string]interface{}. */
export type GoMap = Record<string, unknown>;

/** A JS function callable from a template (`call`, or a method on a value). */
export type GoCallable = (...args: unknown[]) => unknown;

/** Go kinds that matter to the template engine. `undefined` (missing) and `null` (nil) are both "nil". */
export type GoKind = 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'map' | 'func' | 'struct';

export { isGoMap };

export function kindOf(v: unknown): GoKind {
  if (v === undefined || v === null) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
  }
  if (v instanceof GoDuration || v instanceof GoInt) return 'int';
  if (Array.isArray(v)) return 'slice';
  if (isGoMap(v)) return 'map';
  return 'struct';
}

/** Go's type name for messages such as `can't evaluate field X in type int`. */
export function typeName(v: unknown): string {
  if (v instanceof GoTime) return 'time.Time';
  if (v instanceof GoDuration) return 'time.Duration';
  if (v instanceof GoInt) return v.type;
  switch (kindOf(v)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return SLICE_TYPES.get(v as unknown[]) ?? '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'func':
      return 'func';
    case 'struct': {
      const ctor = (v as { constructor?: { name?: unknown } }).constructor;
      return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'struct';
    }
  }
}

/** Go's template truth: zero values, nil and empty collections are false; structs are true. */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'nil':
      return false;
    case 'bool':
      return v === true;
    case 'int':
    case 'float':
      return numberValue(v) !== 0;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return Object.keys(v as GoMap).length > 0;
    case 'func':
      return true;
    case 'struct':
      // a JS Map stands for a Go map with non-string keys: empty is false
      return v instanceof Map ? v.size > 0 : true;
  }
}

/** Go sorts map keys when printing and ranging; strings compare by code unit, like bytes for ASCII. */
export function sortedKeys(map: GoMap): string[] {
  return Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface Member {
  readonly found: boolean;
  readonly value: unknown;
}

const FORBIDDEN = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__lookupGetter__']);

/**
 * Looks up a field or method on a non-map object, walking its prototype chain but never into
 * Object.prototype or Function.prototype, so templates cannot reach `constructor` and friends.
 */
export function lookupMember(obj: object, name: string): Member {
  if (FORBIDDEN.has(name)) return { found: false, value: undefined };
  let current: object | null = obj;
  while (current !== null && current !== Object.prototype && current !== Function.prototype) {
    if (Object.hasOwn(current, name)) {
      return { found: true, value: (obj as Record<string, unknown>)[name] };
    }
    current = Object.getPrototypeOf(current) as object | null;
  }
  return { found: false, value: undefined };
}

/** Own property of a map, or undefined (Go's missing key) when absent. */
export function mapGet(map: GoMap, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
