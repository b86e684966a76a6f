/**
 * `spec.restartAt` (kubectl argo rollouts restart): evict the pods created before it, never more
 * unavailable than maxUnavailable allows, then record `status.restartedAt` (Argo's
 * RolloutPodRestarter). Pure.
 */
import type { KubeObject } from '../kube/index.js';

export interface RestartPlan {
  readonly evict: readonly KubeObject[];
  /** Every pod is newer than restartAt: set status.restartedAt. */
  readonly done: boolean;
  /** restartAt lies in the future: look again then (ms from now). */
  readonly waitMs?: number;
}

const isReady = (pod: KubeObject): boolean => {
  const status = pod.status as { conditions?: { type: string; status: string }[] } | undefined;
  return (status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
};

export function planRestart(options: {
  readonly restartAt: string | undefined;
  readonly restartedAt: string | undefined;
  /** Pods owned by the Rollout's ReplicaSets. */
  readonly pods: readonly KubeObject[];
  readonly replicas: number;
  readonly maxUnavailable: number;
  readonly now: number;
}): RestartPlan {
  const { restartAt, restartedAt, pods, now } = options;
  if (restartAt === undefined) return { evict: [], done: false };
  const at = Date.parse(restartAt);
  if (Number.isNaN(at) || (restartedAt !== undefined && Date.parse(restartedAt) === at))
    return { evict: [], done: false };
  if (at > now) return { evict: [], done: false, waitMs: at - now };
  const live = pods.filter((p) => p.metadata.deletionTimestamp === undefined);
  const old = live
    .filter((p) => Date.parse(p.metadata.creationTimestamp ?? '') < at)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  if (old.length === 0) return { evict: [], done: true };
  const unavailable = Math.max(0, options.replicas - live.filter(isReady).length);
  const budget = Math.max(0, Math.max(1, options.maxUnavailable) - unavailable);
  return { evict: old.slice(0, budget), done: false };
}
