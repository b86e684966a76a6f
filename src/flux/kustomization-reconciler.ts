import {
  type EventRecorder,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  type StatusWriter,
  toKubeTime,
} from '../core/index.js';
import type { KubeClient, KubeObject, Reflector } from '../kube/index.js';
import type { RenderLimits, ResourceManager } from '../sync/index.js';
import { applyObjects, objectRef, prepareObjects, pruneStale } from './apply.js';
import { listArtifactFiles } from './artifact.js';
import type { ArtifactStore } from './artifact-store.js';
import { buildKustomization } from './build.js';
import type { ChartStore } from './chart-store.js';
import { FluxConditionType, FluxReason } from './conditions.js';
import { currentFluxObject } from './current-object.js';
import { dependencyNotReady } from './dependencies.js';
import type { ExtractedArtifact, ExtractedArtifacts } from './extracted-artifacts.js';
import { revisionSha } from './git-ref.js';
import { type CheckedObject, decideHealth } from './health-check.js';
import { type Actor, actorFor, serviceAccountExists } from './impersonation.js';
import { durationMs, formatDurationMs, jittered } from './intervals.js';
import { parseInventoryEntry } from './inventory.js';
import { KustomizationStatusDraft } from './kustomization-status.js';
import { ociArtifactTree } from './oci-repository-reconciler.js';
import type { OCIRepository } from './oci-types.js';
import { FLUX_FINALIZER, withFluxFinalizer, withoutFluxFinalizer, writeFluxStatus } from './status-write.js';
import { substituteObjects } from './substitute.js';
import { substitutionVariables } from './substitute-from.js';
import type { GitRepository, Kustomization } from './types.js';

/** Flux's finalizer: objects of a pruning Kustomization are deleted with it. */

export interface KustomizationReconcilerDeps {
  readonly client: KubeClient;
  readonly kustomizations: Reflector<Kustomization>;
  readonly sources: Reflector<GitRepository>;
  /** OCIRepository sources and the store holding their unpacked artifacts. */
  readonly ociSources?: Reflector<OCIRepository>;
  readonly store?: ChartStore;
  readonly artifacts: ArtifactStore;
  /** The artifacts' extracted trees, shared by every build from one artifact. */
  readonly trees: ExtractedArtifacts;
  readonly rm: ResourceManager;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
  /** Wait before re-checking a source without artifact or dependencies not ready (Flux: 30 s). */
  readonly dependencyRequeueMs: number;
  /** How often pending health checks are polled (Flux: 5 s). */
  readonly healthPollMs: number;
  readonly renderLimits?: RenderLimits;
  /**
   * Impersonated by Kustomizations without `serviceAccountName` (kustomize-controller's
   * `--default-service-account`). Default: none, the controller's own identity.
   */
  readonly defaultServiceAccount?: string;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The Kustomization reconciler, kustomize-controller's steps on the sync engine: source artifact →
 * dependencies → build (Kustomize, patches, images, targetNamespace, postBuild substitution) →
 * server-side apply → prune from the inventory → health checks (polled, their start kept in the
 * Reconciling condition so a restart carries on) → status written once.
 */
export class KustomizationReconciler implements Reconciler {
  constructor(private readonly d: KustomizationReconcilerDeps) {}

  private actorFor(k: Kustomization): Actor {
    return actorFor(this.d.client, this.d.rm, k, this.d.defaultServiceAccount);
  }

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const current = currentFluxObject(this.d.kustomizations, this.d.writer, 'Kustomization', req);
    if (current.state === 'deleting') return this.finalize(current.obj, ctx.logger);
    if (current.state !== 'active') return undefined;
    const k = await withFluxFinalizer(this.d.client, this.d.writer, KREF, current.obj, current.cached);
    const nowMs = ctx.clock.now();
    const draft = new KustomizationStatusDraft(k, toKubeTime(nowMs));
    const intervalMs = durationMs(k.spec.interval, 600_000);
    const retryMs = durationMs(k.spec.retryInterval, intervalMs);
    const timeoutMs = durationMs(k.spec.timeout, intervalMs);
    const write = async (requeueAfterMs: number): Promise<ReconcileResult> => {
      await writeFluxStatus(this.d.client, this.d.writer, k, draft.build());
      return { requeueAfterMs };
    };
    const failed = async (reason: FluxReason, message: string, requeueMs: number, revision?: string) => {
      const previous = draft.condition(FluxConditionType.Ready);
      draft.fail(reason, message);
      if (previous?.message !== message || previous.reason !== reason) {
        ctx.logger.warn({ reason, revision }, 'kustomization reconciliation failed');
        this.d.events.warning(k, reason, message);
      }
      return write(requeueMs);
    };

