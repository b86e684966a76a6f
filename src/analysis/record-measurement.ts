import { DEFAULT_MEASUREMENT_HISTORY_LIMIT } from './metric-fields.js';
import type { Measurement, MetricResult } from './types.js';
import { isCompletedPhase } from './types.js';

export interface RecordMeasurementInput {
  readonly previous: MetricResult | undefined;
  readonly name: string;
  readonly measurement: Measurement;
  /** True when the measurement replaces the in-flight last one instead of being appended. */
  readonly replacesLast: boolean;
  readonly dryRun: boolean;
  /** Provider metadata stored on a new metric result (e.g. the resolved Prometheus query). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Epoch ms, used as finishedAt when a completed measurement has none. */
  readonly now: number;
}

/**
 * Adds a measurement to a metric result like Argo's `runMeasurements`: a completed measurement gets a
 * finishedAt and bumps the counters — Successful/Failed/Inconclusive count towards `count` and reset the
 * consecutive error counter; an Error only bumps `error` and `consecutiveError` (errors don't count);
 * a success extends the consecutive success streak, anything else resets it.
 */
export function recordMeasurement(input: RecordMeasurementInput): MetricResult {
  const base: MetricResult = input.previous ?? {
    name: input.name,
    phase: 'Running',
    ...(input.dryRun && { dryRun: true }),
    ...(input.metadata !== undefined &&
      Object.keys(input.metadata).length > 0 && { metadata: input.metadata }),
  };
  let measurement = input.measurement;
  const counters = {
    count: base.count ?? 0,
    successful: base.successful ?? 0,
    failed: base.failed ?? 0,
    inconclusive: base.inconclusive ?? 0,
    error: base.error ?? 0,
    consecutiveError: base.consecutiveError ?? 0,
    consecutiveSuccess: base.consecutiveSuccess ?? 0,
  };
  if (isCompletedPhase(measurement.phase)) {
    if (measurement.finishedAt === undefined)
      measurement = { ...measurement, finishedAt: new Date(input.now).toISOString() };
    switch (measurement.phase) {
      case 'Successful':
        counters.successful++;
        counters.count++;
        counters.consecutiveError = 0;
        counters.consecutiveSuccess++;
        break;
      case 'Failed':
        counters.failed++;
        counters.count++;
        counters.consecutiveError = 0;
        counters.consecutiveSuccess = 0;
        break;
      case 'Inconclusive':
        counters.inconclusive++;
        counters.count++;
        counters.consecutiveError = 0;
        counters.consecutiveSuccess = 0;
        break;
      default:
        counters.error++;
        counters.consecutiveError++;
        counters.consecutiveSuccess = 0;
    }
  }
  const measurements = [...(base.measurements ?? [])];
  if (input.replacesLast && measurements.length > 0) measurements[measurements.length - 1] = measurement;
  else measurements.push(measurement);
  const nonZero = Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0));
  const {
    count: _c,
    successful: _s,
    failed: _f,
    inconclusive: _i,
    error: _e,
    consecutiveError: _ce,
    consecutiveSuccess: _cs,
    ...rest
  } = base;
  return { ...rest, ...nonZero, measurements };
}

/** How many measurements a metric keeps: its measurementRetention limit when above 0, else 10 (as Argo). */
export function measurementLimit(name: string, retention: ReadonlyMap<string, number>): number {
  const rule = retention.get(name);
  return rule !== undefined && rule > 0 ? rule : DEFAULT_MEASUREMENT_HISTORY_LIMIT;
}

/** Keeps the newest `limit` measurements of each metric (default 10, or its retention rule's limit). */
export function trimMeasurements(
  results: readonly MetricResult[],
  retention: ReadonlyMap<string, number>,
): MetricResult[] {
  return results.map((r) => {
    const limit = measurementLimit(r.name, retention);
    const list = r.measurements ?? [];
    return list.length > limit ? { ...r, measurements: list.slice(list.length - limit) } : r;
  });
}
