import type { Logger } from '../observability/index.js';
import type { ProviderRegistry, RunRef } from './providers/index.js';
import { measurementLimit } from './record-measurement.js';
import type { Metric, MetricResult } from './types.js';

/**
 * Argo's trigger in `garbageCollectMeasurements`: the metrics holding more measurements than they keep
 * (their measurementRetention limit, default 10), with that limit.
 */
export function metricsOverLimit(
  results: readonly MetricResult[],
  retention: ReadonlyMap<string, number>,
): { readonly name: string; readonly limit: number }[] {
  return results
    .map((r) => ({
      name: r.name,
      limit: measurementLimit(r.name, retention),
      held: r.measurements?.length ?? 0,
    }))
    .filter((m) => m.held > m.limit)
    .map(({ name, limit }) => ({ name, limit }));
}

export interface CollectGarbageOptions {
  readonly run: RunRef;
  /** The metrics that may be over their limit (those just measured). */
  readonly metrics: readonly Metric[];
  readonly results: readonly MetricResult[];
  readonly retention: ReadonlyMap<string, number>;
  readonly providers: ProviderRegistry;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/**
 * Asks each over-limit metric's provider to garbage-collect (the job provider deletes the run's oldest
 * Jobs beyond the limit). Like Argo, a failure is logged and the reconcile goes on; the measurement list
 * itself is trimmed by `trimMeasurements`.
 */
export async function collectGarbage(options: CollectGarbageOptions): Promise<void> {
  for (const { name, limit } of metricsOverLimit(options.results, options.retention)) {
    const metric = options.metrics.find((m) => m.name === name);
    if (metric === undefined) continue;
    const found = options.providers.providerFor(metric);
    if (!found.ok || found.provider.garbageCollect === undefined) continue;
    try {
      const deleted = await found.provider.garbageCollect(options.run, limit, options.signal);
      if (deleted.length > 0)
        options.logger.info({ metric: name, deleted }, 'measurements garbage collected');
    } catch (err) {
      options.logger.warn({ err, metric: name }, 'failed to garbage collect measurements');
    }
  }
}
