import {
  type EventRecorder,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  requeueAfter,
  StatusWriter,
} from '../core/index.js';
import { canonicalJson } from '../go/index.js';
import type { KubeClient, KubeObject, ObjectStore } from '../kube/index.js';
import { resolveMetricsWithoutSecrets } from './args.js';
import { assessRun, isTerminating, type RunAssessment } from './assess.js';
import {
  type ConditionCompileError,
  firstConditionCompileError,
  formatConditionError,
} from './condition-check.js';
import { takeMeasurements } from './measure.js';
import { dryRunMetricNames, retentionLimits, validateMetrics } from './metric-rules.js';
import type { ProviderRegistry } from './providers/index.js';
import { trimMeasurements } from './record-measurement.js';
import { generateMetricTasks, nextReconcileTime } from './schedule.js';
import { resolveSecretArgs } from './secret-args.js';
import {
  type AnalysisPhase,
  type AnalysisRunSpec,
  type AnalysisRunStatus,
  isCompletedPhase,
  type Metric,
} from './types.js';

export const ANALYSIS_RUN_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;

export interface AnalysisRunObject extends KubeObject {
  readonly spec: AnalysisRunSpec;
  readonly status?: AnalysisRunStatus;
}

export interface AnalysisRunReconcilerOptions {
  readonly client: KubeClient;
  readonly store: ObjectStore<AnalysisRunObject>;
  readonly events: EventRecorder;
  readonly providers: ProviderRegistry;
  /** Observes scheduling lag: (due time, actual measurement start), epoch ms. */
  readonly onScheduled?: (dueAt: number, startedAt: number) => void;
}

type Plan =
  | {
      readonly ok: true;
      readonly metrics: Metric[];
      readonly dryRun: Set<string>;
      readonly retention: Map<string, number>;
    }
  | { readonly ok: false; readonly message: string };

/** Resolves args without secrets and validates the spec, as Argo does at the start of every reconcile. */
function planRun(spec: AnalysisRunSpec): Plan {
  const resolved = resolveMetricsWithoutSecrets(spec.metrics ?? [], spec.args);
  if (!resolved.ok) return { ok: false, message: `Unable to resolve metric arguments: ${resolved.message}` };
  const invalid = validateMetrics(resolved.metrics);
  if (invalid !== undefined) return { ok: false, message: `Analysis spec invalid: ${invalid}` };
  const dryRun = dryRunMetricNames(spec.dryRun, resolved.metrics);
  if (!dryRun.ok) return { ok: false, message: `Analysis spec invalid: ${dryRun.message}` };
  const retention = retentionLimits(spec.measurementRetention, resolved.metrics);
  if (!retention.ok) return { ok: false, message: `Analysis spec invalid: ${retention.message}` };
  return { ok: true, metrics: resolved.metrics, dryRun: dryRun.value, retention: retention.value };
}

const isWarning = (phase: AnalysisPhase): boolean => phase === 'Failed' || phase === 'Error';

/**
 * Reconciles one AnalysisRun with Argo's semantics: validate, take the measurements that are due,
 * assess metrics and the run, trim history, write status once (through /status, optimistic
 * concurrency), record events, and requeue at the next due time. No polling: a run with nothing due
 * is woken by its requeue, a spec change (terminate) or a Job event.
 */
export class AnalysisRunReconciler implements Reconciler {
  /** Our own status writes, until the cache has them (a late watch event must not re-measure). */
  private readonly written = new StatusWriter();

  constructor(private readonly options: AnalysisRunReconcilerOptions) {}

