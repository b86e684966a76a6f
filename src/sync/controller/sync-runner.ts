import { isAlreadyExists, isNotFound, type KubeObject } from '../../kube/index.js';
import type { Logger } from '../../observability/index.js';
import type { ResourceManager } from '../apply/index.js';
import { assessHealth } from '../health/index.js';
import {
  comparePrune,
  compareTasks,
  groupSteps,
  hookDeletePolicies,
  nextRetryAtMs,
  parseSyncOptions,
  resourceSyncOptions,
  retryDelayMs,
  type SyncOptions,
} from '../operation/index.js';
import type { Application, OperationState, ResourceResult } from '../types.js';
import type { Comparison } from './comparison.js';
import type { LiveState } from './live-state.js';
import { planSync, type SyncTask } from './sync-tasks.js';
import { resourceIdentity } from './tracking.js';

export interface SyncTick {
  readonly state: OperationState;
  readonly requeueAfterMs?: number;
}

const POLL_MS = 1_000;

function resultOf(t: SyncTask, obj: KubeObject, extra: Partial<ResourceResult>): ResourceResult {
  return {
    ...resourceIdentity(obj),
    syncPhase: t.phase,
    ...(t.kind === 'hook' && { hookType: t.phase }),
    ...extra,
  };
}

function describe(obj: KubeObject): string {
  const ns = obj.metadata.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj.kind} ${ns}${obj.metadata.name}`;
}

function hhmmss(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/**
 * Advances one sync operation by one step per reconcile, re-entrantly: progress lives in
 * `operationState.syncResult.resources`, so a restart resumes where it stopped. Phases PreSync → Sync
 * → PostSync, waves in order, health awaited between waves with a timeout; SyncFail hooks on failure;
 * retries with backoff.
 */
export class SyncRunner {
  /** When each step started waiting (per operation), for the wave timeout. */
  private readonly stepStarted = new Map<string, number>();

  constructor(
    private readonly rm: ResourceManager,
    private readonly live: LiveState,
    private readonly logger: Logger,
  ) {}

  async tick(
    app: Application,
    comparison: Comparison,
    current: OperationState,
    nowMs: number,
  ): Promise<SyncTick> {
    // A failed attempt waiting for its retry is Running with the attempt's finishedAt (as in Argo CD):
    // the wait survives restarts.
    const retryAt = nextRetryAtMs(current);
    if (retryAt !== undefined && nowMs < retryAt) return { state: current, requeueAfterMs: retryAt - nowMs };
    const { finishedAt: _attemptFinished, ...state } = current;
    const opKey = `${app.metadata.uid ?? app.metadata.name}|${state.startedAt}|${state.retryCount ?? 0}`;
    const op = state.operation;
    const options = parseSyncOptions(app.spec.syncPolicy?.syncOptions, op.sync?.syncOptions);
    const { tasks, syncFail } = planSync(comparison, op, options);
    const results = [...(state.syncResult?.resources ?? [])];
    const done = new Set(results.map((r) => `${r.group}/${r.kind}/${r.namespace}/${r.name}|${r.syncPhase}`));
    const hookResultName = new Map<string, ResourceResult>();
    for (const r of results) if (r.hookType) hookResultName.set(`${r.kind}|${r.syncPhase}|${r.namespace}`, r);
    const write = (message: string, phase: OperationState['phase'] = 'Running'): OperationState => ({
      ...state,
      phase,
      message,
      syncResult: {
        ...(comparison.desired.revisions
          ? { revisions: comparison.desired.revisions, sources: app.spec.sources ?? [] }
          : { revision: comparison.revision, ...(app.spec.source && { source: app.spec.source }) }),
        resources: results,
      },
      ...(phase !== 'Running' && { finishedAt: new Date(nowMs).toISOString() }),
    });
    const failWith = (message: string, retryable: boolean) =>
      this.fail(state, write, syncFail, results, nowMs, message, retryable);

    if (results.length === 0) {
      const invalid = tasks.filter((t) => t.dryRunError);
      if (invalid.length > 0) {
        const why = invalid.map((t) => `${describe(t.obj)}: ${t.dryRunError}`).join('; ');
        return failWith(`one or more objects failed to apply (dry run), reason: ${why}`, false);
      }
      if (options.createNamespace) await this.ensureNamespace(app);
    }

    const steps = groupSteps(tasks);
    for (const [index, step] of steps.entries()) {
      const isLast = index === steps.length - 1;
      const stepKey = `${opKey}|${index}`;
      const pending = step.filter((t) => !this.isDone(t, done, hookResultName));
      if (pending.length > 0) {
        this.stepStarted.set(stepKey, nowMs);
        const ordered = [
          ...pending.filter((t) => t.kind !== 'prune').sort(compareTasks),
          ...pending.filter((t) => t.kind === 'prune').sort(comparePrune),
        ];
        for (const t of ordered) {
          const r = await this.execute(t, options);
          results.push(r);
          if (r.status === 'SyncFailed') {
            return failWith(
              `one or more objects failed to apply, reason: ${describe(t.obj)}: ${r.message ?? ''}`,
              true,
            );
          }
        }
        if (!isLast || step.some((t) => t.kind === 'hook')) {
          return {
            state: write(`waiting for ${step[0]!.phase} wave ${step[0]!.wave}`),
            requeueAfterMs: POLL_MS,
          };
        }
      }
      const waiting: string[] = [];
      for (const t of step) {
        if (t.kind === 'hook') {
          const r = results.find(
            (x) => x.hookType === t.phase && x.kind === t.obj.kind && this.sameHook(t, x),
          );
          if (!r || r.hookPhase === 'Succeeded') continue;
          const liveHook = this.live.get({
            apiVersion: t.obj.apiVersion ?? '',
            kind: t.obj.kind ?? '',
            metadata: { namespace: r.namespace, name: r.name },
          });
          const health = liveHook ? assessHealth(liveHook) : undefined;
          if (liveHook && (!health || health.status === 'Healthy')) {
            this.replace(results, r, {
              hookPhase: 'Succeeded',
              message: health?.message || 'hook completed',
            });
            if (hookDeletePolicies(t.obj).includes('HookSucceeded'))
              await this.rm.delete(liveHook, 'Background');
          } else if (health?.status === 'Degraded') {
            this.replace(results, r, {
              hookPhase: 'Failed',
              status: 'SyncFailed',
              message: health.message || 'hook failed',
            });
            if (hookDeletePolicies(t.obj).includes('HookFailed'))
              await this.rm.delete(liveHook!, 'Background');
            return failWith(
              `${t.phase} hook ${describe(t.obj)} failed: ${health.message || 'Degraded'}`,
              true,
            );
          } else
            waiting.push(
              `${t.phase} hook ${r.kind} ${r.name}${health?.message ? ` (${health.message})` : ''}`,
            );
        } else if (t.kind === 'apply' && !isLast) {
          const l = this.live.get(t.obj);
          const health = l ? assessHealth(l) : { status: 'Missing' as const };
          if (health && health.status !== 'Healthy') {
            waiting.push(
              `${describe(t.obj)} (${health.status}${health.message ? `: ${health.message}` : ''})`,
            );
          }
        }
      }
      if (waiting.length > 0) {
        const started = this.stepStarted.get(stepKey) ?? nowMs;
        this.stepStarted.set(stepKey, started);
        if (nowMs - started > options.waveTimeoutMs) {
          const msg = `${step[0]!.phase} wave ${step[0]!.wave} timed out after ${Math.round(options.waveTimeoutMs / 1000)}s waiting for ${waiting.join(', ')}`;
          return failWith(msg, false);
        }
        return { state: write(`waiting for ${waiting.join(', ')}`), requeueAfterMs: POLL_MS };
      }
    }
    for (const k of this.stepStarted.keys()) if (k.startsWith(opKey)) this.stepStarted.delete(k);
    return { state: write('successfully synced (all tasks run)', 'Succeeded') };
  }

  private sameHook(t: SyncTask, r: ResourceResult): boolean {
    return t.obj.metadata.name
      ? r.name === t.obj.metadata.name
      : r.name.startsWith(t.obj.metadata.generateName ?? '\u0000');
  }

  private isDone(
    t: SyncTask,
    done: ReadonlySet<string>,
    hooks: ReadonlyMap<string, ResourceResult>,
  ): boolean {
    if (t.kind === 'hook' && !t.obj.metadata.name)
      return hooks.has(`${t.obj.kind}|${t.phase}|${t.obj.metadata.namespace ?? ''}`);
    return done.has(t.id);
  }

  private replace(results: ResourceResult[], r: ResourceResult, patch: Partial<ResourceResult>): void {
    const i = results.indexOf(r);
    if (i >= 0) results[i] = { ...r, ...patch };
  }

  private async execute(t: SyncTask, options: SyncOptions): Promise<ResourceResult> {
    try {
      if (t.kind === 'prune') {
        if (resourceSyncOptions(t.obj.metadata.annotations).get('Prune') === 'false') {
          return resultOf(t, t.obj, { status: 'PruneSkipped', message: 'ignored (no prune)' });
        }
        await this.rm.delete(t.obj, options.prunePropagationPolicy);
        return resultOf(t, t.obj, { status: 'Pruned', message: 'pruned' });
      }
      if (t.kind === 'hook') {
        if (t.obj.metadata.name && hookDeletePolicies(t.obj).includes('BeforeHookCreation')) {
          const existing = this.live.get(t.obj);
          if (existing) await this.rm.delete(existing, 'Background');
          await this.waitGone(t.obj);
        }
        const created = await this.rm.create(t.obj);
        return resultOf(t, created.object ?? t.obj, {
          status: 'Synced',
          hookPhase: 'Running',
          message: `${created.kind} created`,
        });
      }
      const replace =
        options.replace || resourceSyncOptions(t.obj.metadata.annotations).get('Replace') === 'true';
      const change = await this.rm.apply(t.obj, t.live, { replace });
      return resultOf(t, t.obj, {
        status: 'Synced',
        message: `${t.obj.kind?.toLowerCase()}/${t.obj.metadata.name} ${change.action}`,
      });
    } catch (err) {
      this.logger.debug({ err, object: describe(t.obj) }, 'sync task failed');
      const message = err instanceof Error ? err.message : String(err);
      return resultOf(t, t.obj, {
        status: 'SyncFailed',
        message,
        ...(t.kind === 'hook' && { hookPhase: 'Failed' }),
      });
    }
  }

  private async waitGone(obj: KubeObject): Promise<void> {
    for (let i = 0; i < 50; i++) {
      if (!this.live.get(obj)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async ensureNamespace(app: Application): Promise<void> {
    const name = app.spec.destination.namespace;
    if (!name) return;
    try {
      await this.rm.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (err) {
      if (!isAlreadyExists(err) && !isNotFound(err)) throw err;
    }
  }

  private async fail(
    state: OperationState,
    write: (message: string, phase?: OperationState['phase']) => OperationState,
    syncFail: readonly SyncTask[],
    results: ResourceResult[],
    nowMs: number,
    message: string,
    retryable: boolean,
  ): Promise<SyncTick> {
    const retry = state.operation.retry;
    const count = state.retryCount ?? 0;
    if (retryable && retry && count < (retry.limit ?? 0)) {
      const delay = retryDelayMs(retry, count + 1);
      const next: OperationState = {
        ...state,
        phase: 'Running',
        message: `Retrying attempt #${count + 1} at ${hhmmss(nowMs + delay)}. ${message}`,
        retryCount: count + 1,
        syncResult: state.syncResult?.revisions
          ? { revisions: state.syncResult.revisions, resources: [] }
          : { revision: state.syncResult?.revision ?? '', resources: [] },
        finishedAt: new Date(nowMs).toISOString(),
      };
      return { state: next, requeueAfterMs: delay };
    }
    for (const t of [...syncFail].sort(compareTasks)) results.push(await this.execute(t, parseSyncOptions()));
    return { state: write(message, 'Failed') };
  }
}
