/**
 * Parameter helpers shared by the generators, as Argo CD's ApplicationSet controller has them:
 * the DNS-name sanitiser behind `nameNormalized` / `basenameNormalized` (and the `normalize`
 * template function), and `jeremywohl/flatten`'s dot style with Go's `%v` for leaves. Pure.
 */
import { formatGoValue } from '../go/index.js';

const MAX_DNS_NAME = 253;

/** Argo's `SanitizeName`: lowercase, `[^-a-z0-9.]` → `-`, at most 253 chars, trimmed of `-` and `.`. */
export function sanitizeName(name: string): string {
  let out = name.toLowerCase().replace(/[^-a-z0-9.]/g, '-');
  if (out.length > MAX_DNS_NAME) out = out.slice(0, MAX_DNS_NAME);
  return out.replace(/^[-.]+|[-.]+$/g, '');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `flatten.Flatten(in, "", flatten.DotStyle)`: nested maps and lists become dotted keys (`a.b`,
 * `list.0`); empty maps and lists vanish; leaves are printed with Go's `%v`.
 */
export function flattenParams(input: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: unknown, key: string) => {
    if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, key === '' ? k : `${key}.${k}`);
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, key === '' ? String(i) : `${key}.${i}`);
    } else {
      out[key] = formatGoValue(value);
    }
  };
  for (const [k, v] of Object.entries(input)) walk(v, k);
  return out;
}

/** Go's `%v` of every value (Argo's `ConvertToMapStringString`). */
export function stringifyParams(input: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) out[k] = typeof v === 'string' ? v : formatGoValue(v);
  return out;
}

/**
 * `mergo.Merge(dst, src, mergo.WithOverride)` for parameter maps: src's non-empty values win, maps
 * merge key by key. Returns a new map.
 */
export function mergeParamsOverride(
  dst: Readonly<Record<string, unknown>>,
  src: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    const cur = out[k];
    if (isPlainObject(cur) && isPlainObject(v)) out[k] = mergeParamsOverride(cur, v);
    else if (!isEmptyValue(v) || !(k in out)) out[k] = v;
  }
  return out;
}

/** mergo's emptiness: zero values do not override. */
function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

export { isPlainObject };
