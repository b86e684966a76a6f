import type { Manager } from '../../core/index.js';
import {
  describeForbidden,
  type GroupVersionKind,
  type KubeClient,
  KubeError,
  KubeErrorCode,
  type KubeObject,
  labelIndex,
  Reflector,
} from '../../kube/index.js';
import { SyncError, SyncErrorCode } from '../errors.js';
import { TRACKING_LABEL } from './tracking.js';

export interface LiveStateOptions {
  /** Watch one namespace only (`slipway controller -n`). */
  readonly namespace?: string;
  /**
   * Destination namespaces (`--sync-namespaces`): namespaced kinds get one informer per namespace, so
   * a RoleBinding per namespace (deploy/sync/namespace-binding.yaml) is enough, and objects elsewhere
   * are refused with a clear error. Default: every namespace, which needs cluster-wide rights.
   */
  readonly namespaces?: readonly string[];
  /** Called with the app name a changed object is tracked by. */
  readonly onChange: (appName: string) => void;
  /** Retry period of a forbidden informer (see ReflectorOptions.forbiddenRetryMs). */
  readonly forbiddenRetryMs?: number;
  /** How long a reconcile waits for a new kind's first list to settle. Default 60 s. */
  readonly syncTimeoutMs?: number;
  /** The cluster watched (a registered destination cluster). Default: the manager's client. */
  readonly client?: KubeClient;
  /** Called when an informer RBAC refused may list and watch again (its apps should look again). */
  readonly onAllowed?: () => void;
}

/**
 * Waits until a cache's first list succeeded or RBAC refused it, but not forever: a list that keeps
 * failing otherwise (an API server outage) must not hold a worker.
 */
function settledWithin(r: Reflector<KubeObject>, ms: number, gvk: GroupVersionKind): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SyncError(
            SyncErrorCode.CacheNotSynced,
            `cannot list ${gvk.kind} (${gvk.apiVersion}) within ${ms / 1000}s; check the controller's RBAC and the API server`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([r.waitUntilSettled(), timeout]).finally(() => clearTimeout(timer));
}

interface KindCache {
  /** Namespace → informer; '' is the cluster-wide one. */
  readonly informers: ReadonlyMap<string, Reflector<KubeObject>>;
}

const RECIPE =
  'apply deploy/sync/apply-role.yaml and bind it in the destination namespace (deploy/sync/namespace-binding.yaml), or cluster-wide (deploy/sync/cluster-wide.yaml)';

/**
 * Caches of the objects Applications manage: label-selected informers per kind (created the first time
 * an app renders that kind, per destination namespace when those are configured), indexed by the
 * tracking label. Changes map to the owning app. A kind RBAC forbids fails `ensure` with a message
 * naming the missing permission and the recipe; its informer keeps retrying slowly, so granting the
 * permission later heals without a restart. These informers are the sync's own: a forbidden one does
 * not make the whole controller unready.
 */
export class LiveState {
  private readonly kindsById = new Map<string, Promise<KindCache>>();
  private readonly ready = new Map<string, KindCache>();
  private stopped = false;
  private readonly client: KubeClient;

  constructor(
    private readonly manager: Manager,
    private readonly options: LiveStateOptions,
  ) {
    this.client = options.client ?? manager.client;
    manager.onStop(() => this.stop());
  }

  private static id(gvk: GroupVersionKind): string {
    return `${gvk.apiVersion}|${gvk.kind}`;
  }

  /**
   * The informers for a kind, started and synced; rejects when RBAC forbids the one of a namespace in
   * `namespaces` (default: any), so one unbound destination does not hold up apps deploying elsewhere.
   */
  async ensure(gvk: GroupVersionKind, namespaces?: readonly string[]): Promise<void> {
    const id = LiveState.id(gvk);
    let cache = this.kindsById.get(id);
    if (!cache) {
      cache = this.start(gvk);
      this.kindsById.set(id, cache);
      // an unknown kind (its CRD not applied yet) is asked again next time
      cache.catch(() => this.kindsById.delete(id));
    }
    const { informers } = await cache;
    const ms = this.options.syncTimeoutMs ?? 60_000;
    await Promise.all([...informers.values()].map((r) => settledWithin(r, ms, gvk)));
    for (const [namespace, r] of informers) {
      const denied = r.forbidden;
      if (denied === undefined) continue;
      if (namespace !== '' && namespaces !== undefined && !namespaces.includes(namespace)) continue;
      const where = namespace === '' ? 'cluster-wide' : `in namespace ${namespace}`;
      throw new KubeError(
        KubeErrorCode.Forbidden,
        describeForbidden(denied, `the Application controller cannot watch ${gvk.kind} ${where}: ${RECIPE}`),
        { httpStatus: 403, ...(denied.reason !== undefined && { reason: denied.reason }) },
        denied,
      );
    }
  }

