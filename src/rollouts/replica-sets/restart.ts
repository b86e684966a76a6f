/**
 * `spec.restartAt` (kubectl argo rollouts restart): evict the pods created before it, never more
 * unavailable than maxUnavailable allows (at least one at a time), then record `status.restartedAt`
 * (Argo's RolloutPodRestarter in rollout/restart.go). Readiness comes from the pods' status, so the
 * caller passes pods listed live from the API while a restart is due (the pod cache holds metadata
 * only). Pure.
 */
import { isConditionTrue } from '../../core/index.js';
import type { KubeObject } from '../../kube/index.js';

export interface RestartPlan {
  readonly evict: readonly KubeObject[];
  /** Every pod is newer than restartAt: set status.restartedAt. */
  readonly done: boolean;
  /** Look again then (ms from now): restartAt lies in the future, or pods still wait for a restart. */
  readonly waitMs?: number;
}

/** How soon to look again while pods still wait for their restart (Argo waits 30 s; events come first). */
export const RESTART_CHECK_MS = 5_000;

/** Argo's NeedsRestart: restartAt has passed and status.restartedAt does not record it yet. */
export function isRestartDue(
  restartAt: string | undefined,
  restartedAt: string | undefined,
  now: number,
): boolean {
  if (restartAt === undefined) return false;
  const at = Date.parse(restartAt);
  if (Number.isNaN(at) || (restartedAt !== undefined && Date.parse(restartedAt) >= at)) return false;
  return at <= now;
}

const isAvailable = (pod: KubeObject): boolean => {
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  const status = pod.status as { conditions?: { type: string; status: string }[] } | undefined;
  return isConditionTrue(status?.conditions, 'Ready');
};

export function planRestart(options: {
  readonly restartAt: string | undefined;
  readonly restartedAt: string | undefined;
  /** Pods owned by the Rollout's ReplicaSets, with status (only read while a restart is due). */
  readonly pods: readonly KubeObject[];
  /** spec.replicas of the Rollout. */
  readonly replicas: number;
  /** The sum of the ReplicaSets' spec.replicas (above `replicas` at an uneven canary weight). */
  readonly totalReplicas: number;
  readonly maxUnavailable: number;
  readonly now: number;
}): RestartPlan {
  const { restartAt, restartedAt, pods, now } = options;
  const at = Date.parse(restartAt ?? '');
  if (!isRestartDue(restartAt, restartedAt, now))
    return at > now ? { evict: [], done: false, waitMs: at - now } : { evict: [], done: false };
  // a pod created in the very second of restartAt counts as restarted, as in Argo
  const old = pods
    .filter((p) => Date.parse(p.metadata.creationTimestamp ?? '') < at)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  // terminating old pods still count: the restart is done once they are gone
  if (old.length === 0) return { evict: [], done: true };
  const concurrent = Math.max(1, options.maxUnavailable);
  const minAvailable = Math.max(options.replicas, options.totalReplicas) - concurrent;
  const budget = Math.max(0, pods.filter(isAvailable).length - minAvailable);
  const evict = old.filter((p) => p.metadata.deletionTimestamp === undefined).slice(0, budget);
  return { evict, done: false, waitMs: RESTART_CHECK_MS };
}
