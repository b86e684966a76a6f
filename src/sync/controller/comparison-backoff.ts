import { findCondition } from '../../core/index.js';
import type { ApplicationStatus } from '../types.js';

/** The first retry after a comparison starts failing. */
export const COMPARISON_RETRY_MIN_MS = 2_500;

/**
 * When to compare again while the comparison fails: twice as long as the `ComparisonError`
 * condition has stood (its `lastTransitionTime`, kept while the message is the same), at least
 * COMPARISON_RETRY_MIN_MS and at most the reconciliation period. The backoff lives in status, as Argo
 * CD keeps its state there, so it survives a restart and needs no memory. Pure.
 */
export function comparisonRetryDelay(status: ApplicationStatus, nowMs: number, maxMs: number): number {
  const since = findCondition(status.conditions, 'ComparisonError')?.lastTransitionTime;
  const start = since === undefined ? Number.NaN : Date.parse(since);
  const failingFor = Number.isNaN(start) ? 0 : Math.max(0, nowMs - start);
  return Math.min(Math.max(2 * failingFor, COMPARISON_RETRY_MIN_MS), maxMs);
}
