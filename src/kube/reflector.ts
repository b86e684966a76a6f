import type { Logger } from '../observability/index.js';
import type { KubeClient } from './client.js';
import { isForbidden, isGone, type KubeError } from './errors.js';
import { describeForbidden } from './permissions.js';
import { type IndexFunc, ObjectStore } from './store.js';
import { type GroupVersionKind, type KubeObject, objectKey } from './types.js';

/**
 * Called for every change the cache sees: `current` is undefined for a deletion, `previous` for a
 * creation; a resync passes the same object twice. Handlers only map objects to work-queue keys.
 */
export type ChangeHandler<T extends KubeObject> = (current: T | undefined, previous: T | undefined) => void;

export interface ReflectorOptions<T extends KubeObject> {
  readonly gvk: GroupVersionKind;
  /** Watch one namespace. Default: all. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /**
   * Cache metadata only (PartialObjectMetadata, with apiVersion/kind restored): for kinds a
   * controller only maps or counts, like Pods. Default false.
   */
  readonly metadataOnly?: boolean;
  /** Applied to every object before it is cached. Default: strip `metadata.managedFields`. */
  readonly transform?: (obj: T) => T;
  readonly indexers?: Readonly<Record<string, IndexFunc<T>>>;
  /** Replay every cached object to the handlers this often (0 = never). Default 0. */
  readonly resyncPeriodMs?: number;
  /** List page size. Default 500. */
  readonly pageSize?: number;
  /** Server-side watch timeout; jittered up to +50%. Default 300 s. */
  readonly watchTimeoutSeconds?: number;
  /** Restart a watch that has received nothing (not even a bookmark) for this long. Default 90 s. */
  readonly idleTimeoutMs?: number;
  /** Backoff after errors: first delay and cap, jittered. Defaults 200 ms and 5 s. */
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
  /**
   * Retry period (jittered) while RBAC forbids the list or watch: permissions change rarely, so this
   * is slow, and it is logged once per transition rather than per attempt. Default 30 s.
   */
  readonly forbiddenRetryMs?: number;
  readonly logger?: Logger;
  readonly onWatchRestart?: (reason: 'timeout' | 'error' | 'gone' | 'idle') => void;
  /** Called once each time the list or watch becomes forbidden (e.g. to record a Warning Event). */
  readonly onForbidden?: (err: KubeError) => void;
  /** Called when a list or watch succeeds again after RBAC refused it. */
  readonly onAllowed?: () => void;
}

