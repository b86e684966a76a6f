import { KubeError, KubeErrorCode } from './errors.js';
import type { KubeTransport } from './transport.js';
import { type GroupVersionKind, type ResourceInfo, splitGroupVersion } from './types.js';

const MAX_REMEMBERED_MISSING = 1_000;
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

interface AggregatedResource {
  readonly resource: string;
  readonly responseKind?: { readonly kind?: string };
  readonly scope?: string;
  readonly verbs?: readonly string[];
  readonly subresources?: readonly { readonly subresource: string }[];
}
interface AggregatedList {
  readonly kind?: string;
  readonly items?: readonly {
    readonly metadata?: { readonly name?: string };
    readonly versions?: readonly {
      readonly version: string;
      readonly resources?: readonly AggregatedResource[];
    }[];
  }[];
}
interface LegacyResourceList {
  readonly resources?: readonly {
    readonly name: string;
    readonly kind: string;
    readonly namespaced: boolean;
    readonly verbs?: readonly string[];
  }[];
}

/**
 * Maps kinds to resources (and back) from the API server's discovery documents. Refreshed on a miss
 * at most once per `minRefreshIntervalMs`, and on demand (call `invalidate()` when CRDs change).
 * The first miss of a kind soon after a refresh waits for the interval to pass and refreshes then (one
 * refresh shared by every caller that missed meanwhile), so a kind whose CRD was created a moment ago
 * is found rather than reported unknown because a refresh happened just before it was served; a kind a
 * refresh already missed fails at once until the interval has passed.
 */
export class Discovery {
  private byKind = new Map<string, ResourceInfo>();
  private loaded: Promise<void> | undefined;
  private lastRefresh = 0;
  private refreshing: Promise<void> | undefined;
  /** Kinds a refresh did not find: asked again only once the interval passed (bounded). */
  private readonly missing = new Set<string>();

  constructor(
    private readonly transport: KubeTransport,
    private readonly minRefreshIntervalMs = 2_000,
  ) {}

  /** Resolves a kind to its resource, refreshing discovery once if it is unknown. */
  async resolve(gvk: GroupVersionKind): Promise<ResourceInfo> {
    await this.ensureLoaded();
    const k = key(gvk);
    let info = this.byKind.get(k);
    if (!info && (Date.now() - this.lastRefresh >= this.minRefreshIntervalMs || !this.missing.has(k))) {
      await this.refreshAfterInterval();
      info = this.byKind.get(k);
      if (!info) this.rememberMissing(k);
    }
    if (!info) {
      throw new KubeError(
        KubeErrorCode.UnknownKind,
        `the server has no resource for kind ${gvk.kind} in ${gvk.apiVersion}; is its CRD installed?`,
        { object: { apiVersion: gvk.apiVersion, kind: gvk.kind } },
      );
    }
    return info;
  }

  /** Every resource the server serves (after the first load). */
  async all(): Promise<ResourceInfo[]> {
    await this.ensureLoaded();
    return [...this.byKind.values()];
  }

  invalidate(): void {
    this.loaded = undefined;
  }

  private rememberMissing(k: string): void {
    if (this.missing.size >= MAX_REMEMBERED_MISSING) this.missing.clear();
    this.missing.add(k);
  }

  /** One refresh, no sooner than `minRefreshIntervalMs` after the last; shared by concurrent misses. */
  private refreshAfterInterval(): Promise<void> {
    if (!this.refreshing) {
      const wait = Math.max(0, this.minRefreshIntervalMs - (Date.now() - this.lastRefresh));
      const run = async () => {
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        this.invalidate();
        await this.ensureLoaded();
      };
      const p = run().finally(() => {
        if (this.refreshing === p) this.refreshing = undefined;
      });
      this.refreshing = p;
    }
    return this.refreshing;
  }

  private ensureLoaded(): Promise<void> {
    if (!this.loaded) {
      const p = this.load();
      this.loaded = p;
      p.catch(() => {
        if (this.loaded === p) this.loaded = undefined;
      });
    }
    return this.loaded;
  }

  private async load(): Promise<void> {
    const next = new Map<string, ResourceInfo>();
    const [core, groups] = await Promise.all([
      this.transport.request<AggregatedList>({ method: 'GET', path: '/api', accept: AGGREGATED }),
      this.transport.request<AggregatedList>({ method: 'GET', path: '/apis', accept: AGGREGATED }),
    ]);
    if (core.kind === 'APIGroupDiscoveryList' && groups.kind === 'APIGroupDiscoveryList') {
      for (const list of [core, groups]) addAggregated(next, list);
    } else {
      await this.loadLegacy(next, groups);
    }
    this.byKind = next;
    this.lastRefresh = Date.now();
  }

  private async loadLegacy(next: Map<string, ResourceInfo>, groups: unknown): Promise<void> {
    const gvs = ['v1'];
    const list = groups as { groups?: { versions?: { groupVersion: string }[] }[] };
    for (const g of list.groups ?? []) for (const v of g.versions ?? []) gvs.push(v.groupVersion);
    await Promise.all(
      gvs.map(async (gv) => {
        const path = gv === 'v1' ? '/api/v1' : `/apis/${gv}`;
        const rl = await this.transport.request<LegacyResourceList>({ method: 'GET', path });
        const { group, version } = splitGroupVersion(gv);
        const subs = new Map<string, string[]>();
        for (const r of rl.resources ?? []) {
          const [base, sub] = r.name.split('/');
          if (base && sub) subs.set(base, [...(subs.get(base) ?? []), sub]);
        }
        for (const r of rl.resources ?? []) {
          if (r.name.includes('/')) continue;
          const info: ResourceInfo = {
            apiVersion: gv,
            kind: r.kind,
            group,
            version,
            resource: r.name,
            namespaced: r.namespaced,
            subresources: subs.get(r.name) ?? [],
            verbs: r.verbs ?? [],
          };
          next.set(key(info), info);
        }
      }),
    );
  }
}

function addAggregated(next: Map<string, ResourceInfo>, list: AggregatedList): void {
  for (const g of list.items ?? []) {
    const group = g.metadata?.name ?? '';
    for (const v of g.versions ?? []) {
      const apiVersion = group ? `${group}/${v.version}` : v.version;
      for (const r of v.resources ?? []) {
        const kind = r.responseKind?.kind;
        if (!kind) continue;
        const info: ResourceInfo = {
          apiVersion,
          kind,
          group,
          version: v.version,
          resource: r.resource,
          namespaced: r.scope === 'Namespaced',
          subresources: (r.subresources ?? []).map((s) => s.subresource),
          verbs: r.verbs ?? [],
        };
        next.set(key(info), info);
      }
    }
  }
}

const key = (gvk: GroupVersionKind) => `${gvk.apiVersion}|${gvk.kind}`;
