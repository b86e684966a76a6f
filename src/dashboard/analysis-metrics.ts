/**
 * `/metrics` gauges of each AnalysisRun metric's last measured value and phase (argo-rollouts#2276), so
 * teams can chart analysis in their own Grafana. Computed from the AnalysisRun cache at scrape time:
 * a deleted run's series disappear with it.
 */
import { Gauge } from 'prom-client';
import type { ObjectStore } from '../kube/index.js';
import type { Metrics } from '../observability/index.js';
import type { AnalysisRunLike } from './rollout-detail.js';
import { measuredNumber } from './thresholds.js';

export const ANALYSIS_PHASES = [
  'Pending',
  'Running',
  'Successful',
  'Failed',
  'Error',
  'Inconclusive',
] as const;

export interface MetricSample {
  readonly labels: { readonly namespace: string; readonly analysisrun: string; readonly metric: string };
  /** The last measurement's value, when it is a number. */
  readonly value: number | undefined;
  readonly phase: string;
}

/** One sample per metric of every run. Pure. */
export function analysisMetricSamples(runs: readonly AnalysisRunLike[]): MetricSample[] {
  const out: MetricSample[] = [];
  for (const run of runs)
    for (const result of run.status?.metricResults ?? []) {
      const last = result.measurements?.at(-1);
      out.push({
        labels: {
          namespace: run.metadata.namespace ?? '',
          analysisrun: run.metadata.name ?? '',
          metric: result.name,
        },
        value: measuredNumber(last?.value),
        phase: result.phase,
      });
    }
  return out;
}

/** Registers the two gauges on `metrics`, read from `runs` at each scrape. */
export function registerAnalysisMetrics(metrics: Metrics, runs: ObjectStore<AnalysisRunLike>): void {
  new Gauge({
    name: 'slipway_analysis_run_metric_value',
    help: 'The last measured value of each AnalysisRun metric (the first number of a vector); absent when it is not numeric.',
    labelNames: ['namespace', 'analysisrun', 'metric'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const s of analysisMetricSamples(runs.list()))
        if (s.value !== undefined) this.set(s.labels, s.value);
    },
  });
  new Gauge({
    name: 'slipway_analysis_run_metric_phase',
    help: 'The phase of each AnalysisRun metric: 1 for its current phase, 0 for the others.',
    labelNames: ['namespace', 'analysisrun', 'metric', 'phase'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset();
      for (const s of analysisMetricSamples(runs.list()))
        for (const phase of ANALYSIS_PHASES) this.set({ ...s.labels, phase }, s.phase === phase ? 1 : 0);
    },
  });
}
