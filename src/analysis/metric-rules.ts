import { durationMs, intValue } from './metric-fields.js';
import type { DryRun, MeasurementRetention, Metric } from './types.js';

type RuleResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/** Go's `regexp.MatchString`: unanchored; a pattern that does not compile matches nothing. */
function matches(pattern: string, name: string): boolean {
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return false;
  }
}

/** Whether any dryRun rule selects the metric name. */
export function isDryRunMetric(rules: readonly DryRun[] | undefined, name: string): boolean {
  return (rules ?? []).some((rule) => matches(rule.metricName, name));
}

/** Metric names selected by the dryRun rules; a rule matching no metric is an error (as Argo). */
export function dryRunMetricNames(
  rules: readonly DryRun[] | undefined,
  metrics: readonly Metric[],
): RuleResult<Set<string>> {
  const names = new Set<string>();
  for (const [index, rule] of (rules ?? []).entries()) {
    const matched = metrics.filter((m) => matches(rule.metricName, m.name));
    if (matched.length === 0)
      return { ok: false, message: `dryRun[${index}]: Rule didn't match any metric name(s)` };
    for (const m of matched) names.add(m.name);
  }
  return { ok: true, value: names };
}

/** Measurement limit per metric name from the measurementRetention rules (a later rule wins). */
export function retentionLimits(
  rules: readonly MeasurementRetention[] | undefined,
  metrics: readonly Metric[],
): RuleResult<Map<string, number>> {
  const limits = new Map<string, number>();
  for (const [index, rule] of (rules ?? []).entries()) {
    const matched = metrics.filter((m) => matches(rule.metricName, m.name));
    if (matched.length === 0)
      return { ok: false, message: `measurementRetention[${index}]: Rule didn't match any metric name(s)` };
    for (const m of matched) limits.set(m.name, rule.limit);
  }
  return { ok: true, value: limits };
}

const PROVIDER_KEYS = [
  'prometheus',
  'job',
  'web',
  'wavefront',
  'kayenta',
  'datadog',
  'newRelic',
  'cloudWatch',
  'graphite',
  'influxdb',
  'skywalking',
] as const;

function providerCount(metric: Metric): number {
  let n = PROVIDER_KEYS.filter(
    (k) => metric.provider?.[k] !== undefined && metric.provider[k] !== null,
  ).length;
  const plugin = metric.provider?.plugin;
  if (typeof plugin === 'object' && plugin !== null) n += Object.keys(plugin).length;
  return n;
}

/**
 * Argo's `ValidateMetric` (utils/analysis/factory.go, Argo Rollouts ≥ 1.8), checks and messages in its
 * order: consecutiveSuccessLimit ≥ 0; failureLimit ≥ -1 (-1 disables it); not both disabled;
 * inconclusiveLimit ≥ 0; consecutiveErrorLimit ≥ 0; with a count, count ≥ failureLimit +
 * consecutiveSuccessLimit (or ≥ consecutiveSuccessLimit when failureLimit is -1) and ≥ inconclusiveLimit;
 * an interval when count > 1; parseable durations; exactly one provider.
 */
export function validateMetric(metric: Metric): string | undefined {
  const count = intValue(metric.count) ?? 0;
  const failureLimit = intValue(metric.failureLimit) ?? 0;
  const successLimit = intValue(metric.consecutiveSuccessLimit) ?? 0;
  const inconclusiveLimit = intValue(metric.inconclusiveLimit) ?? 0;
  if (successLimit < 0) return 'consecutiveSuccessLimit must be >= 0';
  if (failureLimit < -1) return 'failureLimit must be >= 0, or -1 to be disabled';
  if (successLimit === 0 && failureLimit === -1)
    return 'failureLimit and consecutiveSuccessLimit cannot both be disabled';
  if (inconclusiveLimit < 0) return 'inconclusiveLimit must be >= 0';
  if ((intValue(metric.consecutiveErrorLimit) ?? 0) < 0) return 'consecutiveErrorLimit must be >= 0';
  if (count > 0) {
    if (failureLimit >= 0) {
      if (count < failureLimit + successLimit)
        return `count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${failureLimit} + ${successLimit}) if both >= 0`;
    } else if (count < successLimit) {
      return 'count must be >= consecutiveSuccessLimit';
    }
    if (count < inconclusiveLimit) return 'count must be >= inconclusiveLimit';
  }
  if (count > 1 && (metric.interval === undefined || metric.interval === ''))
    return 'interval must be specified when count > 1';
  if (metric.interval !== undefined && metric.interval !== '') {
    const parsed = durationMs(metric.interval);
    if (!parsed.ok) return `invalid interval string: ${parsed.message}`;
  }
  if (metric.initialDelay !== undefined && metric.initialDelay !== '') {
    const parsed = durationMs(metric.initialDelay);
    if (!parsed.ok) return `invalid startDelay string: ${parsed.message}`;
  }
  const providers = providerCount(metric);
  if (providers === 0) return 'no provider specified';
  if (providers > 1) return 'multiple providers specified';
  return undefined;
}

/** Argo's `ValidateMetrics`: at least one metric, unique names, each metric valid. */
export function validateMetrics(metrics: readonly Metric[]): string | undefined {
  if (metrics.length === 0) return 'no metrics specified';
  const names = new Set<string>();
  for (const [i, metric] of metrics.entries()) {
    if (names.has(metric.name)) return `metrics[${i}]: duplicate name '${metric.name}'`;
    names.add(metric.name);
    const err = validateMetric(metric);
    if (err !== undefined) return `metrics[${i}]: ${err}`;
  }
  return undefined;
}
