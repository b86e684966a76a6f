import { TemplateLimitError } from './errors.js';
import { formatG } from './format-float.js';
import { GoDuration } from './go-duration.js';
import { GoTime } from './go-time.js';
import { isGoMap, kindOf, sortedKeys } from './values.js';

const MAX_DEPTH = 100;

/** Stringer-like values print through their String()/Error() method, as Go's fmt does. */
export function stringerText(v: unknown): string | undefined {
  if (v instanceof GoTime || v instanceof GoDuration) return v.String();
  if (v instanceof Error) return v.message;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !isGoMap(v)) {
    const fn = (v as { String?: unknown }).String;
    if (typeof fn === 'function') {
      const out: unknown = fn.call(v);
      if (typeof out === 'string') return out;
    }
  }
  return undefined;
}

/** Formats a number like Go's %v: integers in decimal, other floats in shortest %g form. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return Object.is(n, -0) ? '0' : String(n);
  return formatG(n);
}

/**
 * Formats any value like Go's `%v`: `<nil>`, `[a b]`, `map[k:v]` with sorted keys, `{a b}` for
 * structs. `elem` formats nested elements (printf applies its verb to each element).
 */
export function formatValue(v: unknown, depth = 0, elem?: (x: unknown, depth: number) => string): string {
  if (depth > MAX_DEPTH) throw new TemplateLimitError(`value nesting exceeds ${MAX_DEPTH} levels`);
  const inner = elem ?? ((x: unknown, d: number) => formatValue(x, d));
  const kind = kindOf(v);
  switch (kind) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return v ? 'true' : 'false';
    case 'string':
      return v as string;
    case 'int':
    case 'float':
      if (v instanceof GoDuration) return v.String();
      return typeof v === 'bigint' ? v.toString() : formatNumber(v as number);
    case 'slice':
      return `[${(v as unknown[]).map((x) => inner(x, depth + 1)).join(' ')}]`;
    case 'map': {
      const map = v as Record<string, unknown>;
      return `map[${sortedKeys(map)
        .map((k) => `${k}:${inner(map[k], depth + 1)}`)
        .join(' ')}]`;
    }
    case 'func':
      return '<func>';
    case 'struct': {
      const text = stringerText(v);
      if (text !== undefined) return text;
      return `{${Object.values(v as object)
        .map((x) => inner(x, depth + 1))
        .join(' ')}}`;
    }
  }
}
