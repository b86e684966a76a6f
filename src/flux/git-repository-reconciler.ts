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
import type { RepoCache } from '../sync/index.js';
import type { ArtifactStore } from './artifact-store.js';
import { FluxReason } from './conditions.js';
import type { GitRepositoryCredentials } from './credentials.js';
import { currentFluxObject, handledReconcileRequest } from './current-object.js';
import { resolveGitRef } from './git-ref.js';
import { durationMs, jittered } from './intervals.js';
import { artifactStoredConditions, fetchFailedConditions } from './source-conditions.js';
import { writeFluxStatus } from './status-write.js';
import type { Artifact, FluxCondition, GitRepository, GitRepositoryStatus } from './types.js';

export interface GitRepositoryReconcilerDeps {
  readonly client: KubeClient;
  readonly repos: Reflector<GitRepository>;
  readonly git: RepoCache;
  readonly credentials: GitRepositoryCredentials;
  readonly artifacts: ArtifactStore;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
}

function failureReason(message: string): FluxReason {
  return /authentication|authorization|401|403|could not read Username|failed to get secret/i.test(message)
    ? FluxReason.AuthenticationFailed
    : FluxReason.GitOperationFailed;
}

/** Where Flux would serve the artifact; Slipway keeps it in its repository cache instead. */
function artifactPath(repo: GitRepository, sha: string): string {
  return `gitrepository/${repo.metadata.namespace ?? ''}/${repo.metadata.name ?? ''}/${sha}.tar.gz`;
}

/**
 * The GitRepository reconciler: resolve the ref with `git ls-remote`, fetch the commit into the sync
 * loop's repository cache, take its filtered tree as the artifact, and report it as source-controller
 * does (`status.artifact`, Ready / ArtifactInStorage / FetchFailed / Reconciling, observedGeneration).
 * Runs again every `spec.interval`.
 */
export class GitRepositoryReconciler implements Reconciler {
  constructor(private readonly d: GitRepositoryReconcilerDeps) {}

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const current = currentFluxObject(this.d.repos, this.d.writer, 'GitRepository', req);
    if (current.state !== 'active') return undefined;
    const repo = current.obj;
    const nowMs = ctx.clock.now();
    const now = toKubeTime(nowMs);
    const gen = repo.metadata.generation;
    const intervalMs = durationMs(repo.spec.interval, 60_000);
    const url = repo.spec.url;
    let conditions: readonly FluxCondition[] = repo.status?.conditions ?? [];
    let artifact: Artifact | undefined = repo.status?.artifact;
    let failed = false;

    this.d.credentials.register(url, repo.metadata.namespace ?? '', repo.spec.secretRef?.name);
    try {
      const refs = await this.d.git.refs(url, 0);
      const r = resolveGitRef(refs, repo.spec.ref);
      if (r.kind === 'error') throw new Error(r.message);
      const stored = await this.d.artifacts.get(url, r.sha, repo.spec.ignore);
      const next: Artifact = {
        path: artifactPath(repo, r.sha),
        url: `slipway://${artifactPath(repo, r.sha)}`,
        revision: r.revision,
        digest: stored.digest,
        size: stored.size,
        lastUpdateTime:
          artifact?.revision === r.revision && artifact.digest === stored.digest
            ? artifact.lastUpdateTime
            : now,
      };
      const isNew = artifact?.revision !== next.revision || artifact.digest !== next.digest;
      artifact = next;
      conditions = artifactStoredConditions(
        conditions,
        `stored artifact for revision '${next.revision}'`,
        gen,
        now,
      );
      if (isNew) {
        ctx.logger.info({ revision: next.revision }, 'stored artifact');
        this.d.events.normal(repo, 'NewArtifact', `stored artifact for commit '${next.revision}'`);
      }
    } catch (err) {
      failed = true;
      const text = err instanceof Error ? err.message : String(err);
      const message = `failed to checkout and determine revision: unable to clone '${url}': ${text}`;
      const reason = failureReason(text);
      const failure = fetchFailedConditions(conditions, reason, message, gen, now);
      conditions = failure.conditions;
      if (failure.isNew) {
        ctx.logger.warn({ err, url }, 'git fetch failed');
        this.d.events.warning(repo, reason, message);
      }
    }
    const status: GitRepositoryStatus = {
      ...repo.status,
      conditions,
      ...(artifact && { artifact }),
      ...(!failed && { observedGeneration: gen }),
      ...(repo.spec.ignore !== undefined && !failed && { observedIgnore: repo.spec.ignore }),
      ...handledReconcileRequest(repo),
    };
    await writeFluxStatus(this.d.client, this.d.writer, repo, status);
    return { requeueAfterMs: jittered(intervalMs, Math.random()) };
  }
}
