import { FuncError } from './errors.js';
import { GoDuration } from './go-duration.js';
import { GoTime } from './go-time.js';
import { GoInt, isGoMap, sortedKeys } from './values.js';

const MAX_DEPTH = 100;

/** Go's encoding/json string escaping, including its HTML-safe \u003c, \u003e and \u0026. */
function jsonString(s: string, escapeHtml: boolean): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (
      code < 0x20 ||
      (escapeHtml && (c === '<' || c === '>' || c === '&')) ||
      code === 0x2028 ||
      code === 0x2029
    ) {
      out += '\\u' + code.toString(16).padStart(4, '0');
    } else out += c;
  }
  return out + '"';
}

/**
 * Encodes like Go's json.Marshal / MarshalIndent: map keys sorted, HTML characters escaped
 * (unless `escapeHtml` is false, as for toRawJson), times in RFC 3339, durations as nanoseconds.
 */
export function goJson(value: unknown, indent: string, escapeHtml = true): string {
  const encode = (v: unknown, prefix: string, depth: number): string => {
    if (depth > MAX_DEPTH) throw new FuncError('json: unsupported value: encountered a cycle or too deep');
    if (v === undefined || v === null) return 'null';
    if (v instanceof GoTime) return jsonString(v.toJSON(), escapeHtml);
    if (v instanceof GoDuration) return String(v.ns);
    if (v instanceof GoInt) return v.toString();
    const marshal = (v as { toJSON?: unknown }).toJSON;
    if (typeof marshal === 'function' && !isGoMap(v)) return encode(marshal.call(v), prefix, depth + 1);
    switch (typeof v) {
      case 'boolean':
        return v ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(v)) throw new FuncError(`json: unsupported value: ${v}`);
        return Object.is(v, -0) ? '-0' : String(v);
      case 'bigint':
        return v.toString();
      case 'string':
        return jsonString(v, escapeHtml);
      case 'function':
      case 'symbol':
        throw new FuncError(`json: unsupported type: ${typeof v}`);
    }
    const inner = prefix + indent;
    const open = (items: string[], l: string, r: string): string => {
      if (items.length === 0) return l + r;
      if (indent === '') return l + items.join(',') + r;
      return `${l}\n${inner}${items.join(`,\n${inner}`)}\n${prefix}${r}`;
    };
    if (Array.isArray(v))
      return open(
        v.map((x) => encode(x, inner, depth + 1)),
        '[',
        ']',
      );
    const obj = v as Record<string, unknown>;
    const keys = isGoMap(v) ? sortedKeys(obj) : Object.keys(obj);
    const sep = indent === '' ? ':' : ': ';
    return open(
      keys
        .filter((k) => isGoMap(v) || obj[k] !== undefined)
        .map((k) => jsonString(k, escapeHtml) + sep + encode(obj[k], inner, depth + 1)),
      '{',
      '}',
    );
  };
  return encode(value, '', 0);
}
