import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../../go/index.js';
import { groupKindKey, type KubeClient, type KubeObject } from '../../kube/index.js';
import {
  DefaultRenderLimits,
  type RenderedManifests,
  type RenderLimits,
  renderSource,
  renderTooLargeError,
  type SourceType,
  SymlinkAudit,
} from '../render/index.js';
import type { RepoCache } from '../source/index.js';
import type { Application } from '../types.js';
import { appSources, isMultiSource, isRefOnly } from './app-sources.js';
import { withTracking } from './tracking.js';

/** One object per identity when sources overlap: the later source wins, at the first one's place. */
function lastWins(objects: readonly KubeObject[]): KubeObject[] {
  const byId = new Map<string, number>();
  const out: KubeObject[] = [];
  for (const o of objects) {
    if (!o.metadata.name) {
      out.push(o);
      continue;
    }
    const id = `${groupKindKey(o.apiVersion, o.kind)}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
    const at = byId.get(id);
    if (at === undefined) {
      byId.set(id, out.length);
      out.push(o);
    } else out[at] = o;
  }
  return out;
}

export interface DesiredState {
  /** The commit, or for a multi-source app the commits joined with commas (`revisionKey`). */
  readonly revision: string;
  /** Multi-source apps: one commit per entry of `spec.sources`. */
  readonly revisions?: readonly string[];
  readonly sourceType: SourceType;
  /** Multi-source apps: the type of each rendered source, in order. */
  readonly sourceTypes?: readonly SourceType[];
  /** Rendered objects with namespace defaulted and the tracking label set, in render order. */
  readonly objects: readonly KubeObject[];
  /** Size of the manifests' text the objects came from. */
  readonly bytes: number;
}

export interface DesiredStateOptions {
  readonly client: KubeClient;
  readonly repos: RepoCache;
  readonly workDir: string;
  /** Rendered manifests kept. Default 4096. */
  readonly cacheSize?: number;
  /** File and render size limits. Default DefaultRenderLimits (10 MiB per file, 20 MiB per render). */
  readonly renderLimits?: RenderLimits;
  /**
   * Manifest text (summed over cached renders) kept before the least recently used renders are
   * dropped; the newest is always kept. Default 64 MiB (objects cost ~4x their text in memory).
   */
  readonly cacheBytes?: number;
}

/**
 * Renders an Application at a commit and prepares the objects for apply. Renders are cached by
 * (repo, commit, source settings, app, destination), so 1,000 apps at one commit render once each and
 * then cost nothing until Git moves.
 */
export class DesiredStateCache {
  private readonly cache = new Map<string, Promise<DesiredState>>();
  private readonly sizes = new Map<string, number>();
  private cachedBytes = 0;
  private readonly symlinks = new SymlinkAudit();

  constructor(private readonly options: DesiredStateOptions) {}

  /** `revision`: the commit, or one commit per source (`appSources`), resolved by the caller. */
  load(app: Application, revision: string | readonly string[], hard = false): Promise<DesiredState> {
    const revisions = typeof revision === 'string' ? [revision] : revision;
    const key = createHash('sha256')
      .update(
        canonicalJson([
          appSources(app),
          isMultiSource(app),
          revisions,
          app.metadata.name,
          app.spec.destination.namespace ?? '',
        ]),
      )
      .digest('hex');
    if (hard) this.drop(key);
    let p = this.cache.get(key);
    if (!p) {
      const rendering = this.render(app, revisions);
      p = rendering;
      this.cache.set(key, rendering);
      rendering.then(
        (d) => {
          if (this.cache.get(key) !== rendering) return;
          this.sizes.set(key, d.bytes);
          this.cachedBytes += d.bytes;
          this.trim(key);
        },
        () => {
          if (this.cache.get(key) === rendering) this.drop(key);
        },
      );
      this.trim(key);
    } else {
      // Refresh recency.
      this.cache.delete(key);
      this.cache.set(key, p);
    }
    return p;
  }

  private drop(key: string): void {
    this.cache.delete(key);
    this.cachedBytes -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
  }

  /** Drops least recently used renders over the entry or byte budget, never `keep`. */
  private trim(keep: string): void {
    const maxEntries = this.options.cacheSize ?? 4096;
    const maxBytes = this.options.cacheBytes ?? 64 * 1024 * 1024;
    for (const key of this.cache.keys()) {
      if (this.cache.size <= maxEntries && this.cachedBytes <= maxBytes) break;
      if (key !== keep) this.drop(key);
    }
  }

  private async render(app: Application, revisions: readonly string[]): Promise<DesiredState> {
    const sources = appSources(app);
    const multi = isMultiSource(app);
    if (revisions.length !== sources.length)
      throw new Error(`${sources.length} sources but ${revisions.length} revisions`);
    const destNs = app.spec.destination.namespace ?? '';
    const checkouts = await Promise.all(
      sources.map(async (s, i) => realpath(await this.options.repos.checkout(s.repoURL, revisions[i]!))),
    );
    const refs = new Map<string, string>();
    for (const [i, s] of sources.entries()) if (s.ref) refs.set(`$${s.ref}`, checkouts[i]!);
    const limits = this.options.renderLimits ?? DefaultRenderLimits;
    const renders: RenderedManifests[] = [];
    let bytes = 0;
    for (const [i, source] of sources.entries()) {
      if (multi && isRefOnly(source)) continue;
      const r = await renderSource({
        checkoutDir: checkouts[i]!,
        source,
        appName: app.metadata.name ?? '',
        namespace: destNs,
        helmHome: join(this.options.workDir, 'helm'),
        symlinks: this.symlinks,
        limits,
        ...(multi && { refs }),
      });
      bytes += r.bytes;
      // The sources together stay within one render's budget.
      if (bytes > limits.maxRenderBytes) throw renderTooLargeError('rendering the sources', limits);
      renders.push(r);
    }
    const rendered = {
      objects: lastWins(renders.flatMap((r) => r.objects)),
      sourceType: renders[0]?.sourceType ?? ('Directory' as const),
    };
    const crdScopes = new Map<string, string>();
    for (const o of rendered.objects) {
      if (o.kind !== 'CustomResourceDefinition') continue;
      const spec = o.spec as { group?: string; names?: { kind?: string }; scope?: string } | undefined;
      if (spec?.names?.kind)
        crdScopes.set(`${spec.group ?? ''}/${spec.names.kind}`, spec.scope ?? 'Namespaced');
    }
    const objects: KubeObject[] = [];
    for (const o of rendered.objects) {
      const namespaced = await this.isNamespaced(o, crdScopes);
      const ns = namespaced ? o.metadata.namespace || destNs || 'default' : undefined;
      const prepared = withTracking(o, app.metadata.name ?? '', ns);
      if (!namespaced && prepared.metadata.namespace !== undefined) {
        const { namespace: _drop, ...metadata } = prepared.metadata;
        objects.push({ ...prepared, metadata });
      } else objects.push(prepared);
    }
    return {
      revision: revisions.join(','),
      ...(multi && { revisions, sourceTypes: renders.map((r) => r.sourceType) }),
      sourceType: rendered.sourceType,
      objects,
      bytes,
    };
  }

  private async isNamespaced(o: KubeObject, crdScopes: ReadonlyMap<string, string>): Promise<boolean> {
    try {
      const info = await this.options.client.discovery.resolve({
        apiVersion: o.apiVersion ?? '',
        kind: o.kind ?? '',
      });
      return info.namespaced;
    } catch {
      const scope = crdScopes.get(groupKindKey(o.apiVersion, o.kind));
      return scope ? scope === 'Namespaced' : true;
    }
  }
}
