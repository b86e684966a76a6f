import { def, type GoFunc } from './functions.js';
import { GoDuration } from './go-duration.js';
import { GoTime } from './go-time.js';
import { reflectKind } from './sprig-convert.js';
import { typedName } from './sprig-typed.js';
import { GoInt, isGoMap, kindOf, typeName } from './values.js';

/** Go's `%T` of a value, including the slice and map types sprig functions return. */
export function goTypeOf(v: unknown): string {
  if (typeof v === 'object' && v !== null) {
    const t = typedName(v);
    if (t !== undefined) return t;
    if (v instanceof GoTime || v instanceof GoDuration) return typeName(v);
    const own = (v as { goType?: unknown }).goType;
    if (typeof own === 'string') return own;
  }
  return typeName(v);
}

/** Go's reflect.DeepEqual over the template value model: same Go type, then same contents. */
export function goDeepEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (goTypeOf(a) !== goTypeOf(b)) return false;
  if (a instanceof GoTime && b instanceof GoTime) {
    return a.epochMs === b.epochMs && a.subMsNanos === b.subMsNanos && a.offsetSec === b.offsetSec;
  }
  if (a instanceof GoDuration && b instanceof GoDuration) return a.ns === b.ns;
  if (a instanceof GoInt && b instanceof GoInt) return a.value === b.value;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => goDeepEqual(x, b[i], depth + 1));
  }
  if (isGoMap(a) && isGoMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && goDeepEqual(a[k], b[k], depth + 1));
  }
  if (kindOf(a) === 'struct' && kindOf(b) === 'struct') return a === b;
  return a === b;
}

/** sprig's reflection functions (reflect.go) plus `deepEqual` (reflect.DeepEqual). */
export const SPRIG_REFLECT: Readonly<Record<string, GoFunc>> = {
  typeOf: def(['any'], goTypeOf),
  typeIs: def(['string', 'any'], (target, v) => target === goTypeOf(v)),
  typeIsLike: def(['string', 'any'], (target, v) => {
    const t = goTypeOf(v);
    return target === t || `*${target}` === t;
  }),
  kindOf: def(['any'], reflectKind),
  kindIs: def(['string', 'any'], (target, v) => target === reflectKind(v)),
  deepEqual: def(['any', 'any'], (a, b) => goDeepEqual(a, b)),
};
