/**
 * `spec.rollbackWindow`: going back to a recent ReplicaSet skips the steps and analysis (Argo's
 * isRollbackWithinWindow in rollout/sync.go). A rollback is a desired ReplicaSet created before the
 * stable one; it is within the window when fewer than `revisions` ReplicaSets were created strictly
 * between the two. Creation timestamps, not revision numbers, order the history, as in Argo. Pure.
 */
import type { ReplicaSet } from '../replica-sets/replica-sets.js';

export interface RollbackWindow {
  readonly revisions?: number;
}

const createdAt = (rs: ReplicaSet): number => Date.parse(rs.metadata.creationTimestamp ?? '');

export function isRollbackWithinWindow(
  window: RollbackWindow | undefined,
  newRS: ReplicaSet | undefined,
  stableRS: ReplicaSet | undefined,
  replicaSets: readonly ReplicaSet[],
): boolean {
  const revisions = window?.revisions ?? 0;
  if (revisions <= 0 || newRS === undefined || stableRS === undefined) return false;
  const from = createdAt(newRS);
  const to = createdAt(stableRS);
  if (!(from < to)) return false;
  const between = replicaSets.filter((rs) => from < createdAt(rs) && createdAt(rs) < to).length;
  return between < revisions;
}