  async reconcile(ctx: ReconcileContext, request: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const run = this.written.fresher('AnalysisRun', this.options.store.get(request.key));
    if (run === undefined || run.metadata.deletionTimestamp !== undefined) return undefined;
    const status = run.status ?? {};
    if (isCompletedPhase(status.phase)) return undefined;
    const clock = ctx.clock;
    const now = clock.now();
    const plan = planRun(run.spec);
    if (!plan.ok) {
      await this.finishWithError(ctx, run, plan.message);
      return undefined;
    }
    // a condition that can never evaluate ends the run before any measurement is taken
    const broken = firstConditionCompileError(plan.metrics, plan.dryRun);
    if (broken !== undefined) {
      await this.finishWithConditionError(ctx, run, broken, now);
      return undefined;
    }
    const terminating = isTerminating(run.spec.terminate, status);
    const tasks = generateMetricTasks(plan.metrics, status, now, terminating).map((t) => ({
      ...t,
      metric: run.spec.metrics.find((m) => m.name === t.metric.name) ?? t.metric,
    }));
    let metricResults = status.metricResults ?? [];
    if (tasks.length > 0) {
      const secrets = await resolveSecretArgs(this.options.client, request.namespace, run.spec.args);
      if (!secrets.ok) {
        await this.finishWithError(ctx, run, `Unable to resolve metric arguments: ${secrets.message}`);
        return undefined;
      }
      ctx.logger.debug({ tasks: tasks.length }, 'taking measurements');
      metricResults = await takeMeasurements({
        run: { namespace: request.namespace, name: request.name, uid: run.metadata.uid ?? '' },
        args: run.spec.args,
        secrets: secrets.values,
        tasks,
        metricResults,
        dryRunMetrics: plan.dryRun,
        retention: plan.retention,
        terminating,
        providers: this.options.providers,
        clock,
        signal: ctx.signal,
        logger: ctx.logger,
        ...(this.options.onScheduled !== undefined && { onScheduled: this.options.onScheduled }),
      });
    }
    const assessment = assessRun({
      metrics: plan.metrics,
      metricResults,
      terminate: run.spec.terminate === true,
      terminating,
      dryRunMetrics: plan.dryRun,
    });
    const next = this.nextStatus(status, assessment, plan.retention, now);
    if (canonicalJson(next) !== canonicalJson(status)) {
      await this.writeStatus(run, next, ctx);
      this.recordEvents(run, status, next, assessment, ctx);
    }
    if (isCompletedPhase(next.phase)) return undefined;
    const failFast = (next.metricResults ?? []).some(
      (r) => r.dryRun !== true && (r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive'),
    );
    if (failFast || run.spec.terminate === true) return { requeue: true };
    const due = nextReconcileTime(plan.metrics, next, clock.now());
    return due === undefined ? undefined : requeueAfter(due - clock.now());
  }

  private nextStatus(
    status: AnalysisRunStatus,
    assessment: RunAssessment,
    retention: ReadonlyMap<string, number>,
    now: number,
  ): AnalysisRunStatus {
    const phaseChanged = assessment.phase !== status.phase;
    const message = phaseChanged ? assessment.message : (status.message ?? '');
    const { message: _old, ...rest } = status;
    return {
      ...rest,
      phase: assessment.phase,
      ...(message !== '' && { message }),
      startedAt: status.startedAt ?? new Date(now).toISOString(),
      metricResults: trimMeasurements(assessment.metricResults, retention),
      runSummary: assessment.runSummary,
      dryRunSummary: assessment.dryRunSummary,
    };
  }

  private recordEvents(
    run: AnalysisRunObject,
    before: AnalysisRunStatus,
    after: AnalysisRunStatus,
    assessment: RunAssessment,
    ctx: ReconcileContext,
  ): void {
    const events = this.options.events;
    for (const t of assessment.transitions) {
      if (!isCompletedPhase(t.to)) continue;
      events.record(
        run,
        isWarning(t.to) ? 'Warning' : 'Normal',
        `Metric${t.to}`,
        `Metric '${t.name}' Completed. Result: ${t.to}`,
      );
    }
    const phase = after.phase;
    if (phase !== undefined && phase !== before.phase && isCompletedPhase(phase)) {
      ctx.logger.info({ phase, message: after.message }, 'analysis run completed');
      events.record(
        run,
        isWarning(phase) ? 'Warning' : 'Normal',
        `AnalysisRun${phase}`,
        `Analysis Completed. Result: ${phase}`,
      );
    }
  }

  private async writeStatus(
    run: AnalysisRunObject,
    status: AnalysisRunStatus,
    ctx: ReconcileContext,
  ): Promise<void> {
    await this.written.writeStatus({
      current: run,
      status,
      write: (next) =>
        this.options.client.replace<AnalysisRunObject>(next, { subresource: 'status', signal: ctx.signal }),
    });
  }

  /** Phase Error worded like Argo's metric errors; the metric gets the error, nothing is measured. */
  private async finishWithConditionError(
    ctx: ReconcileContext,
    run: AnalysisRunObject,
    error: ConditionCompileError,
    now: number,
  ): Promise<void> {
    const metricMessage = formatConditionError(error);
    const message = `Metric "${error.metric}" assessed Error due to invalid ${error.field}: "Error Message: ${metricMessage}"`;
    ctx.logger.warn(
      { metric: error.metric, field: error.field, reason: error.reason },
      'metric condition does not compile',
    );
    const previous = run.status?.metricResults ?? [];
    const result = {
      ...(previous.find((r) => r.name === error.metric) ?? { name: error.metric }),
      phase: 'Error' as const,
      message: metricMessage,
    };
    const status: AnalysisRunStatus = {
      ...(run.status ?? {}),
      phase: 'Error',
      message,
      startedAt: run.status?.startedAt ?? new Date(now).toISOString(),
      metricResults: [...previous.filter((r) => r.name !== error.metric), result],
    };
    await this.writeStatus(run, status, ctx);
    this.options.events.record(
      run,
      'Warning',
      'MetricError',
      `Metric '${error.metric}' Completed. Result: Error`,
    );
    this.options.events.record(run, 'Warning', 'AnalysisRunError', 'Analysis Completed. Result: Error');
  }

  private async finishWithError(
    ctx: ReconcileContext,
    run: AnalysisRunObject,
    message: string,
  ): Promise<void> {
    ctx.logger.warn({ message }, 'analysis run cannot proceed');
    const status: AnalysisRunStatus = {
      ...(run.status ?? {}),
      metricResults: run.status?.metricResults ?? [],
      phase: 'Error',
      message,
    };
    await this.writeStatus(run, status, ctx);
    this.options.events.record(run, 'Warning', 'AnalysisRunError', 'Analysis Completed. Result: Error');
  }
}
