import type { KubeObject } from '../../kube/index.js';

/** Kubernetes' DNS label limit, which Argo keeps Job names within. */
export const JOB_NAME_LIMIT = 63;

/**
 * Argo's `newJobName` (v1.10): `<run uid>.<metric>.<sequence>`, where the sequence is the measurements
 * taken so far plus one (`count + error + 1`, so a retry after an error gets a new Job). A name over 63
 * characters is brought back to 63 by shortening the metric part.
 */
export function sequencedJobName(runUid: string, metricName: string, sequence: number): string {
  const name = `${runUid}.${metricName}.${sequence}`;
  if (name.length <= JOB_NAME_LIMIT) return name;
  const keep = Math.max(0, metricName.length - (name.length - JOB_NAME_LIMIT));
  return `${runUid}.${metricName.slice(0, keep)}.${sequence}`;
}

/**
 * Argo's job `GarbageCollect` decision: of a run's Jobs, the names of all but the newest `limit`, oldest
 * first (by creationTimestamp, then name).
 */
export function jobsToDelete(jobs: readonly KubeObject[], limit: number): string[] {
  const named = jobs.map((j) => ({
    name: j.metadata.name ?? '',
    created: Date.parse(j.metadata.creationTimestamp ?? '') || 0,
  }));
  named.sort((a, b) => a.created - b.created || a.name.localeCompare(b.name));
  return named.slice(0, Math.max(0, named.length - limit)).map((j) => j.name);
}
