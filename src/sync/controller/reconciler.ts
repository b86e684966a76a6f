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
import { decideAutoSync, isAutomatedSyncEnabled, revisionKey } from '../operation/index.js';
import type { RepoCache } from '../source/index.js';
import type { Application, Operation, OperationState } from '../types.js';
import { decideSyncGate } from '../windows/index.js';
import { finalizeApp, removeResourcesFinalizer } from './app-deletion.js';
import { appSources, isMultiSource } from './app-sources.js';
import type { ClusterTarget, ClusterTargets } from './cluster-targets.js';
import { type Comparison, compareApp } from './comparison.js';
import { comparisonRetryDelay } from './comparison-backoff.js';
import type { DesiredStateCache } from './desired-state.js';
import type { ProjectWindows } from './project-windows.js';
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
  /** The AppProject sync windows matching an app. */
  readonly projects: ProjectWindows;
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
    const sources = appSources(app);
    const specError =
      applicationSpecError(app) ?? (destination.kind === 'invalid' ? destination.message : undefined);
    if (specError !== undefined || sources.length === 0 || destination.kind === 'invalid') {
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
      if (refresh) for (const s of sources) this.d.repos.invalidate(s.repoURL);
      target = await this.d.targets.connect(destination.cluster, nowMs);
      const shas = await Promise.all(
        sources.map((s) => this.d.repos.resolve(s.repoURL, s.targetRevision, this.d.revisionMaxAgeMs)),
      );
      const desired = await this.d.desired.load(app, shas, refresh === 'hard');
      comparison = await compareApp(app, desired, target.live, target.rm, target.predictions);
    } catch (err) {
      if (isUnavailable(err)) this.d.targets.noteUnavailable(destination.cluster.server);
      comparisonError = message(err);
      conditions.ComparisonError = comparisonError;
      // A new failure is announced once (Event + warning); retries of the same one stay quiet.
      const previous = findCondition(app.status?.conditions, 'ComparisonError')?.message;
      if (previous !== comparisonError) {
        ctx.logger.warn(
          { err, repos: sources.map((s) => s.repoURL), server: destination.cluster.server },
          'comparison failed',
        );
        this.d.events.warning(app, 'ComparisonError', comparisonError);
      } else ctx.logger.debug({ err, repos: sources.map((s) => s.repoURL) }, 'comparison still failing');
    }

    let operation: Operation | undefined = app.operation;
    let setOperation: Operation | null | undefined;
    let opState: OperationState | undefined = app.status?.operationState;
    let requeueAfterMs: number | undefined;
    // the look after a finished operation goes in the queue's refresh lane (see QueueLane)
    let refreshAfterOperation = false;
    const windows = this.d.projects.windowsFor(app);
    if (!operation && comparison) {
      const decision = decideAutoSync({
        app,
        revision: comparison.revision,
        ...(comparison.desired.revisions && { revisions: comparison.desired.revisions }),
        syncStatus: comparison.syncStatus,
        wouldPruneAll:
          comparison.desired.objects.length === 0 && comparison.resources.some((r) => r.requiresPruning),
        nowMs,
      });
      const gate = decision.kind === 'sync' ? decideSyncGate({ windows, nowMs, isManual: false }) : undefined;
      if (gate?.kind === 'blocked') {
        // Outside the windows no automated operation starts; look again when a window opens or closes.
        conditions.SyncError = gate.message;
        if (findCondition(app.status?.conditions, 'SyncError')?.message !== gate.message)
          ctx.logger.info({ revision: comparison.revision }, 'sync prevented by sync window');
        requeueAfterMs = gate.recheckAfterMs;
      } else if (decision.kind === 'sync') {
        operation = decision.operation;
        setOperation = operation;
      } else if (decision.kind === 'blocked') conditions.SyncError = decision.message;
      else if (decision.kind === 'wait') requeueAfterMs = decision.delayMs;
    }
    const opGate =
      operation && comparison
        ? decideSyncGate({
            windows,
            nowMs,
            isManual: operation.initiatedBy?.automated !== true,
            ...(opState?.phase === 'Running' &&
              app.operation !== undefined && { operationStartedMs: Date.parse(opState.startedAt) }),
          })
        : undefined;
    if (operation && comparison && target && opGate?.kind === 'blocked') {
      // As Argo CD: the operation stays requested and Running, and says why it does not progress.
      const continuing = opState?.phase === 'Running' && app.operation !== undefined;
      opState = {
        ...(continuing ? opState! : { operation, phase: 'Running' as const, startedAt: nowIso }),
        message: opGate.message,
      };
      if (!app.operation) setOperation = operation;
      requeueAfterMs = opGate.recheckAfterMs;
    } else if (operation && comparison && target) {
      // Running is resumed wherever it stopped (another process may have been killed mid-sync); a
      // Running state with finishedAt is a failed attempt waiting for its retry.
      const continuing = opState?.phase === 'Running' && app.operation !== undefined;
      if (!continuing) {
        opState = { operation, phase: 'Running', startedAt: nowIso };
        this.d.events.normal(
          app,
          'OperationStarted',
          `Initiated ${operation.initiatedBy?.automated ? 'automated ' : ''}sync to ${revisionKey(operation.sync) ?? comparison.revision}`,
        );
      }
      const opComparison = await this.operationComparison(app, operation, comparison, target);
      const tick = await target.runner.tick(app, opComparison, opState!, nowMs);
      opState = tick.state;
      requeueAfterMs = tick.requeueAfterMs;
      if (opState.phase !== 'Running') {
        setOperation = null;
        const ok = opState.phase === 'Succeeded';
        const text = `Sync operation to ${revisionKey(opState.syncResult) ?? ''} ${ok ? 'succeeded' : `failed: ${opState.message ?? ''}`}`;
        if (ok) this.d.events.normal(app, 'OperationCompleted', text);
        else this.d.events.warning(app, 'OperationCompleted', text);
        if (!ok && isAutomatedSyncEnabled(app))
          conditions.SyncError = `Failed sync attempt to ${revisionKey(opState.syncResult) ?? ''}: ${opState.message ?? ''}`;
        requeueAfterMs = 500;
        refreshAfterOperation = true;
      } else if (!app.operation) setOperation = operation;
    }
    if (
      !conditions.SyncError &&
      !operation &&
      opState?.phase === 'Failed' &&
      isAutomatedSyncEnabled(app) &&
      revisionKey(opState.syncResult) === comparison?.revision
    ) {
      conditions.SyncError = `Failed sync attempt to ${revisionKey(opState.syncResult) ?? ''}: ${opState.message ?? ''}`;
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
    const result = requeueAfter(Math.min(requeueAfterMs ?? periodic, periodic));
    return refreshAfterOperation && result.requeueAfterMs !== undefined
      ? { ...result, lane: 'refresh' }
      : result;
  }

  /** A sync to another revision than the target (rollback, `--revision`) compares against that revision. */
  private async operationComparison(
    app: Application,
    op: Operation,
    comparison: Comparison,
    target: ClusterTarget,
  ): Promise<Comparison> {
    const sources = appSources(app);
    const wanted = isMultiSource(app)
      ? op.sync?.revisions
      : op.sync?.revision
        ? [op.sync.revision]
        : undefined;
    if (!wanted || wanted.length === 0 || wanted.join(',') === comparison.revision) return comparison;
    const shas = await Promise.all(
      sources.map((s, i) =>
        this.d.repos.resolve(s.repoURL, wanted[i] || s.targetRevision, this.d.revisionMaxAgeMs),
      ),
    );
    if (shas.join(',') === comparison.revision) return comparison;
    const desired = await this.d.desired.load(app, shas);
    return compareApp(app, desired, target.live, target.rm, target.predictions);
  }
}