  /** Refuses an object in a namespace outside `--sync-namespaces` before anything is applied. */
  checkNamespace(obj: { readonly metadata: { readonly namespace?: string } }): void {
    const ns = obj.metadata.namespace;
    const watched = this.options.namespace;
    if (
      this.options.namespaces === undefined &&
      watched !== undefined &&
      ns !== undefined &&
      ns !== '' &&
      ns !== watched
    )
      // `-n` without `--sync-namespaces` watches live objects in that namespace only: an object
      // elsewhere would be applied and then never seen, OutOfSync and Missing for ever
      throw new SyncError(
        SyncErrorCode.NamespaceNotManaged,
        `namespace ${ns} is not watched by this controller (-n ${watched}); list the destination namespaces in --sync-namespaces`,
      );
    const allowed = this.options.namespaces;
    if (allowed === undefined || ns === undefined || ns === '' || allowed.includes(ns)) return;
    throw new SyncError(
      SyncErrorCode.NamespaceNotManaged,
      `namespace ${ns} is not a sync destination of this controller (--sync-namespaces ${allowed.join(',')}); add it there and ${RECIPE}`,
    );
  }

  private async start(gvk: GroupVersionKind): Promise<KindCache> {
    // Rejects for a kind the server does not serve: an informer for it would retry its list forever.
    const resolved = await this.client.discovery.resolve(gvk);
    const perNamespace = this.options.namespaces !== undefined && resolved.namespaced;
    const scopes: readonly (string | undefined)[] = perNamespace
      ? (this.options.namespaces ?? [])
      : [this.options.namespace];
    const informers = new Map<string, Reflector<KubeObject>>();
    for (const namespace of scopes) {
      const r = new Reflector<KubeObject>(this.client, {
        gvk: { apiVersion: gvk.apiVersion, kind: gvk.kind },
        labelSelector: TRACKING_LABEL,
        ...(namespace !== undefined && { namespace }),
        // Every cached object names its kind, whatever the list or watch said: the inventory and
        // prune decisions key on it.
        transform: (o) =>
          o.kind === gvk.kind && o.apiVersion === gvk.apiVersion
            ? o
            : { ...o, apiVersion: gvk.apiVersion, kind: gvk.kind },
        indexers: { app: labelIndex(TRACKING_LABEL) },
        ...(this.options.forbiddenRetryMs !== undefined && {
          forbiddenRetryMs: this.options.forbiddenRetryMs,
        }),
        logger: this.manager.logger.child({ informer: gvk.kind, component: 'sync-live-state' }),
        onWatchRestart: (reason) => this.manager.metrics.watchRestarts.inc({ resource: gvk.kind, reason }),
        onForbidden: (err) => this.manager.reportForbidden(namespace, err),
        ...(this.options.onAllowed !== undefined && { onAllowed: this.options.onAllowed }),
      });
      r.onChange((cur, prev) => {
        const names = new Set<string>();
        const a = cur?.metadata.labels?.[TRACKING_LABEL];
        const b = prev?.metadata.labels?.[TRACKING_LABEL];
        if (a) names.add(a);
        if (b) names.add(b);
        for (const n of names) this.options.onChange(n);
      });
      informers.set(namespace ?? '', r);
      if (!this.stopped) r.start();
    }
    const cache = { informers };
    this.ready.set(LiveState.id(gvk), cache);
    return cache;
  }

  kinds(): GroupVersionKind[] {
    return [...this.ready.keys()].map((id) => {
      const [apiVersion, kind] = id.split('|');
      return { apiVersion: apiVersion!, kind: kind! };
    });
  }

  get(obj: {
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly metadata: { readonly namespace?: string; readonly name?: string };
  }): KubeObject | undefined {
    const cache = this.ready.get(LiveState.id({ apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' }));
    const ns = obj.metadata.namespace;
    const key = ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
    for (const r of cache?.informers.values() ?? []) {
      const found = r.store.get(key);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every cached object labelled for `appName`, across the kinds watched so far. */
  trackedBy(appName: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const cache of this.ready.values())
      for (const r of cache.informers.values()) out.push(...r.store.byIndex('app', appName));
    return out;
  }

  /** Stops every informer (on manager stop, or when no Application targets the cluster any more). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(
      [...this.ready.values()].flatMap((c) => [...c.informers.values()].map((r) => r.stop())),
    );
  }
}
