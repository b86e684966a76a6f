import {
  type EventRecorder,
  findCondition,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  requeueAfter,
} from '../../core/index.js';
import { isUnavailable, type KubeClient, type Reflector } from '../../kube/index.js';
import { decideAutoSync } from '../operation/index.js';
import type { RepoCache } from '../source/index.js';
import type { Application, Operation, OperationState } from '../types.js';
import { finalizeApp, removeResourcesFinalizer } from './app-deletion.js';
import type { ClusterTarget, ClusterTargets } from './cluster-targets.js';
import { type Comparison, compareApp } from './comparison.js';
import { comparisonRetryDelay } from './comparison-backoff.js';
import type { DesiredStateCache } from './desired-state.js';
import { applicationSpecError } from './spec-check.js';
import { appendHistory, buildStatus } from './status.js';
import type { ApplicationStatusWriter } from './status-writer.js';

export interface ApplicationReconcilerDeps {
  readonly client: KubeClient;
  readonly apps: Reflector<Application>;
  /** The destination clusters' clients and caches (live state, resource manager, runner, dry runs). */
  readonly targets: ClusterTargets;
  readonly desired: DesiredStateCache;
  readonly repos: RepoCache;
  readonly writer: ApplicationStatusWriter;
  readonly events: EventRecorder;
  /** How old a ls-remote answer may be before it is asked again (the poll interval). */
  readonly revisionMaxAgeMs: number;
  /** Periodic full reconcile (Argo CD's timeout.reconciliation). */
  readonly reconciliationMs: number;
}

const REFRESH = 'argocd.argoproj.io/refresh';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The Application reconciler: resolve the revision, render (cached), compare with live (cached dry
 * runs), decide automated sync, advance the running operation one step, write status once.
 */
export class ApplicationReconciler implements Reconciler {
  constructor(private readonly d: ApplicationReconcilerDeps) {}

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const cached = this.d.apps.store.get(req.key);
    if (!cached) {
      this.d.writer.forget(req.namespace, req.name);
      return undefined;
    }
    const app = this.d.writer.freshest(cached);
    const nowMs = ctx.clock.now();
    const destination = this.d.targets.resolve(app);
    if (app.metadata.deletionTimestamp) {
      // A destination that names no cluster has nothing we could delete: the finalizer goes, as in
      // Argo CD. An unreachable one throws, and the deletion is retried with backoff.
      if (destination.kind === 'invalid') {
        await removeResourcesFinalizer(this.d.client, app);
        return undefined;
      }
      const t = await this.d.targets.connect(destination.cluster, nowMs);
      const pending = await finalizeApp(this.d.client, app, t.live, t.rm);
      return pending ? { requeueAfterMs: 1_000 } : undefined;
    }
    const nowIso = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const refresh = app.metadata.annotations?.[REFRESH];
    const conditions: Record<string, string> = {};
    const source = app.spec.source;
    const specError =
      applicationSpecError(app) ?? (destination.kind === 'invalid' ? destination.message : undefined);
    if (specError !== undefined || !source?.repoURL || destination.kind === 'invalid') {
      conditions.InvalidSpecError = specError ?? '';
      if (findCondition(app.status?.conditions, 'InvalidSpecError')?.message !== specError) {
        ctx.logger.warn({ reason: 'InvalidSpecError' }, 'application spec is invalid');
        this.d.events.warning(app, 'InvalidSpecError', specError ?? '');
      }
      const status = buildStatus({ app, conditions, nowIso });
      await this.d.writer.write(app, { status }, nowMs);
      return undefined;
    }

    let comparison: Comparison | undefined;
    let comparisonError: string | undefined;
    let target: ClusterTarget | undefined;
    try {
      if (refresh) this.d.repos.invalidate(source.repoURL);
      target = await this.d.targets.connect(destination.cluster, nowMs);
      const sha = await this.d.repos.resolve(source.repoURL, source.targetRevision, this.d.revisionMaxAgeMs);
      const desired = await this.d.desired.load(app, sha, refresh === 'hard');
      comparison = await compareApp(app, desired, target.live, target.rm, target.predictions);
    } catch (err) {
      if (isUnavailable(err)) this.d.targets.noteUnavailable(destination.cluster.server);
      comparisonError = message(err);
      conditions.ComparisonError = comparisonError;
      // A new failure is announced once (Event + warning); retries of the same one stay quiet.
      const previous = findCondition(app.status?.conditions, 'ComparisonError')?.message;
      if (previous !== comparisonError) {
        ctx.logger.warn(
          { err, repo: source.repoURL, server: destination.cluster.server },
          'comparison failed',
        );
        this.d.events.warning(app, 'ComparisonError', comparisonError);
      } else ctx.logger.debug({ err, repo: source.repoURL }, 'comparison still failing');
    }

