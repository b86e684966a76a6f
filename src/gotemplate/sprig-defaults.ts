import { FuncError } from './errors.js';
import { def, defVariadic, type GoFunc } from './functions.js';
import { GoDuration } from './go-duration.js';
import { GoTime } from './go-time.js';
import { newMap } from './sprig-convert.js';
import { typed, typedName } from './sprig-typed.js';
import { isGoMap, kindOf } from './values.js';

/** sprig's empty: zero values, nil and empty collections; structs are never empty. */
export function isEmpty(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'nil':
      return true;
    case 'bool':
      return v === false;
    case 'int':
    case 'float':
      return v instanceof GoDuration ? v.ns === 0 : Number(v) === 0;
    case 'string':
      return v === '';
    case 'slice':
      return (v as unknown[]).length === 0;
    case 'map':
      return Object.keys(v as object).length === 0;
    default:
      return false;
  }
}

const MAX_COPY_DEPTH = 100;

/** mitchellh/copystructure's Copy over the value model: slices and maps are copied, the rest shared. */
export function deepCopy(v: unknown, depth = 0): unknown {
  if (depth === 0 && (v === null || v === undefined)) {
    throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  }
  if (depth > MAX_COPY_DEPTH) throw new FuncError('deepCopy error: value nested too deeply');
  if (Array.isArray(v)) {
    const out = v.map((x) => deepCopy(x, depth + 1));
    const t = typedName(v);
    return t === undefined ? out : typed(out, t);
  }
  if (isGoMap(v)) {
    const out = newMap(Object.entries(v).map(([k, x]) => [k, deepCopy(x, depth + 1)] as const));
    const t = typedName(v);
    return t === undefined ? out : typed(out, t);
  }
  if (v instanceof GoTime) return new GoTime(v.epochMs, v.subMsNanos, v.offsetSec, v.zone);
  return v;
}

/** sprig's defaults.go: default, empty, coalesce, all, any, ternary, deepCopy; and fail. */
export const SPRIG_DEFAULTS: Readonly<Record<string, GoFunc>> = {
  default: defVariadic(['any'], 'any', ([d], given) =>
    given.length === 0 || isEmpty(given[0]) ? d : given[0],
  ),
  empty: def(['any'], isEmpty),
  coalesce: defVariadic([], 'any', (_, xs) => xs.find((x) => !isEmpty(x)) ?? null),
  all: defVariadic([], 'any', (_, xs) => xs.every((x) => !isEmpty(x))),
  any: defVariadic([], 'any', (_, xs) => xs.some((x) => !isEmpty(x))),
  ternary: def(['any', 'any', 'bool'], (yes, no, cond) => (cond ? yes : no)),
  deepCopy: def(['any'], (v) => deepCopy(v)),
  mustDeepCopy: def(['any'], (v) => deepCopy(v)),
  fail: def(['string'], (msg) => {
    throw new FuncError(msg);
  }),
};
