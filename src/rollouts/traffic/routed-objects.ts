/**
 * The objects traffic routers read (VirtualServices, DestinationRules, TrafficSplits, Ingresses, HTTPRoutes…)
 * served from informers instead of a GET per reconcile, as Argo Rollouts reads them from its informers.
 *
 * - One informer per kind (apiVersion + kind, in the controller's namespace scope), started on demand the
 *   first time a router reads that kind and the API server serves it (a kind it does not serve, such as a
 *   TCPRoute version the cluster lacks, never gets an informer that would retry forever).
 * - Until an informer has listed, and for objects outside its namespace scope, reads go to the API server.
 * - Read-your-writes: what a router writes is remembered (`StatusWriter.remember`) and returned while the
 *   informer still holds the version the write replaced, so the next reconcile does not plan from a stale
 *   copy and fail on a conflict.
 * - Every object a Rollout's routers read is tracked; a change to it (another controller or a user editing
 *   a VirtualService) enqueues that Rollout, whose next reconcile writes the weights back (Argo does the same
 *   through its VirtualService and Ingress informers).
 *
 * The informers live here, not in the Manager: a router kind whose list fails must not hold up readiness.
 */
import type { StatusWriter } from '../../core/index.js';
import {
  type ApplyOptions,
  type GroupVersionKind,
  isNotFound,
  type KubeClient,
  type KubeObject,
  type ObjectRef,
  type PatchOptions,
  Reflector,
  type WriteOptions,
} from '../../kube/index.js';
import type { Logger } from '../../observability/index.js';
import type { TrafficClient } from './router.js';

export interface RoutedObjectsOptions {
  readonly client: KubeClient;
  /** The controller's namespace scope (one namespace), or undefined for all namespaces. */
  readonly namespace?: string;
  /** Remembers our writes (read-your-writes). */
  readonly written: StatusWriter;
  readonly logger: Logger;
  /** Enqueues a Rollout (`namespace/name`) whose routers read an object that changed. */
  readonly enqueue: (rolloutKey: string) => void;
}

const gvkKey = (gvk: GroupVersionKind) => `${gvk.apiVersion}|${gvk.kind}`;
const objectKeyOf = (gvk: GroupVersionKind, namespace: string, name: string) =>
  `${gvkKey(gvk)}|${namespace}/${name}`;

export class RoutedObjects {
  private readonly informers = new Map<string, Reflector<KubeObject>>();
  /** object key → the Rollouts whose routers read it on their last reconcile. */
  private readonly readers = new Map<string, Set<string>>();
  /** Rollout key → the object keys its routers read on their last reconcile. */
  private readonly readBy = new Map<string, Set<string>>();
  private stopped = false;

  constructor(private readonly options: RoutedObjectsOptions) {}

  /**
   * A TrafficClient for one reconcile of Rollout `rolloutKey`. Call `done()` after the routers ran: the
   * objects read replace what the Rollout read before (a Rollout that stops naming an object stops being
   * woken by it).
   */
  clientFor(rolloutKey: string): TrafficClient & { done(): void } {
    const { client, written } = this.options;
    const read = new Set<string>();
    const remember = <T extends KubeObject>(out: T, base?: KubeObject): T => {
      written.remember(out, base);
      return out;
    };
    return {
      get: async <T extends KubeObject>(ref: ObjectRef, options?: { signal?: AbortSignal }) => {
        const namespace = ref.namespace ?? '';
        read.add(objectKeyOf(ref, namespace, ref.name));
        return (await this.get(ref, options)) as T;
      },
      list: (gvk, options) => client.list(gvk, options),
      create: async <T extends KubeObject>(obj: KubeObject, options?: WriteOptions) =>
        remember(await client.create<T>(obj, options)),
      patch: async <T extends KubeObject>(ref: ObjectRef, patch: unknown, options: PatchOptions) =>
        remember(await client.patch<T>(ref, patch, options)),
      replace: async <T extends KubeObject>(obj: KubeObject, options?: WriteOptions) =>
        remember(await client.replace<T>(obj, options), obj),
      apply: async <T extends KubeObject>(obj: KubeObject, options: ApplyOptions) =>
        remember(await client.apply<T>(obj, options)),
      delete: async (ref, options) => {
        await client.delete(ref, options);
        written.forget(ref.kind, ref.namespace ?? '', ref.name);
      },
      done: () => this.track(rolloutKey, read),
    };
  }

  /** Stops the informers (manager shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((r) => r.stop()));
  }

  /** Forgets a Rollout that is gone. */
  forget(rolloutKey: string): void {
    this.track(rolloutKey, new Set());
  }

  /** Number of informers started (for tests and metrics). */
  get informerCount(): number {
    return this.informers.size;
  }

  private inScope(namespace: string): boolean {
    return this.options.namespace === undefined || this.options.namespace === namespace;
  }

  private async get(ref: ObjectRef, options?: { signal?: AbortSignal }): Promise<KubeObject> {
    const namespace = ref.namespace ?? '';
    const informer = this.informers.get(gvkKey(ref));
    if (informer?.hasSynced && this.inScope(namespace)) {
      const cached = informer.store.get(namespace === '' ? ref.name : `${namespace}/${ref.name}`);
      const fresh = this.options.written.fresher(ref.kind, cached);
      if (fresh !== undefined) return fresh;
      // not cached: absent, or created a moment ago (by us: a canary Ingress, a TrafficSplit); ask
    }
    try {
      const live = await this.options.client.get(ref, options);
      this.startInformer(ref);
      return live;
    } catch (err) {
      // the kind is served (only the object is missing): worth an informer
      if (isNotFound(err)) this.startInformer(ref);
      throw err;
    }
  }

  private startInformer(gvk: GroupVersionKind): void {
    const key = gvkKey(gvk);
    if (this.stopped || this.informers.has(key)) return;
    const informer = new Reflector<KubeObject>(this.options.client, {
      gvk: { apiVersion: gvk.apiVersion, kind: gvk.kind },
      ...(this.options.namespace !== undefined && { namespace: this.options.namespace }),
      logger: this.options.logger.child({ informer: gvk.kind }),
    });
    informer.onChange((current, previous) => {
      const obj = current ?? previous;
      if (obj === undefined) return;
      const objectKey = objectKeyOf(gvk, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
      for (const rollout of this.readers.get(objectKey) ?? []) this.options.enqueue(rollout);
    });
    this.informers.set(key, informer);
    informer.start();
    this.options.logger.info(
      { apiVersion: gvk.apiVersion, kind: gvk.kind },
      'routed object informer started',
    );
  }

  private track(rolloutKey: string, read: ReadonlySet<string>): void {
    for (const key of this.readBy.get(rolloutKey) ?? []) {
      if (read.has(key)) continue;
      const set = this.readers.get(key);
      set?.delete(rolloutKey);
      if (set?.size === 0) this.readers.delete(key);
    }
    for (const key of read) {
      const set = this.readers.get(key) ?? new Set<string>();
      set.add(rolloutKey);
      this.readers.set(key, set);
    }
    if (read.size === 0) this.readBy.delete(rolloutKey);
    else this.readBy.set(rolloutKey, new Set(read));
  }
}
