/**
 * The order of a Rollout's ReplicaSets in its history. Argo tells a rollback (the desired ReplicaSet is
 * older than the stable one) by creation timestamps, which have one-second precision: two revisions
 * created within one second tie. The revisions a ReplicaSet served break the tie: when a rollback moves
 * an existing ReplicaSet to the newest revision, the revision it had is kept in Argo's
 * `rollout.argoproj.io/revision-history` annotation (SetNewReplicaSetAnnotations in
 * utils/annotations), so the first revision it served stays known. Pure.
 */
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from '../spec/pod-template-hash.js';
import { type ReplicaSet, revisionOf } from './replica-sets.js';

const createdAt = (rs: ReplicaSet): number => Date.parse(rs.metadata.creationTimestamp ?? '');

/** Revisions the ReplicaSet served before its current one, oldest first. */
export function revisionHistoryOf(rs: ReplicaSet): number[] {
  return (rs.metadata.annotations?.[REVISION_HISTORY_ANNOTATION] ?? '')
    .split(',')
    .map((v) => Number.parseInt(v, 10))
    .filter((n) => !Number.isNaN(n));
}

/** The first revision the ReplicaSet served (0 when it carries none). */
export function firstRevisionOf(rs: ReplicaSet): number {
  return Math.min(revisionOf(rs), ...revisionHistoryOf(rs));
}

/**
 * `a` came before `b`: created earlier (Argo's CreationTimestamp.Before), or created within the same
 * second and first serving an earlier revision.
 */
export function isOlderReplicaSet(a: ReplicaSet, b: ReplicaSet): boolean {
  const [from, to] = [createdAt(a), createdAt(b)];
  if (Number.isNaN(from) || Number.isNaN(to)) return false;
  if (from !== to) return from < to;
  const [first, other] = [firstRevisionOf(a), firstRevisionOf(b)];
  return first > 0 && other > 0 && first < other;
}

/**
 * The annotations that move an existing ReplicaSet to `revision`: the revision, and the one it had
 * appended to its revision history (Argo's SetNewReplicaSetAnnotations). Empty when nothing changes.
 */
export function revisionAnnotations(rs: ReplicaSet, revision: number): Record<string, string> {
  const old = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (revisionOf(rs) >= revision) return {};
  const history = rs.metadata.annotations?.[REVISION_HISTORY_ANNOTATION] ?? '';
  return {
    [REVISION_ANNOTATION]: String(revision),
    ...(old !== undefined &&
      old !== '' && {
        [REVISION_HISTORY_ANNOTATION]: history === '' ? old : `${history},${old}`,
      }),
  };
}
