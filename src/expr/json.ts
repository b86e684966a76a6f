import { ExprDuration } from './duration.js';
import { ExprEvalError } from './errors.js';
import { isIntValue, isNumeric, numberValue } from './numbers.js';
import { ExprTime } from './time.js';
import { formatInt, formatValue, isNil, isPlainMap, mapKeys, ownValue } from './values.js';

const MAX_DEPTH = 64;

/** Like Go's json.MarshalIndent(v, "", "  "): map keys sorted, NaN and Inf refused. */
export function toJson(value: unknown): string {
  return write(value, '', 0);
}

function write(value: unknown, indent: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new ExprEvalError('toJSON: value is nested too deeply');
  if (isNil(value)) return 'null';
  if (isNumeric(value)) {
    const n = numberValue(value);
    if (!Number.isFinite(n)) throw new ExprEvalError(`json: unsupported value: ${formatValue(value)}`);
    if (isIntValue(value)) return formatInt(n);
    return Object.is(n, -0) ? '-0' : JSON.stringify(n);
  }
  if (typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') return goJsonString(value);
  if (value instanceof ExprTime) return goJsonString(value.toJSON());
  if (value instanceof ExprDuration) return String(value.nanoseconds);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + write(v, inner, depth + 1)).join(',\n')}\n${indent}]`;
  }
  if (isPlainMap(value)) {
    const keys = mapKeys(value).sort();
    if (keys.length === 0) return '{}';
    const body = keys.map(
      (k) => `${inner}${goJsonString(k)}: ${write(ownValue(value, k)?.value, inner, depth + 1)}`,
    );
    return `{\n${body.join(',\n')}\n${indent}}`;
  }
  throw new ExprEvalError('toJSON: unsupported value');
}

/** encoding/json's string: HTML-safe (`<`, `>`, `&` escaped) and U+2028 / U+2029 escaped. */
function goJsonString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
