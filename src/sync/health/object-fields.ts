import { findCondition as findListed } from '../../core/index.js';
/** Loose readers for raw JSON objects: health checks read status fields without trusting their types. */
export type Json = Readonly<Record<string, unknown>>;

export function field(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Json)[p];
  }
  return cur;
}

export function num(obj: unknown, ...path: string[]): number | undefined {
  const v = field(obj, ...path);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function str(obj: unknown, ...path: string[]): string | undefined {
  const v = field(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

export function list(obj: unknown, ...path: string[]): readonly Json[] {
  const v = field(obj, ...path);
  return Array.isArray(v) ? (v.filter((x) => x !== null && typeof x === 'object') as Json[]) : [];
}

export interface StatusCondition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

export function conditions(obj: unknown): readonly StatusCondition[] {
  return list(obj, 'status', 'conditions') as readonly StatusCondition[];
}

export function findCondition(obj: unknown, type: string): StatusCondition | undefined {
  return findListed(conditions(obj), type);
}
