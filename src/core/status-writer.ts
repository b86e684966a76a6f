import { canonicalJson } from '../go/index.js';
import { type KubeObject, stripManagedFields } from '../kube/index.js';
import { type Clock, systemClock } from './clock.js';

export interface StatusWriterOptions {
  /** Forget a write the cache has not caught up with after this long (a deleted object). Default 5 min. */
  readonly maxAgeMs?: number;
  readonly clock?: Clock;
}

/** An object with a status, written as a whole through `write` (a /status replace or a patch). */
export interface StatusWrite<T extends KubeObject> {
  /** The object as this reconcile read it (through `fresher`); its resourceVersion is the write's base. */
  readonly current: T;
  /** The status this reconcile wants. */
  readonly status: unknown;
  /** Performs the write and returns the object the API server stored. */
  readonly write: (next: T) => Promise<T>;
  /** Whether the status differs from what is stored. Default: canonical JSON inequality. */
  readonly changed?: (stored: unknown, desired: unknown) => boolean;
}

interface Entry {
  readonly obj: KubeObject;
  /** resourceVersions known to precede `obj`: the bases of our writes and our earlier writes. */
  readonly older: ReadonlySet<string>;
  /** resourceVersions this process wrote (`obj`'s and the earlier writes still in `older`). */
  readonly own: ReadonlySet<string>;
  readonly at: number;
}

const MAX_OLDER = 64;

/**
 * The one status writer every controller uses (in the spirit of Flux's deferred status patch):
 *
 * - **read-your-writes**: it remembers the newest copy of each object this process wrote, and
 *   `fresher` returns it while the informer cache still holds a version that preceded it (a late
 *   watch event for an older version woke the reconcile). resourceVersion is opaque: a cached
 *   version is "older" only when it is one we saw before or while writing (the base of a write, or
 *   an earlier write of ours). Equal means the cache caught up; any other version was written by
 *   someone else after us, and the cache wins.
 * - **compare, then write**: `writeStatus` skips the call when the status is unchanged.
 * - **write once, then fail**: a reconcile that must back off writes its status first and then
 *   throws `retryAfterStatus(err)`, so the queue's rate limiter paces the retry.
 *
 * In memory only by design: losing it on restart costs one reconcile from a stale cache, never a
 * wrong decision, because every decision that must survive a restart lives in the object's status.
 */
export class StatusWriter {
  private readonly objects = new Map<string, Entry>();
  private writes = 0;
  private readonly clock: Clock;

  constructor(private readonly options: StatusWriterOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  private static key(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  /**
   * Remembers an object we wrote. `base` is the version the write was made against (the object
   * read before the patch or replace); without it only our own earlier writes count as older.
   */
  remember(obj: KubeObject, base?: KubeObject): void {
    const now = this.clock.now();
    const key = StatusWriter.key(obj.kind ?? '', obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    const previous = this.objects.get(key);
    const older = new Set<string>();
    const own = new Set<string>();
    if (previous !== undefined && previous.obj.metadata.uid === obj.metadata.uid) {
      for (const rv of previous.older) older.add(rv);
      for (const rv of previous.own) own.add(rv);
      addVersion(older, previous.obj);
    }
    if (base !== undefined && base.metadata.uid === obj.metadata.uid) addVersion(older, base);
    older.delete(obj.metadata.resourceVersion ?? '');
    while (older.size > MAX_OLDER) older.delete(older.values().next().value as string);
    for (const rv of own) if (!older.has(rv)) own.delete(rv);
    addVersion(own, obj);
    this.objects.set(key, { obj: stripManagedFields(obj), older, own, at: now });
    if (++this.writes % 1024 === 0) this.sweep(now);
  }

  /** Our last write when the cached object is a version that preceded it; otherwise the cached one. */
  fresher<T extends KubeObject>(kind: string, cached: T | undefined): T | undefined {
    if (cached === undefined) return undefined;
    const key = StatusWriter.key(kind, cached.metadata.namespace ?? '', cached.metadata.name ?? '');
    const entry = this.objects.get(key);
    if (entry === undefined) return cached;
    const cachedVersion = cached.metadata.resourceVersion ?? '';
    const isOlder = entry.obj.metadata.uid === cached.metadata.uid && entry.older.has(cachedVersion);
    if (!isOlder) {
      this.objects.delete(key);
      return cached;
    }
    return entry.obj as T;
  }

  /**
   * Whether a watched change is only the echo of this process's own writes: `current` is a version we wrote
   * and the version before it (`previous`; none for our create) is one we wrote or wrote against, so nobody
   * else changed the object in between.
   */
  isOwnChange(kind: string, current: KubeObject | undefined, previous: KubeObject | undefined): boolean {
    if (current === undefined) return false;
    const entry = this.objects.get(
      StatusWriter.key(kind, current.metadata.namespace ?? '', current.metadata.name ?? ''),
    );
    if (entry === undefined || entry.obj.metadata.uid !== current.metadata.uid) return false;
    if (!entry.own.has(current.metadata.resourceVersion ?? '')) return false;
    if (previous === undefined) return true;
    const before = previous.metadata.resourceVersion ?? '';
    return (
      previous.metadata.uid === current.metadata.uid && (entry.own.has(before) || entry.older.has(before))
    );
  }

  /**
   * The informer delivered `cached`: once it holds our last write or a version after it, our copy is no
   * longer needed (`fresher` would return the cache and drop it too). Without this, the copy of every
   * object written last before the cluster went quiet stayed until a sweep, and sweeps run only on later
   * writes: a settled controller kept a second copy of each recently written object. Call it after the
   * handlers that ask `isOwnChange` about the same change, which still needs the entry.
   */
  observe(kind: string, cached: KubeObject | undefined): void {
    if (cached === undefined) return;
    const key = StatusWriter.key(kind, cached.metadata.namespace ?? '', cached.metadata.name ?? '');
    const entry = this.objects.get(key);
    if (entry === undefined) return;
    const isOlder =
      entry.obj.metadata.uid === cached.metadata.uid &&
      entry.older.has(cached.metadata.resourceVersion ?? '');
    if (!isOlder) this.objects.delete(key);
  }

  /** Drops what we remember of an object (it was deleted). */
  forget(kind: string, namespace: string, name: string): void {
    this.objects.delete(StatusWriter.key(kind, namespace, name));
  }

  /**
   * Writes `status` when it differs from the stored one and remembers the result. Returns the
   * stored object, or undefined when nothing was written.
   */
  async writeStatus<T extends KubeObject>(w: StatusWrite<T>): Promise<T | undefined> {
    const stored = (w.current as { readonly status?: unknown }).status;
    const changed = w.changed ?? ((a, b) => canonicalJson(a ?? {}) !== canonicalJson(b ?? {}));
    if (!changed(stored, w.status)) return undefined;
    const written = await w.write({ ...w.current, status: w.status });
    this.remember(written, w.current);
    return written;
  }

  private sweep(now: number): void {
    const maxAge = this.options.maxAgeMs ?? 300_000;
    for (const [key, entry] of this.objects) if (now - entry.at > maxAge) this.objects.delete(key);
  }
}

function addVersion(set: Set<string>, obj: KubeObject): void {
  const rv = obj.metadata.resourceVersion;
  if (rv !== undefined && rv !== '') set.add(rv);
}
