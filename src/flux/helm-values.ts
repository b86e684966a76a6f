import { parse } from 'yaml';

export type Values = Record<string, unknown>;

const isRecord = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);

/** fluxcd/pkg chartutil's MergeMaps: `b` over `a`, maps merged recursively, anything else replaced. Pure. */
export function mergeValues(a: Readonly<Values>, b: Readonly<Values>): Values {
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isRecord(v) && isRecord(prev) ? mergeValues(prev, v) : v;
  }
  return out;
}

/** A YAML document of values (empty is `{}`); throws when it is not a map. Pure. */
export function parseValues(text: string, what: string): Values {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new Error(`unable to read values from ${what}: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isRecord(doc)) throw new Error(`unable to read values from ${what}: not a map`);
  return doc;
}

/** Splits a Helm `--set` path (`a.b[0].c`, `\.` escapes a dot) into keys. */
function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i] ?? '';
    if (c === '\\' && i + 1 < path.length) {
      cur += path[++i];
    } else if (c === '.') {
      keys.push(cur);
      cur = '';
    } else if (c === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) throw new Error(`invalid targetPath '${path}'`);
      if (cur !== '') keys.push(cur);
      cur = '';
      const n = Number(path.slice(i + 1, end));
      if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new Error(`invalid targetPath '${path}'`);
      keys.push(n);
      i = end;
      if (path[i + 1] === '.') i++;
    } else cur += c;
  }
  if (cur !== '' || keys.length === 0) keys.push(cur);
  return keys;
}

/**
 * helm-controller's `targetPath`: the value set at a `--set`-style path, as a string (Flux uses
 * strvals.ParseIntoString for it, so `1` stays `"1"`). Returns new values. Pure.
 */
export function setValueAtPath(values: Readonly<Values>, path: string, value: string): Values {
  const keys = pathKeys(path);
  const assign = (node: unknown, i: number): unknown => {
    const key = keys[i] as string | number;
    const last = i === keys.length - 1;
    if (typeof key === 'number') {
      const arr = Array.isArray(node) ? [...node] : [];
      while (arr.length <= key) arr.push(null);
      arr[key] = last ? value : assign(arr[key], i + 1);
      return arr;
    }
    const obj: Values = isRecord(node) ? { ...node } : {};
    obj[key] = last ? value : assign(obj[key], i + 1);
    return obj;
  };
  return assign(values, 0) as Values;
}
