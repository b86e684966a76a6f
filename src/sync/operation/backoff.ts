import type { OperationState, RetryStrategy } from '../types.js';
import { parseDurationMs } from './sync-options.js';

/** Argo CD's self-heal backoff: 0, 2, 6, 18, 54, 162, then 300 s (attempts made so far → delay). */
export function selfHealDelayMs(attempts: number): number {
  if (attempts <= 0) return 0;
  return Math.min(2_000 * 3 ** (attempts - 1), 300_000);
}

/** Default retry for automated syncs when the Application sets none. */
export const AUTOMATED_RETRY: RetryStrategy = {
  limit: 5,
  backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
};

/** Delay before retry number `retryCount` (1-based) of a failed sync: duration × factor^(n-1), capped. */
export function retryDelayMs(strategy: RetryStrategy | undefined, retryCount: number): number {
  const base = parseDurationMs(strategy?.backoff?.duration) ?? 5_000;
  const factor = strategy?.backoff?.factor ?? 2;
  const cap = parseDurationMs(strategy?.backoff?.maxDuration) ?? 180_000;
  return Math.min(base * factor ** Math.max(0, retryCount - 1), cap);
}

/**
 * When a failed attempt waiting for its retry may run again (Argo CD's convention: the operation stays
 * Running with the attempt's `finishedAt`, so the wait survives restarts); undefined when none waits.
 */
export function nextRetryAtMs(state: OperationState): number | undefined {
  if (state.phase !== 'Running' || !state.finishedAt || !state.retryCount) return undefined;
  const finished = Date.parse(state.finishedAt);
  if (Number.isNaN(finished)) return undefined;
  return finished + retryDelayMs(state.operation.retry, state.retryCount);
}
