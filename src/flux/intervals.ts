import { formatGoDuration, parseGoDuration } from '../go/index.js';

/** A Go duration in milliseconds; `fallback` when absent or invalid (the CRD validates the pattern). */
export function durationMs(text: string | undefined, fallbackMs: number): number {
  if (!text) return fallbackMs;
  const d = parseGoDuration(text);
  return d.ok ? Number(d.nanos / 1_000_000n) : fallbackMs;
}

/** Go's `time.Duration.String()` of milliseconds, as Flux prints intervals and timeouts (`5m0s`). */
export function formatDurationMs(ms: number): string {
  return formatGoDuration(BigInt(Math.round(ms)) * 1_000_000n);
}

/** Flux's jitter on the periodic requeue (±5%), `random` in [0, 1) drawn by the caller. */
export function jittered(ms: number, random: number): number {
  return Math.round(ms * (0.95 + random * 0.1));
}
