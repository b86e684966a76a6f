/**
 * The template functions Argo CD adds to sprig for ApplicationSets (`applicationset/utils`):
 * `normalize`, `slugify`, `toYaml`, `fromYaml`, `fromYamlArray`. Pure.
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { isPlainObject, sanitizeName } from '../params.js';

const SLUG_MAX = 50;

/**
 * Argo's `SlugifyName([maxSize], [smartTruncate], name)` over gosimple/slug: ASCII-folded,
 * lowercase, runs of other characters become one `-`, trimmed; cut at `maxSize` (default 50),
 * at a `-` boundary when `smartTruncate` (default true).
 */
export function slugifyName(...args: unknown[]): string {
  let maxSize = SLUG_MAX;
  let smart = true;
  let name = '';
  if (args.length === 1) name = String(args[0] ?? '');
  else if (args.length === 2) {
    maxSize = Number(args[0]);
    name = String(args[1] ?? '');
  } else if (args.length >= 3) {
    maxSize = Number(args[0]);
    smart = args[1] === true;
    name = String(args[2] ?? '');
  }
  let slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  if (maxSize > 0 && slug.length > maxSize) {
    if (smart) {
      const cut = slug.slice(0, maxSize + 1);
      const at = cut.lastIndexOf('-');
      slug = at > 0 ? cut.slice(0, at) : slug.slice(0, maxSize);
    } else slug = slug.slice(0, maxSize);
    slug = slug.replace(/^[-_]+|[-_]+$/g, '');
  }
  return slug;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isPlainObject(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]),
    );
  return v;
}

/** sigs.k8s.io/yaml's Marshal (keys sorted), without the trailing newline. */
export function toYaml(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  return stringifyYaml(sortKeys(v), { lineWidth: 0, indentSeq: false }).replace(/\n$/, '');
}

export function fromYaml(text: unknown): Record<string, unknown> {
  const v: unknown = parseYaml(String(text ?? ''));
  if (v === null || v === undefined) return {};
  if (!isPlainObject(v)) throw new Error('error unmarshaling JSON: cannot unmarshal into a map');
  return v;
}

export function fromYamlArray(text: unknown): unknown[] {
  const v: unknown = parseYaml(String(text ?? ''));
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new Error('error unmarshaling JSON: cannot unmarshal into a slice');
  return v;
}

export const APPLICATIONSET_TEMPLATE_FUNCS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  normalize: (name: unknown) => sanitizeName(String(name ?? '')),
  slugify: slugifyName,
  toYaml,
  fromYaml,
  fromYamlArray,
};
