import { systemClock } from '../core/index.js';
import type { Logger } from '../observability/index.js';
import { argValues, substituteArgs } from './args.js';
import { validateMetrics } from './metric-rules.js';
import type { ProviderRegistry } from './providers/index.js';
import type { AnalysisPhase, AnalysisRunSpec, Metric } from './types.js';

export interface MetricVerdict {
  readonly name: string;
  readonly phase: AnalysisPhase;
  readonly value?: string;
  readonly message?: string;
  readonly query?: string;
}

export interface EvaluateOnceOptions {
  readonly providers: ProviderRegistry;
  readonly logger: Logger;
  /** Replaces every Prometheus metric's address. */
  readonly prometheusAddress?: string;
  readonly signal?: AbortSignal;
}

/**
 * Takes one measurement of every metric of a run spec and assesses it with the metric's conditions
 * (what `slipway analysis run` prints). Secret args must have been given values by the caller.
 */
export async function evaluateOnce(
  spec: AnalysisRunSpec,
  options: EvaluateOnceOptions,
): Promise<MetricVerdict[]> {
  const invalid = validateMetrics(spec.metrics);
  if (invalid !== undefined)
    return [{ name: '(spec)', phase: 'Error', message: `Analysis spec invalid: ${invalid}` }];
  const values = argValues(spec.args, new Map());
  const signal = options.signal ?? new AbortController().signal;
  return Promise.all(
    spec.metrics.map(async (metric): Promise<MetricVerdict> => {
      const withAddress: Metric =
        options.prometheusAddress !== undefined && metric.provider.prometheus !== undefined
          ? {
              ...metric,
              provider: {
                ...metric.provider,
                prometheus: { ...metric.provider.prometheus, address: options.prometheusAddress },
              },
            }
          : metric;
      const resolved = substituteArgs(withAddress, values);
      if (!resolved.ok) return { name: metric.name, phase: 'Error', message: resolved.message };
      const found = options.providers.providerFor(resolved.metric);
      if (!found.ok) return { name: metric.name, phase: 'Error', message: found.message };
      const m = await found.provider.run({
        run: { namespace: '', name: 'cli', uid: 'cli' },
        metric: resolved.metric,
        now: systemClock.now(),
        clock: systemClock,
        signal,
        logger: options.logger,
        count: 0,
        error: 0,
      });
      const query = resolved.metric.provider.prometheus?.query;
      return {
        name: metric.name,
        phase: m.phase,
        ...(m.value !== undefined && { value: m.value }),
        ...(m.message !== undefined && { message: m.message }),
        ...(query !== undefined && { query }),
      };
    }),
  );
}
