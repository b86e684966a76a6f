import { parseGoDuration } from '../go/index.js';
import type { IntOrString, Metric } from './types.js';

/** Argo's default consecutive error limit: the metric errors on the 5th error in a row. */
export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
/** Argo's retry interval after an errored measurement, whatever the metric's interval. */
export const ERROR_RETRY_INTERVAL_MS = 10_000;
/** Measurements kept per metric unless a measurementRetention rule says otherwise. */
export const DEFAULT_MEASUREMENT_HISTORY_LIMIT = 10;

/**
 * Kubernetes `IntOrString.IntValue()`: a string is read with Go's `strconv.Atoi` (optional sign, digits,
 * no spaces); anything else counts as 0.
 */
export function intValue(value: IntOrString | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Math.trunc(value);
  return /^[+-]?\d+$/.test(value) ? Number.parseInt(value, 10) : 0;
}

/** Parses a Go duration string (`30s`, `1m`) to milliseconds; the reason when invalid. */
export function durationMs(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const parsed = parseGoDuration(text);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  return { ok: true, ms: Number(parsed.nanos) / 1e6 };
}

export function failureLimitOf(metric: Metric): number {
  return intValue(metric.failureLimit) ?? 0;
}

export function inconclusiveLimitOf(metric: Metric): number {
  return intValue(metric.inconclusiveLimit) ?? 0;
}

export function consecutiveErrorLimitOf(metric: Metric): number {
  return intValue(metric.consecutiveErrorLimit) ?? DEFAULT_CONSECUTIVE_ERROR_LIMIT;
}

export function consecutiveSuccessLimitOf(metric: Metric): number {
  return intValue(metric.consecutiveSuccessLimit) ?? 0;
}

/**
 * Argo's `EffectiveCount`: the count when set and not 0; else 1 without an interval (measure once), or
 * undefined with one (measure until the run ends).
 */
export function effectiveCountOf(metric: Metric): number | undefined {
  const count = intValue(metric.count) ?? 0;
  if (count !== 0) return count;
  return metric.interval === undefined || metric.interval === '' ? 1 : undefined;
}
