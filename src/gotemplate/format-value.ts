import { formatG, formatGoValue } from '../go/index.js';
import { TemplateLimitError } from './errors.js';
import { GoDuration } from './go-duration.js';
import { GoTime } from './go-time.js';
import { GoInt, isGoMap } from './values.js';

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

/** `%v` of the values only templates carry: Go ints (boxed), float64s (plain numbers), Stringers. */
function valueText(v: unknown): string | undefined {
  if (v instanceof GoInt) return v.toString();
  if (typeof v === 'number') return formatG(v);
  return stringerText(v);
}

/**
 * Formats any value like Go's `%v`: `<nil>`, `[a b]`, `map[k:v]` with sorted keys, `{a b}` for
 * structs, template values through their String method. `elem` formats nested elements (printf
 * applies its verb to each element).
 */
export function formatValue(v: unknown, depth = 0, elem?: (x: unknown, depth: number) => string): string {
  return formatGoValue(
    v,
    {
      text: valueText,
      maxDepth: MAX_DEPTH,
      tooDeep: (max) => new TemplateLimitError(`value nesting exceeds ${max} levels`),
      ...(elem !== undefined && { element: elem }),
    },
    depth,
  );
}
