import { TerminalError } from './terminal-error.js';
import type { QueueLane } from './work-queue.js';

/**
 * What a reconcile asks of its queue, with controller-runtime's meaning (`reconcile.Result`):
 * - nothing (or `undefined`): done; forget the key's backoff and wait for the next change;
 * - `requeueAfterMs > 0`: forget the backoff and look again after that long (a pause ending, the
 *   next measurement due); 0 or less asks for no timed requeue, like `RequeueAfter: 0`;
 * - `requeue: true`: look again through the rate limiter (the key's exponential backoff plus the
 *   overall token bucket), for "not ready yet, try again soon" without a busy loop.
 * A positive `requeueAfterMs` wins over `requeue`, as upstream.
 */
export interface ReconcileResult {
  readonly requeueAfterMs?: number;
  readonly requeue?: boolean;
  /** The queue lane of the timed requeue (default `main`; see QueueLane). */
  readonly lane?: QueueLane;
}

/**
 * The result for "look again in `delayMs`", where the delay comes from a due time minus now: a due
 * time that has already passed (`delayMs` ≤ 0) becomes a rate-limited requeue, so it runs promptly
 * the first time and backs off if the due time keeps not advancing.
 */
export function requeueAfter(delayMs: number): ReconcileResult {
  return delayMs > 0 ? { requeueAfterMs: delayMs } : { requeue: true };
}

/** How the controller treats a finished reconcile (controller-runtime's `reconcileHandler`). */
export type ReconcileOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'requeueAfter'; readonly delayMs: number; readonly lane: QueueLane }
  | { readonly kind: 'requeueRateLimited' }
  | { readonly kind: 'terminal' }
  | { readonly kind: 'error' };

/** Classifies a reconcile's return value or thrown error. Pure. */
export function reconcileOutcome(
  ending: { readonly result: ReconcileResult | undefined } | { readonly error: unknown },
): ReconcileOutcome {
  if ('error' in ending)
    return ending.error instanceof TerminalError ? { kind: 'terminal' } : { kind: 'error' };
  const after = ending.result?.requeueAfterMs;
  if (after !== undefined && after > 0)
    return { kind: 'requeueAfter', delayMs: after, lane: ending.result?.lane ?? 'main' };
  if (ending.result?.requeue === true) return { kind: 'requeueRateLimited' };
  return { kind: 'done' };
}