    // 1. the source and its artifact
    const ref = k.spec.sourceRef;
    const sourceNs = ref.namespace || k.metadata.namespace || '';
    if (ref.kind !== 'GitRepository' && ref.kind !== 'OCIRepository')
      return failed(FluxReason.ArtifactFailed, `unsupported source kind '${ref.kind}'`, retryMs);
    const source =
      ref.kind === 'GitRepository'
        ? this.d.sources.store.get(`${sourceNs}/${ref.name}`)
        : this.d.ociSources?.store.get(`${sourceNs}/${ref.name}`);
    if (!source)
      return failed(
        FluxReason.ArtifactFailed,
        `unable to get source '${ref.kind}/${sourceNs}/${ref.name}': ${ref.kind === 'GitRepository' ? 'gitrepositories' : 'ocirepositories'}.source.toolkit.fluxcd.io "${ref.name}" not found`,
        retryMs,
      );
    const artifact = source.status?.artifact;
    const sha = artifact && ref.kind === 'GitRepository' ? revisionSha(artifact.revision) : artifact?.digest;
    if (!artifact || !sha)
      return failed(
        FluxReason.ArtifactFailed,
        `Source artifact not found, retrying in ${formatDurationMs(this.d.dependencyRequeueMs)}`,
        this.d.dependencyRequeueMs,
      );
    const revision = artifact.revision;
    const ignore =
      (source.status as { observedIgnore?: string } | undefined)?.observedIgnore ?? source.spec.ignore;
    const extracted = async (): Promise<ExtractedArtifact> => {
      if (ref.kind === 'GitRepository') {
        const stored = await this.d.artifacts.get((source as GitRepository).spec.url, sha, ignore);
        return this.d.trees.acquire(stored.digest, ignore, async () => stored.files);
      }
      const dir = this.d.store?.tree(ociArtifactTree(artifact.path));
      if (!dir)
        throw new Error(`the artifact of OCIRepository '${sourceNs}/${ref.name}' is not in storage yet`);
      return this.d.trees.acquire(artifact.digest, ignore, () => listArtifactFiles(dir, ignore));
    };

    // 2. dependencies
    const notReady = dependencyNotReady(k, revision, (ns, name) =>
      this.d.kustomizations.store.get(`${ns}/${name}`),
    );
    if (notReady !== undefined) {
      const previous = draft.condition(FluxConditionType.Ready)?.message;
      draft.fail(FluxReason.DependencyNotReady, notReady);
      if (previous !== notReady)
        this.d.events.normal(
          k,
          FluxReason.DependencyNotReady,
          `Dependencies do not meet ready condition, retrying in ${formatDurationMs(this.d.dependencyRequeueMs)}`,
        );
      return write(this.d.dependencyRequeueMs);
    }

    // 3. build
    draft.attempted(revision);
    let objects: readonly KubeObject[];
    try {
      const tree = await extracted();
      try {
        objects = await buildKustomization(tree.files, k, {
          symlinks: tree.symlinks,
          ...(this.d.renderLimits && { limits: this.d.renderLimits }),
        });
      } finally {
        tree.release();
      }
    } catch (err) {
      return failed(FluxReason.BuildFailed, errorText(err), retryMs, revision);
    }
    try {
      const vars = await substitutionVariables(this.d.client, k);
      if (vars !== undefined) {
        const r = substituteObjects(objects, vars);
        if (!r.ok) return failed(FluxReason.BuildFailed, r.message, retryMs, revision);
        objects = r.objects;
      }
    } catch (err) {
      return failed(FluxReason.BuildFailed, errorText(err), retryMs, revision);
    }

    // 4. apply, 5. prune
    const previousEntries = k.status?.inventory?.entries;
    const actor = this.actorFor(k);
    let changes: string[];
    let applied: readonly KubeObject[];
    try {
      const prepared = await prepareObjects(this.d.client, k, objects);
      const outcome = await applyObjects(actor.client, actor.rm, k, prepared, { objectPolicy: true });
      changes = [...outcome.changes];
      applied = outcome.applied;
      draft.inventory(outcome.entries);
      if (k.spec.prune) {
        try {
          changes.push(...(await pruneStale(actor.client, actor.rm, k, previousEntries, outcome.entries)));
        } catch (err) {
          return failed(FluxReason.PruneFailed, errorText(err), retryMs, revision);
        }
      }
    } catch (err) {
      return failed(FluxReason.ReconciliationFailed, errorText(err), retryMs, revision);
    }
    if (changes.length > 0) {
      ctx.logger.info({ revision, changes: changes.length }, 'server-side apply completed');
      this.d.events.normal(k, FluxReason.Progressing, changes.join('\n'));
    }

