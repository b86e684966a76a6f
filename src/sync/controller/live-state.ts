import type { Manager } from '../../core/index.js';
import { type GroupVersionKind, type KubeObject, labelIndex, type Reflector } from '../../kube/index.js';
import { SyncError, SyncErrorCode } from '../errors.js';
import { TRACKING_LABEL } from './tracking.js';

export interface LiveStateOptions {
  /** Watch one namespace only. */
  readonly namespace?: string;
  /** Called with the app name a changed object is tracked by. */
  readonly onChange: (appName: string) => void;
  /** How long a reconcile waits for a new kind's first list (RBAC may deny it). Default 60 s. */
  readonly syncTimeoutMs?: number;
}

/** Waits for a cache's first list, but not forever: a list that keeps failing must not hold a worker. */
function syncedWithin(r: Reflector<KubeObject>, ms: number, gvk: GroupVersionKind): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SyncError(
            SyncErrorCode.CacheNotSynced,
            `cannot list ${gvk.kind} (${gvk.apiVersion}) within ${ms / 1000}s; check the controller's RBAC`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([r.waitForSync(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Caches of the objects Applications manage: one label-selected informer per kind (created the first
 * time an app renders that kind), indexed by the tracking label. Changes map to the owning app.
 */
export class LiveState {
  private readonly informers = new Map<string, Reflector<KubeObject>>();

  constructor(
    private readonly manager: Manager,
    private readonly options: LiveStateOptions,
  ) {}

  private static id(gvk: GroupVersionKind): string {
    return `${gvk.apiVersion}|${gvk.kind}`;
  }

  /**
   * The informer for a kind, started and synced. Rejects for a kind the server does not serve (an
   * informer for it would retry its list forever and never sync, holding the reconcile with it).
   */
  async ensure(gvk: GroupVersionKind): Promise<Reflector<KubeObject>> {
    const id = LiveState.id(gvk);
    let r = this.informers.get(id);
    if (!r) {
      await this.manager.client.discovery.resolve(gvk);
      r = this.informers.get(id);
    }
    if (!r) {
      r = this.manager.informer<KubeObject>({
        gvk: { apiVersion: gvk.apiVersion, kind: gvk.kind },
        labelSelector: TRACKING_LABEL,
        ...(this.options.namespace !== undefined && { namespace: this.options.namespace }),
        // Every cached object names its kind, whatever the list or watch said: the inventory and
        // prune decisions key on it.
        transform: (o) =>
          o.kind === gvk.kind && o.apiVersion === gvk.apiVersion
            ? o
            : { ...o, apiVersion: gvk.apiVersion, kind: gvk.kind },
        indexers: { app: labelIndex(TRACKING_LABEL) },
      });
      r.onChange((cur, prev) => {
        const names = new Set<string>();
        const a = cur?.metadata.labels?.[TRACKING_LABEL];
        const b = prev?.metadata.labels?.[TRACKING_LABEL];
        if (a) names.add(a);
        if (b) names.add(b);
        for (const n of names) this.options.onChange(n);
      });
      this.informers.set(id, r);
      r.start();
    }
    if (!r.hasSynced) await syncedWithin(r, this.options.syncTimeoutMs ?? 60_000, gvk);
    return r;
  }

  kinds(): GroupVersionKind[] {
    return [...this.informers.keys()].map((id) => {
      const [apiVersion, kind] = id.split('|');
      return { apiVersion: apiVersion!, kind: kind! };
    });
  }

  get(obj: {
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly metadata: { readonly namespace?: string; readonly name?: string };
  }): KubeObject | undefined {
    const r = this.informers.get(LiveState.id({ apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' }));
    const ns = obj.metadata.namespace;
    return r?.store.get(ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? ''));
  }

  /** Every cached object labelled for `appName`, across the kinds watched so far. */
  trackedBy(appName: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const r of this.informers.values()) out.push(...r.store.byIndex('app', appName));
    return out;
  }
}
