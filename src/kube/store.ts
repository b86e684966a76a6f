import { type KubeObject, objectKey } from './types.js';

/** Computes the index values of an object (an object may sit under several values). */
export type IndexFunc<T extends KubeObject> = (obj: T) => readonly string[];

/** Built-in indexes every store keeps. */
export const Index = { Namespace: 'namespace', Owner: 'owner' } as const;

const byNamespace: IndexFunc<KubeObject> = (o) => (o.metadata.namespace ? [o.metadata.namespace] : []);
const byOwnerUid: IndexFunc<KubeObject> = (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid);

/** Indexes objects by the value of one label ("app" → objects by their app label). */
export function labelIndex<T extends KubeObject>(label: string): IndexFunc<T> {
  return (o) => {
    const v = o.metadata.labels?.[label];
    return v === undefined ? [] : [v];
  };
}

/** An in-memory cache of objects keyed by `namespace/name`, with secondary indexes. */
export class ObjectStore<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexFuncs: Map<string, IndexFunc<T>>;
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    this.indexFuncs = new Map<string, IndexFunc<T>>([
      [Index.Namespace, byNamespace],
      [Index.Owner, byOwnerUid],
      ...Object.entries(indexers),
    ]);
    for (const name of this.indexFuncs.keys()) this.indexes.set(name, new Map());
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Objects whose index `name` contains `value`. */
  byIndex(name: string, value: string): T[] {
    const keys = this.indexes.get(name)?.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.items.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  /** Inserts or replaces; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const previous = this.items.get(key);
    if (previous) this.unindex(key, previous);
    this.items.set(key, obj);
    this.index(key, obj);
    return previous;
  }

  remove(key: string): T | undefined {
    const previous = this.items.get(key);
    if (!previous) return undefined;
    this.items.delete(key);
    this.unindex(key, previous);
    return previous;
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of this.indexFuncs) {
      const idx = this.indexes.get(name)!;
      for (const v of fn(obj)) {
        const set = idx.get(v) ?? new Set<string>();
        if (set.size === 0) idx.set(v, set);
        set.add(key);
      }
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexFuncs) {
      const idx = this.indexes.get(name)!;
      for (const v of fn(obj)) {
        const set = idx.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) idx.delete(v);
      }
    }
  }
}