    // 6. health
    const checks: readonly KubeObject[] = k.spec.wait
      ? applied
      : (k.spec.healthChecks ?? []).map((h) => ({
          apiVersion: h.apiVersion ?? 'apps/v1',
          kind: h.kind,
          metadata: { name: h.name, namespace: h.namespace ?? k.metadata.namespace ?? '' },
        }));
    if (checks.length === 0) draft.delete(FluxConditionType.Healthy);
    else {
      const healthMessage = `Running health checks for revision ${revision} with a timeout of ${formatDurationMs(timeoutMs)}`;
      const reconciling = draft.condition(FluxConditionType.Reconciling);
      const waitingSince =
        reconciling?.message === healthMessage &&
        reconciling.reason === FluxReason.Progressing &&
        reconciling.observedGeneration === k.metadata.generation &&
        reconciling.lastTransitionTime !== undefined
          ? Date.parse(reconciling.lastTransitionTime)
          : nowMs;
      const observed: CheckedObject[] = [];
      try {
        for (const o of checks) observed.push({ ref: objectRef(o), live: await actor.client.getIfExists(o) });
      } catch (err) {
        // e.g. a ServiceAccount that may apply but not read
        return failed(FluxReason.HealthCheckFailed, errorText(err), retryMs, revision);
      }
      const decision = decideHealth(observed, nowMs - waitingSince, timeoutMs);
      const elapsed = formatDurationMs(Math.max(0, nowMs - waitingSince));
      if (decision.kind === 'waiting') {
        draft
          .set(FluxConditionType.Reconciling, 'True', FluxReason.Progressing, healthMessage)
          .set(FluxConditionType.Healthy, 'Unknown', FluxReason.Progressing, healthMessage)
          .set(FluxConditionType.Ready, 'Unknown', FluxReason.Progressing, 'Reconciliation in progress');
        return write(this.d.healthPollMs);
      }
      if (decision.kind === 'failed') {
        draft
          .set(FluxConditionType.Reconciling, 'True', FluxReason.ProgressingWithRetry, healthMessage)
          .set(FluxConditionType.Healthy, 'False', FluxReason.HealthCheckFailed, decision.message);
        return failed(
          FluxReason.HealthCheckFailed,
          `health check failed after ${elapsed}: ${decision.message}`,
          retryMs,
          revision,
        );
      }
      const wasHealthy = draft.condition(FluxConditionType.Healthy)?.status === 'True';
      if (!wasHealthy) {
        const msg = `Health check passed in ${elapsed}`;
        draft.set(FluxConditionType.Healthy, 'True', FluxReason.Succeeded, msg);
        this.d.events.normal(k, FluxReason.Progressing, msg);
      }
    }

    // 7. ready
    const wasReady = draft.condition(FluxConditionType.Ready);
    draft.succeeded(revision);
    if (wasReady?.status !== 'True' || k.status?.lastAppliedRevision !== revision) {
      ctx.logger.info({ revision }, 'kustomization applied');
      this.d.events.normal(k, FluxReason.ReconciliationSucceeded, `Applied revision: ${revision}`);
    }
    return write(jittered(intervalMs, Math.random()));
  }

  /**
   * Deletion: prune everything in the inventory (when `prune`), as the Kustomization's ServiceAccount
   * when it has one, then release the finalizer. When that account is gone nothing can be pruned as it:
   * the objects are left, named in a Warning Event (kustomize-controller's behaviour).
   */
  private async finalize(
    k: Kustomization,
    logger: ReconcileContext['logger'],
  ): Promise<ReconcileResult | undefined> {
    const finalizers = k.metadata.finalizers ?? [];
    if (!finalizers.includes(FLUX_FINALIZER)) return undefined;
    if (k.spec.prune && !k.spec.suspend) {
      const actor = this.actorFor(k);
      if (
        actor.serviceAccount === undefined ||
        (await serviceAccountExists(this.d.client, k.metadata.namespace ?? '', actor.serviceAccount))
      )
        await pruneStale(actor.client, actor.rm, k, k.status?.inventory?.entries, []);
      else {
        const entries = (k.status?.inventory?.entries ?? []).flatMap((e) => {
          const o = parseInventoryEntry(e);
          return o ? [objectRef({ kind: o.kind, metadata: o })] : [];
        });
        logger.error(
          { serviceAccount: actor.serviceAccount },
          'skipping pruning, failed to find account to impersonate',
        );
        this.d.events.warning(
          k,
          k.status?.conditions?.find((c) => c.type === FluxConditionType.Ready)?.reason ?? 'error',
          `unable to prune objects: \n${entries.join('\n')}`,
        );
      }
    }
    await withoutFluxFinalizer(this.d.client, KREF, k);
    return undefined;
  }
}

const KREF = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' } as const;
