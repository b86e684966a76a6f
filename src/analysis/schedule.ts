import { durationMs, ERROR_RETRY_INTERVAL_MS, effectiveCountOf } from './metric-fields.js';
import type { AnalysisRunStatus, Measurement, Metric, MetricResult } from './types.js';
import { isCompletedPhase } from './types.js';

/** One metric to measure in this reconcile: a new measurement, or resuming/terminating an in-flight one. */
export interface MetricTask {
  readonly metric: Metric;
  readonly incomplete?: Measurement;
  /** When the measurement was due (epoch ms); undefined for a first measurement without delay. */
  readonly dueAt?: number;
}

const timeOf = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
};

function resultOf(status: AnalysisRunStatus | undefined, name: string): MetricResult | undefined {
  return status?.metricResults?.find((r) => r.name === name);
}

function lastMeasurement(result: MetricResult | undefined): Measurement | undefined {
  const list = result?.measurements ?? [];
  return list[list.length - 1];
}

/** Interval before the next measurement: 10 s after an error, else the metric's interval. */
function nextIntervalMs(metric: Metric, last: Measurement): number | undefined {
  if (last.phase === 'Error') return ERROR_RETRY_INTERVAL_MS;
  if (metric.interval === undefined || metric.interval === '') return undefined;
  const parsed = durationMs(metric.interval);
  return parsed.ok ? parsed.ms : undefined;
}

/** When the metric's next measurement is due (epoch ms), or undefined when none is planned. */
export function metricDueAt(
  metric: Metric,
  status: AnalysisRunStatus | undefined,
  now: number,
): { readonly kind: 'measure' | 'resume'; readonly at: number } | undefined {
  const result = resultOf(status, metric.name);
  if (result !== undefined && isCompletedPhase(result.phase)) return undefined;
  const last = lastMeasurement(result);
  if (last === undefined) {
    if (metric.initialDelay === undefined || metric.initialDelay === '') return { kind: 'measure', at: now };
    const started = timeOf(status?.startedAt);
    const delay = durationMs(metric.initialDelay);
    if (!delay.ok) return undefined;
    return { kind: 'measure', at: (started ?? now) + delay.ms };
  }
  if (last.finishedAt === undefined) {
    const resumeAt = timeOf(last.resumeAt);
    return { kind: 'resume', at: resumeAt ?? now };
  }
  const count = effectiveCountOf(metric);
  if (count !== undefined && (result?.count ?? 0) >= count) return undefined;
  const interval = nextIntervalMs(metric, last);
  const finished = timeOf(last.finishedAt);
  if (interval === undefined || finished === undefined) return undefined;
  return { kind: 'measure', at: finished + interval };
}

/**
 * Argo's `generateMetricTasks`: which metrics to measure now. In-flight measurements are resumed when
 * their resumeAt has passed (and terminated when the run is terminating); a terminating run starts
 * nothing new; a first measurement waits for initialDelay (counted from status.startedAt, so not before
 * the run has started); later ones wait for the interval (10 s after an error) and stop at the count.
 */
export function generateMetricTasks(
  metrics: readonly Metric[],
  status: AnalysisRunStatus | undefined,
  now: number,
  terminating: boolean,
): MetricTask[] {
  const tasks: MetricTask[] = [];
  for (const metric of metrics) {
    const result = resultOf(status, metric.name);
    if (result !== undefined && isCompletedPhase(result.phase)) continue;
    const last = lastMeasurement(result);
    if (last !== undefined && last.finishedAt === undefined) {
      const resumeAt = timeOf(last.resumeAt);
      // a terminating run ends in-flight measurements at once (Argo v1.10)
      if (!terminating && resumeAt !== undefined && resumeAt > now) continue;
      tasks.push({ metric, incomplete: last });
      continue;
    }
    if (terminating) continue;
    if (last === undefined && metric.initialDelay !== undefined && metric.initialDelay !== '') {
      if (status?.startedAt === undefined) continue;
    }
    const due = metricDueAt(metric, status, now);
    if (due === undefined || due.at > now) continue;
    tasks.push(last === undefined && due.at === now ? { metric } : { metric, dueAt: due.at });
  }
  return tasks;
}

/**
 * Argo's `calculateNextReconcileTime`: the earliest time any metric needs attention (initial delay end,
 * resumeAt of an in-flight measurement, last finish + interval), or undefined when nothing is scheduled
 * (in-flight measurements without resumeAt wait for a watch event).
 */
export function nextReconcileTime(
  metrics: readonly Metric[],
  status: AnalysisRunStatus | undefined,
  now: number,
): number | undefined {
  let next: number | undefined;
  for (const metric of metrics) {
    const result = resultOf(status, metric.name);
    const last = lastMeasurement(result);
    if (last === undefined && (metric.initialDelay === undefined || metric.initialDelay === '')) continue;
    if (last !== undefined && last.finishedAt === undefined && last.resumeAt === undefined) continue;
    const due = metricDueAt(metric, status, now);
    if (due !== undefined && (next === undefined || due.at < next)) next = due.at;
  }
  return next;
}
