import { setMaxListeners } from 'node:events';
import type { Clock } from '../core/index.js';
import type { Logger } from '../observability/index.js';
import { argValues, redact, substituteArgs } from './args.js';
import { collectGarbage } from './garbage-collect.js';
import { errorMeasurement, type ProviderRegistry, type RunRef } from './providers/index.js';
import { recordMeasurement } from './record-measurement.js';
import type { MetricTask } from './schedule.js';
import type { Argument, Measurement, MetricResult } from './types.js';

export interface MeasureOptions {
  readonly run: RunRef;
  readonly args: readonly Argument[] | undefined;
  /** arg name → secret value, already resolved. */
  readonly secrets: ReadonlyMap<string, string>;
  readonly tasks: readonly MetricTask[];
  readonly metricResults: readonly MetricResult[];
  readonly dryRunMetrics: ReadonlySet<string>;
  /**
   * measurementRetention limits by metric name (default: none, so every metric keeps 10). A metric over its
   * limit after this round has its provider garbage-collect (old Jobs), as Argo does each reconcile.
   */
  readonly retention?: ReadonlyMap<string, number>;
  readonly terminating: boolean;
  readonly providers: ProviderRegistry;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Called with (due time, actual start) of each new measurement that was due at a known time. */
  readonly onScheduled?: (dueAt: number, startedAt: number) => void;
}

function redactMeasurement(m: Measurement, secrets: readonly string[]): Measurement {
  if (secrets.length === 0) return m;
  return {
    ...m,
    ...(m.message !== undefined && { message: redact(m.message, secrets) }),
    ...(m.value !== undefined && { value: redact(m.value, secrets) }),
    ...(m.metadata !== undefined && {
      metadata: Object.fromEntries(Object.entries(m.metadata).map(([k, v]) => [k, redact(v, secrets)])),
    }),
  };
}

/**
 * Runs, resumes or terminates each task's measurement concurrently (Argo's `runMeasurements`) with the
 * args substituted (secrets included), records the results, then lets providers garbage-collect what
 * metrics over their retention limit created (Argo's `garbageCollectMeasurements`). Secret values are
 * redacted from every message, value and metadata before they are stored or logged. Never throws for
 * provider failures.
 */
export async function takeMeasurements(options: MeasureOptions): Promise<MetricResult[]> {
  // Every in-flight query listens on the controller's shared abort signal; many at once are expected.
  setMaxListeners(0, options.signal);
  const secretValues = [...options.secrets.values()].filter((s) => s !== '');
  const values = argValues(options.args, options.secrets);
  const results = [...options.metricResults];
  const outcomes = await Promise.all(
    options.tasks.map(async (task) => {
      const now = options.clock.now();
      if (task.dueAt !== undefined && task.incomplete === undefined) options.onScheduled?.(task.dueAt, now);
      const log = options.logger.child({ metric: task.metric.name });
      const previous = results.find((r) => r.name === task.metric.name);
      const resolved = substituteArgs(task.metric, values);
      const found = resolved.ok ? options.providers.providerFor(resolved.metric) : resolved;
      let measurement: Measurement;
      let metadata: Record<string, string> | undefined;
      if (!resolved.ok || !found.ok) {
        const message = resolved.ok ? (found.ok ? '' : found.message) : resolved.message;
        measurement = task.incomplete
          ? { ...task.incomplete, phase: 'Error', message }
          : errorMeasurement(now, message);
      } else {
        const provider = found.provider;
        const ctx = {
          run: options.run,
          metric: resolved.metric,
          now,
          clock: options.clock,
          signal: options.signal,
          logger: log,
          count: previous?.count ?? 0,
          error: previous?.error ?? 0,
        };
        try {
          if (task.incomplete === undefined) {
            measurement = await provider.run(ctx);
            metadata = provider.metadata(resolved.metric);
          } else if (options.terminating) {
            measurement = await provider.terminate(ctx, task.incomplete);
            // Argo v1.10: a terminated measurement ends Successful or (the job provider) Inconclusive.
            if (measurement.phase === 'Successful' || measurement.phase === 'Inconclusive')
              measurement = { ...measurement, message: 'Metric Terminated' };
          } else {
            measurement = await provider.resume(ctx, task.incomplete);
          }
        } catch (err) {
          log.error({ err: { message: redact(String(err), secretValues) } }, 'metric provider threw');
          measurement = errorMeasurement(now, 'metric provider failed unexpectedly', options.clock.now());
        }
      }
      measurement = redactMeasurement(measurement, secretValues);
      if (measurement.phase === 'Error') log.warn({ message: measurement.message }, 'measurement had error');
      else log.debug({ phase: measurement.phase, value: measurement.value }, 'measurement taken');
      return { task, measurement, metadata };
    }),
  );
  for (const { task, measurement, metadata } of outcomes) {
    const index = results.findIndex((r) => r.name === task.metric.name);
    const redactedMetadata =
      metadata === undefined
        ? undefined
        : Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, redact(v, secretValues)]));
    const next = recordMeasurement({
      previous: results[index],
      name: task.metric.name,
      measurement,
      replacesLast: task.incomplete !== undefined,
      dryRun: options.dryRunMetrics.has(task.metric.name),
      ...(redactedMetadata !== undefined && { metadata: redactedMetadata }),
      now: options.clock.now(),
    });
    if (index >= 0) results[index] = next;
    else results.push(next);
  }
  await collectGarbage({
    run: options.run,
    metrics: options.tasks.map((t) => t.metric),
    results,
    retention: options.retention ?? new Map(),
    providers: options.providers,
    signal: options.signal,
    logger: options.logger,
  });
  return results;
}
