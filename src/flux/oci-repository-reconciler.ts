import {
  type EventRecorder,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  type StatusWriter,
  toKubeTime,
} from '../core/index.js';
import type { KubeClient, Reflector } from '../kube/index.js';
import { type ChartArchiveLimits, readTarGz } from './chart-archive.js';
import { type ChartStore, chartDigest } from './chart-store.js';
import { deleteFluxCondition, FluxConditionType, type FluxReason, setFluxCondition } from './conditions.js';
import { currentFluxObject } from './current-object.js';
import { dockerConfigAuth } from './http-download.js';
import { durationMs, jittered } from './intervals.js';
import { RECONCILE_REQUEST_ANNOTATION } from './kustomization-status.js';
import { ociRevision, resolveOciRef } from './oci-ref.js';
import { getBlob, getManifest, listTags, type OciClientOptions, parseOciUrl } from './oci-registry.js';
import type { OCIRepository, OCIRepositoryStatus } from './oci-types.js';
import { writeFluxStatus } from './status-write.js';
import type { FluxCondition } from './types.js';

export interface OCIRepositoryReconcilerDeps {
  readonly client: KubeClient;
  readonly repos: Reflector<OCIRepository>;
  readonly store: ChartStore;
  readonly limits: ChartArchiveLimits;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
}

/** Where an OCIRepository's artifact of a manifest digest is kept (Flux's artifact path, without the server). */
export function ociArtifactPath(repo: OCIRepository, digest: string): string {
  return `ocirepository/${repo.metadata.namespace ?? ''}/${repo.metadata.name ?? ''}/${digest.replace('sha256:', '')}.tar.gz`;
}

/** The unpacked folder of an OCIRepository artifact path, relative to the store. */
export const ociArtifactTree = (path: string) => path.replace(/\.tar\.gz$/, '');

/**
 * The OCIRepository reconciler: resolve the ref against the registry (digest, semver over the tag
 * list, tag, `latest`), pull the manifest and the selected layer (verified digests, bounded size),
 * unpack it into the artifact store and report it as source-controller does (revision
 * `<tag>@sha256:<digest>`, Ready / ArtifactInStorage / FetchFailed).
 */
export class OCIRepositoryReconciler implements Reconciler {
  constructor(private readonly d: OCIRepositoryReconcilerDeps) {}

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const current = currentFluxObject(this.d.repos, this.d.writer, 'OCIRepository', req);
    if (current.state !== 'active') return undefined;
    const repo = current.obj;
    const now = toKubeTime(ctx.clock.now());
    const gen = repo.metadata.generation;
    const intervalMs = durationMs(repo.spec.interval, 600_000);
    const ns = repo.metadata.namespace ?? '';
    let conditions: readonly FluxCondition[] = repo.status?.conditions ?? [];
    let status: OCIRepositoryStatus = repo.status ?? {};
    const set = (type: string, s: 'True' | 'False', reason: string, message: string) => {
      conditions = setFluxCondition(
        conditions,
        { type: type as FluxConditionType, status: s, reason: reason as FluxReason, message },
        gen,
        now,
      );
    };
    let failed = false;
    try {
      const ref = parseOciUrl(repo.spec.url);
      const authorization = await dockerConfigAuth(this.d.client, ns, repo.spec.secretRef?.name, ref.host);
      const o: OciClientOptions = {
        timeoutMs: durationMs(repo.spec.timeout, 60_000),
        ...(repo.spec.insecure && { insecure: true }),
        ...(authorization !== undefined && { authorization }),
      };
      const tags = repo.spec.ref?.semver && !repo.spec.ref.digest ? await listTags(ref, o) : [];
      const r = resolveOciRef(repo.spec.ref, tags);
      if (r.kind === 'error') throw new Error(r.message);
      const manifest = await getManifest(ref, r.reference, o);
      const revision = ociRevision(r.tag, manifest.digest);
      const path = ociArtifactPath(repo, manifest.digest);
      const selector = repo.spec.layerSelector;
      const prev = repo.status?.artifact;
      const same =
        prev?.revision === revision &&
        this.d.store.tree(ociArtifactTree(prev.path)) !== undefined &&
        JSON.stringify(repo.status?.observedLayerSelector ?? null) === JSON.stringify(selector ?? null);
      let artifact = prev;
      if (!same || !artifact) {
        const layer = selector?.mediaType
          ? manifest.layers.find((l) => l.mediaType === selector.mediaType)
          : manifest.layers[0];
        if (!layer)
          throw new Error(
            selector?.mediaType
              ? `failed to find layer with media type '${selector.mediaType}' in artifact`
              : 'no layers found in artifact',
          );
        const blob = await getBlob(ref, layer.digest, this.d.limits.maxBytes, o);
        const files = readTarGz(blob, this.d.limits, 0);
        await this.d.store.putTree(ociArtifactTree(path), files);
        // `copy` stores the layer as it is in Flux (a chart archive a HelmRelease loads): its digest is
        // the layer's; `extract` re-archives the files. Both are kept unpacked here.
        const sum =
          selector?.operation === 'copy' ? { digest: layer.digest, size: blob.length } : chartDigest(files);
        artifact = {
          path,
          url: `slipway://${path}`,
          revision,
          digest: sum.digest,
          size: sum.size,
          lastUpdateTime: now,
        };
        ctx.logger.info({ revision }, 'stored oci artifact');
        this.d.events.normal(
          repo,
          'NewArtifact',
          `stored artifact with revision '${revision}' from '${repo.spec.url}'`,
        );
      }
      const msg = `stored artifact for digest '${revision}'`;
      conditions = deleteFluxCondition(conditions, FluxConditionType.FetchFailed);
      conditions = deleteFluxCondition(conditions, FluxConditionType.Reconciling);
      conditions = deleteFluxCondition(conditions, FluxConditionType.Stalled);
      set(FluxConditionType.ArtifactInStorage, 'True', 'Succeeded', msg);
      set(FluxConditionType.Ready, 'True', 'Succeeded', msg);
      status = {
        ...status,
        artifact,
        url: `slipway://ocirepository/${ns}/${repo.metadata.name ?? ''}/latest.tar.gz`,
        observedGeneration: gen ?? 0,
        ...(selector && {
          observedLayerSelector: { ...selector, operation: selector.operation ?? 'extract' },
        }),
        ...(repo.spec.ignore !== undefined && { observedIgnore: repo.spec.ignore }),
      };
    } catch (err) {
      failed = true;
      const text = err instanceof Error ? err.message : String(err);
      const reason = /401|403|secret/.test(text) ? 'AuthenticationFailed' : 'OCIArtifactPullFailed';
      const message = `failed to pull artifact from '${repo.spec.url}': ${text}`;
      const previous = conditions.find((c) => c.type === FluxConditionType.FetchFailed)?.message;
      set(FluxConditionType.FetchFailed, 'True', reason, message);
      set(FluxConditionType.Ready, 'False', reason, message);
      set(FluxConditionType.Reconciling, 'True', 'ProgressingWithRetry', 'reconciliation in progress');
      if (previous !== message) {
        ctx.logger.warn({ reason }, 'oci artifact pull failed');
        this.d.events.warning(repo, reason, message);
      }
    }
    const requested = repo.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
    await writeFluxStatus(this.d.client, this.d.writer, repo, {
      ...status,
      conditions,
      ...(requested !== undefined && { lastHandledReconcileAt: requested }),
    });
    return { requeueAfterMs: jittered(failed ? Math.min(intervalMs, 60_000) : intervalMs, Math.random()) };
  }
}