/** Removes managedFields, which are large and never needed by controllers. */
export function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (!obj.metadata.managedFields) return obj;
  const { managedFields: _drop, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * Keeps an ObjectStore equal to the server: paged list, then watch from the list's resourceVersion;
 * re-watch when the server ends the stream, relist on 410 Gone, back off with jitter on errors, and
 * restart a stalled stream. Handlers see every change exactly as the cache applies it.
 */
export class Reflector<T extends KubeObject> {
  readonly store: ObjectStore<T>;
  private readonly handlers: ChangeHandler<T>[] = [];
  private readonly abort = new AbortController();
  private resourceVersion: string | undefined;
  private synced = false;
  private syncedWaiters: (() => void)[] = [];
  private denied: KubeError | undefined;
  private settledWaiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly options: ReflectorOptions<T>,
  ) {
    this.store = new ObjectStore<T>(options.indexers);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  onChange(handler: ChangeHandler<T>): void {
    this.handlers.push(handler);
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
    const period = this.options.resyncPeriodMs ?? 0;
    if (period > 0) {
      this.resyncTimer = setInterval(() => {
        for (const o of this.store.list()) this.emit(o, o);
      }, period);
      this.resyncTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.loop;
  }

  /** Resolves after the first complete list. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncedWaiters.push(resolve));
  }

  /**
   * The API server's 403 while the list or watch is forbidden (the reflector keeps retrying slowly and
   * clears it once allowed). Its message names the missing verb, resource and namespace.
   */
  get forbidden(): KubeError | undefined {
    return this.denied;
  }

  /** Resolves after the first complete list, or as soon as RBAC forbids it (see `forbidden`). */
  waitUntilSettled(): Promise<void> {
    if (this.synced || this.denied) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private async run(): Promise<void> {
    const initial = this.options.backoffInitialMs ?? 200;
    const max = this.options.backoffMaxMs ?? 5_000;
    let delay = initial;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        if (this.resourceVersion === undefined) {
          await this.relist();
          delay = initial;
        }
        await this.watch();
        // the backoff restarts once a watch ran to its end, not before each attempt: a watch that
        // cannot even connect (the API server is gone) must not be retried every `initial` ms
        delay = initial;
        this.options.onWatchRestart?.('timeout');
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          this.options.logger?.info({ resource: this.options.gvk.kind }, 'watch expired, relisting');
          this.options.onWatchRestart?.('gone');
          this.resourceVersion = undefined;
          continue;
        }
        if (isForbidden(err)) {
          this.deny(err);
          this.resourceVersion = undefined; // relist when allowed: the cache may have missed changes
          const retry = this.options.forbiddenRetryMs ?? 30_000;
          await sleep(retry * (0.8 + Math.random() * 0.4), signal);
          continue;
        }
        const stalled = err instanceof Error && err.message.startsWith('watch stalled');
        this.options.onWatchRestart?.(stalled ? 'idle' : 'error');
        this.options.logger?.warn(
          { resource: this.options.gvk.kind, err, retryInMs: delay },
          'watch failed, retrying',
        );
        await sleep(delay * (0.8 + Math.random() * 0.4), signal);
        delay = Math.min(delay * 2, max);
      }
    }
  }

  /** A 403: logged once (not per retry), waiters that accept a settled-but-forbidden cache released. */
  private deny(err: KubeError): void {
    const first = this.denied === undefined;
    this.denied = err;
    if (first) {
      this.options.logger?.warn(
        {
          resource: this.options.gvk.kind,
          namespace: this.options.namespace ?? '*',
          problem: describeForbidden(err),
        },
        'list or watch forbidden, retrying slowly',
      );
      this.options.onForbidden?.(err);
    }
    for (const w of this.settledWaiters.splice(0)) w();
  }

  private allowed(): void {
    if (this.denied === undefined) return;
    this.denied = undefined;
    this.options.logger?.info(
      { resource: this.options.gvk.kind, namespace: this.options.namespace ?? '*' },
      'list or watch allowed again',
    );
    this.options.onAllowed?.();
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.client.listAll<T>(this.options.gvk, {
      ...this.selectors(),
      limit: this.options.pageSize ?? 500,
      signal: this.abort.signal,
    });
    const seen = new Set<string>();
    for (const raw of items) {
      const obj = this.transform(raw);
      const key = objectKey(obj);
      seen.add(key);
      const previous = this.store.get(key);
      if (previous?.metadata.resourceVersion === obj.metadata.resourceVersion) continue;
      this.store.upsert(obj);
      this.emit(obj, previous);
    }
    for (const key of this.store.keys()) {
      if (seen.has(key)) continue;
      const previous = this.store.remove(key);
      if (previous) this.emit(undefined, previous);
    }
    this.resourceVersion = resourceVersion;
    this.allowed();
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncedWaiters.splice(0)) w();
      for (const w of this.settledWaiters.splice(0)) w();
    }
  }

  private async watch(): Promise<void> {
    const base = this.options.watchTimeoutSeconds ?? 300;
    const events = this.client.watch<T>(this.options.gvk, {
      ...this.selectors(),
      ...(this.resourceVersion !== undefined && { resourceVersion: this.resourceVersion }),
      allowWatchBookmarks: true,
      timeoutSeconds: Math.round(base * (1 + Math.random() * 0.5)),
      idleTimeoutMs: this.options.idleTimeoutMs ?? 90_000,
      signal: this.abort.signal,
    });
    for await (const event of events) {
      const rv = event.object.metadata.resourceVersion;
      if (event.type === 'BOOKMARK') {
        if (rv) this.resourceVersion = rv;
        continue;
      }
      const obj = this.transform(event.object);
      const key = objectKey(obj);
      if (event.type === 'DELETED') {
        const previous = this.store.remove(key);
        this.emit(undefined, previous ?? obj);
      } else {
        const previous = this.store.upsert(obj);
        this.emit(obj, previous);
      }
      if (rv) this.resourceVersion = rv;
    }
  }

  private selectors() {
    const { namespace, labelSelector, fieldSelector, metadataOnly } = this.options;
    return {
      ...(metadataOnly && { metadataOnly }),
      ...(namespace !== undefined && { namespace }),
      ...(labelSelector !== undefined && { labelSelector }),
      ...(fieldSelector !== undefined && { fieldSelector }),
    };
  }

  private transform(obj: T): T {
    return (this.options.transform ?? stripManagedFields)(obj);
  }

  private emit(current: T | undefined, previous: T | undefined): void {
    for (const h of this.handlers) {
      try {
        h(current, previous);
      } catch (err) {
        this.options.logger?.error({ err, resource: this.options.gvk.kind }, 'change handler failed');
      }
    }
  }
}

/** Resolves after `ms` or on abort; its abort listener goes either way (retries must not pile them up). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
