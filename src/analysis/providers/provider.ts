import type { Clock } from '../../core/index.js';
import type { Logger } from '../../observability/index.js';
import type { Measurement, Metric } from '../types.js';

/** The AnalysisRun a measurement belongs to. */
export interface RunRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface MeasureContext {
  readonly run: RunRef;
  /** The metric with args substituted (secrets included: never log or store it as is). */
  readonly metric: Metric;
  /** Epoch ms when the measurement starts. */
  readonly now: number;
  /** For finishedAt. */
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Measurements already counted for this metric (Successful, Failed, Inconclusive). */
  readonly count: number;
  /** Measurements of this metric that ended in Error (the job provider numbers its Jobs by count + error). */
  readonly error: number;
}

/**
 * A source of measurements (Argo's `metric/provider.go`). Failures are data — a measurement with phase
 * Error and a message — never exceptions. A provider may return a Running measurement (a Job in
 * progress) which the controller later resumes or terminates.
 */
export interface MetricProvider {
  readonly type: string;
  run(ctx: MeasureContext): Promise<Measurement>;
  resume(ctx: MeasureContext, measurement: Measurement): Promise<Measurement>;
  terminate(ctx: MeasureContext, measurement: Measurement): Promise<Measurement>;
  /** Metadata kept on the metric result (e.g. the resolved query). */
  metadata(metric: Metric): Record<string, string>;
  /**
   * Argo's `GarbageCollect`: called when a metric holds more than `limit` measurements; deletes what the
   * provider created for measurements beyond it and returns the names deleted. Only the job provider has it.
   */
  garbageCollect?(run: RunRef, limit: number, signal: AbortSignal): Promise<readonly string[]>;
}

/** A measurement that failed before or while querying. */
export function errorMeasurement(startedAt: number, message: string, finishedAt = startedAt): Measurement {
  return {
    phase: 'Error',
    message,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
  };
}

/** Turns anything thrown into a one-line reason for a measurement message. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'error' in err) return String(err.error);
  return String(err);
}
