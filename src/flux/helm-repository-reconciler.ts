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
import type { ChartIndexCache } from './chart-index-cache.js';
import { FluxReason } from './conditions.js';
import { currentFluxObject, handledReconcileRequest } from './current-object.js';
import type { HelmRepository, SourceStatus } from './helm-types.js';
import { basicAuthFromSecret } from './http-download.js';
import { durationMs, jittered } from './intervals.js';
import { artifactStoredConditions, fetchFailedConditions } from './source-conditions.js';
import { writeFluxStatus } from './status-write.js';
import type { Artifact, FluxCondition } from './types.js';

export interface HelmRepositoryReconcilerDeps {
  readonly client: KubeClient;
  readonly repos: Reflector<HelmRepository>;
  readonly indexes: ChartIndexCache;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
}

/**
 * The HelmRepository reconciler: fetch `index.yaml` every interval (bounded in size and time), keep
 * it in the process's index cache and report it as source-controller does (artifact revision is the
 * index's sha256, Ready / ArtifactInStorage / FetchFailed). A `type: oci` repository is static, as
 * in Flux: its status is emptied and HelmCharts pull from it directly.
 */
export class HelmRepositoryReconciler implements Reconciler {
  constructor(private readonly d: HelmRepositoryReconcilerDeps) {}

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const current = currentFluxObject(this.d.repos, this.d.writer, 'HelmRepository', req);
    if (current.state !== 'active') return undefined;
    const repo = current.obj;
    if (repo.spec.type === 'oci') {
      if (repo.status && Object.keys(repo.status).length > 0)
        await writeFluxStatus(this.d.client, this.d.writer, repo, {});
      return undefined;
    }
    const now = toKubeTime(ctx.clock.now());
    const gen = repo.metadata.generation;
    const intervalMs = durationMs(repo.spec.interval, 600_000);
    const ns = repo.metadata.namespace ?? '';
    const name = repo.metadata.name ?? '';
    let conditions: readonly FluxCondition[] = repo.status?.conditions ?? [];
    let artifact: Artifact | undefined = repo.status?.artifact;
    let failed = false;
    try {
      if (/^oci:\/\//.test(repo.spec.url))
        throw new Error("'oci' URL scheme cannot be used with 'default' HelmRepository type");
      const auth = await basicAuthFromSecret(this.d.client, ns, repo.spec.secretRef?.name);
      const fetched = await this.d.indexes.fetch(repo.spec.url, auth, durationMs(repo.spec.timeout, 60_000));
      const hex = fetched.revision.slice('sha256:'.length);
      const path = `helmrepository/${ns}/${name}/index-${hex}.yaml`;
      const isNew = artifact?.revision !== fetched.revision;
      artifact = {
        path,
        url: `slipway://${path}`,
        revision: fetched.revision,
        digest: fetched.revision,
        size: fetched.size,
        lastUpdateTime: isNew || !artifact ? now : artifact.lastUpdateTime,
      };
      conditions = artifactStoredConditions(
        conditions,
        `stored artifact: revision '${fetched.revision}'`,
        gen,
        now,
      );
      if (isNew) {
        ctx.logger.info({ revision: fetched.revision }, 'stored helm repository index');
        this.d.events.normal(
          repo,
          'NewArtifact',
          `stored fetched index of size ${fetched.size} from '${repo.spec.url}'`,
        );
      }
    } catch (err) {
      failed = true;
      const text = err instanceof Error ? err.message : String(err);
      const reason = /secret|401|403/.test(text) ? FluxReason.AuthenticationFailed : FluxReason.Failed;
      const message = `failed to fetch Helm repository index: ${text}`;
      const failure = fetchFailedConditions(conditions, reason, message, gen, now);
      conditions = failure.conditions;
      if (failure.isNew) {
        ctx.logger.warn({ err }, 'helm repository index fetch failed');
        this.d.events.warning(repo, reason, message);
      }
    }
    const status: SourceStatus = {
      ...repo.status,
      conditions,
      ...(artifact && { artifact, url: `slipway://helmrepository/${ns}/${name}/index.yaml` }),
      ...(!failed && { observedGeneration: gen }),
      ...handledReconcileRequest(repo),
    };
    await writeFluxStatus(this.d.client, this.d.writer, repo, status);
    return { requeueAfterMs: jittered(failed ? Math.min(intervalMs, 60_000) : intervalMs, Math.random()) };
  }
}