    let operation: Operation | undefined = app.operation;
    let setOperation: Operation | null | undefined;
    let opState: OperationState | undefined = app.status?.operationState;
    let requeueAfterMs: number | undefined;
    if (!operation && comparison) {
      const decision = decideAutoSync({
        app,
        revision: comparison.revision,
        syncStatus: comparison.syncStatus,
        wouldPruneAll:
          comparison.desired.objects.length === 0 && comparison.resources.some((r) => r.requiresPruning),
        nowMs,
      });
      if (decision.kind === 'sync') {
        operation = decision.operation;
        setOperation = operation;
      } else if (decision.kind === 'blocked') conditions.SyncError = decision.message;
      else if (decision.kind === 'wait') requeueAfterMs = decision.delayMs;
    }
    if (operation && comparison && target) {
      // Running is resumed wherever it stopped (another process may have been killed mid-sync); a
      // Running state with finishedAt is a failed attempt waiting for its retry.
      const continuing = opState?.phase === 'Running' && app.operation !== undefined;
      if (!continuing) {
        opState = { operation, phase: 'Running', startedAt: nowIso };
        this.d.events.normal(
          app,
          'OperationStarted',
          `Initiated ${operation.initiatedBy?.automated ? 'automated ' : ''}sync to ${operation.sync?.revision ?? comparison.revision}`,
        );
      }
      const opComparison = await this.operationComparison(app, operation, comparison, target);
      const tick = await target.runner.tick(app, opComparison, opState!, nowMs);
      opState = tick.state;
      requeueAfterMs = tick.requeueAfterMs;
      if (opState.phase !== 'Running') {
        setOperation = null;
        const ok = opState.phase === 'Succeeded';
        const text = `Sync operation to ${opState.syncResult?.revision ?? ''} ${ok ? 'succeeded' : `failed: ${opState.message ?? ''}`}`;
        if (ok) this.d.events.normal(app, 'OperationCompleted', text);
        else this.d.events.warning(app, 'OperationCompleted', text);
        if (!ok && app.spec.syncPolicy?.automated)
          conditions.SyncError = `Failed sync attempt to ${opState.syncResult?.revision ?? ''}: ${opState.message ?? ''}`;
        requeueAfterMs = 500;
      } else if (!app.operation) setOperation = operation;
    }
    if (
      !conditions.SyncError &&
      !operation &&
      opState?.phase === 'Failed' &&
      app.spec.syncPolicy?.automated &&
      opState.syncResult?.revision === comparison?.revision
    ) {
      conditions.SyncError = `Failed sync attempt to ${opState.syncResult?.revision ?? ''}: ${opState.message ?? ''}`;
    }

    const status0 = buildStatus({
      app,
      ...(comparison && { comparison }),
      ...(comparisonError && { comparisonError }),
      ...(opState && { operationState: opState }),
      conditions,
      nowIso,
    });
    const status =
      opState?.phase === 'Succeeded' && setOperation === null
        ? { ...status0, history: appendHistory(app, opState) }
        : status0;
    await this.d.writer.write(
      app,
      {
        status,
        ...(setOperation !== undefined && { operation: setOperation }),
        removeRefreshAnnotation: refresh !== undefined,
      },
      nowMs,
    );

    if (comparisonError)
      return { requeueAfterMs: comparisonRetryDelay(status, nowMs, this.d.reconciliationMs) };
    const periodic = this.d.reconciliationMs * (1 + Math.random() * 0.1);
    return requeueAfter(Math.min(requeueAfterMs ?? periodic, periodic));
  }

  /** A sync to another revision than the target (rollback, `--revision`) compares against that revision. */
  private async operationComparison(
    app: Application,
    op: Operation,
    comparison: Comparison,
    target: ClusterTarget,
  ): Promise<Comparison> {
    const rev = op.sync?.revision;
    if (!rev || rev === comparison.revision) return comparison;
    const source = app.spec.source!;
    const sha = await this.d.repos.resolve(source.repoURL, rev, this.d.revisionMaxAgeMs);
    if (sha === comparison.revision) return comparison;
    const desired = await this.d.desired.load(app, sha);
    return compareApp(app, desired, target.live, target.rm, target.predictions);
  }
}
