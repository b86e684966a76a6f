/**
 * Canonical JSON: `JSON.stringify` output with every object's keys in sorted (UTF-16 code unit)
 * order, so equal values give equal bytes whatever their key order. Used where a hash or an equality
 * check depends on the text (pod-template hashes, sync revisions, status comparisons); its output
 * for a given value must never change. Pure.
 */

const hasToJson = (value: object): value is { toJSON(): unknown } =>
  typeof (value as { toJSON?: unknown }).toJSON === 'function';

function write(input: unknown): string | undefined {
  const value = typeof input === 'object' && input !== null && hasToJson(input) ? input.toJSON() : input;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? 'null').join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Readonly<Record<string, unknown>>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const text = write(record[key]);
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `value` as canonical JSON. Like `JSON.stringify`, `toJSON` is honoured, undefined members are
 * left out and undefined array items written as `null`; a top-level undefined is `null`.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}
