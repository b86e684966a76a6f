import { type KubeObject, stripManagedFields } from '../kube/index.js';
import { type Clock, systemClock } from './clock.js';

export interface WrittenObjectsOptions {
  /** Forget a write the cache has not caught up with after this long (a deleted object). Default 5 min. */
  readonly maxAgeMs?: number;
  readonly clock?: Clock;
}

/**
 * The newest copy of each object this process wrote, by kind/namespace/name. A reconcile that runs
 * before the watch delivers its own last write (a late event for an older version woke it) reads
 * through `fresher` and decides from what it wrote, not from the stale cache: no repeated work, no
 * 409 on the next write.
 */
export class WrittenObjects {
  private readonly objects = new Map<string, { readonly obj: KubeObject; readonly at: number }>();
  private writes = 0;
  private readonly clock: Clock;

  constructor(private readonly options: WrittenObjectsOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  private static key(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  remember(obj: KubeObject): void {
    const now = this.clock.now();
    this.objects.set(
      WrittenObjects.key(obj.kind ?? '', obj.metadata.namespace ?? '', obj.metadata.name ?? ''),
      { obj: stripManagedFields(obj), at: now },
    );
    if (++this.writes % 1024 === 0) this.sweep(now);
  }

  /** Whichever of the cached object and our last write is newer (by resourceVersion). */
  fresher<T extends KubeObject>(kind: string, cached: T | undefined): T | undefined {
    if (cached === undefined) return undefined;
    const key = WrittenObjects.key(kind, cached.metadata.namespace ?? '', cached.metadata.name ?? '');
    const written = this.objects.get(key)?.obj as T | undefined;
    if (written === undefined) return cached;
    if (written.metadata.uid !== cached.metadata.uid || resourceVersion(cached) >= resourceVersion(written)) {
      this.objects.delete(key);
      return cached;
    }
    return written;
  }

  private sweep(now: number): void {
    const maxAge = this.options.maxAgeMs ?? 300_000;
    for (const [key, entry] of this.objects) if (now - entry.at > maxAge) this.objects.delete(key);
  }
}

const resourceVersion = (obj: KubeObject): bigint => {
  try {
    return BigInt(obj.metadata.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
};
