/**
 * The delay before an aborted traffic-routed canary is scaled down (Argo Rollouts' shouldDelayScaleDownOnAbort
 * and reconcileNewReplicaSet in rollout/replicaset.go): once the stable ReplicaSet can carry all the traffic,
 * the canary ReplicaSet gets a `scale-down-deadline` annotation `abortScaleDownDelaySeconds` (default 30)
 * ahead, keeps its pods until then, and is scaled down after it. Without an abort the annotation is removed
 * from the canary and stable ReplicaSets (Argo's removeScaleDownDeadlines), so a retry starts clean. Pure.
 */
import { availableReplicas, type ClassifiedReplicaSets } from '../replica-sets/replica-sets.js';
import {
  DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS,
  scaleDownDeadlineOf,
  toRfc3339Seconds,
} from '../replica-sets/scale-down-delay.js';
import type { Rollout } from '../types.js';

/** What to do with the canary ReplicaSet the replica math wants smaller. */
export type AbortedCanaryScaleDown =
  | { readonly kind: 'scale' }
  /** Keep its size; write the deadline when given; wake up at `wakeAt` (epoch ms) when given. */
  | { readonly kind: 'hold'; readonly deadline?: string; readonly wakeAt?: number };

/** The delay in seconds when an abort delays the canary's scale-down, else undefined (Argo's rules). */
export function abortScaleDownDelaySeconds(rollout: Rollout): number | undefined {
  const canary = rollout.spec?.strategy?.canary;
  if (rollout.status?.abort !== true || canary?.trafficRouting === undefined) return undefined;
  const explicit = canary.abortScaleDownDelaySeconds;
  if (explicit === 0) return undefined; // the canary stays up; the replica math keeps its size
  if (explicit === undefined && canary.dynamicStableScale === true) return undefined;
  return explicit ?? DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS;
}

/** Whether and when the aborted canary may be scaled down now (`now` in epoch ms). */
export function planAbortedCanaryScaleDown(
  rollout: Rollout,
  sets: ClassifiedReplicaSets,
  now: number,
): AbortedCanaryScaleDown {
  const delay = abortScaleDownDelaySeconds(rollout);
  const { newRS, stableRS } = sets;
  if (delay === undefined || newRS === undefined || stableRS === undefined || newRS === stableRS)
    return { kind: 'scale' };
  const written = scaleDownDeadlineOf(newRS);
  if (written !== undefined) {
    const at = Date.parse(written);
    if (Number.isNaN(at) || at <= now) return { kind: 'scale' }; // Argo scales down on an unreadable one too
    return { kind: 'hold', wakeAt: at };
  }
  // the deadline scales the canary down unconditionally: set it only once stable can carry everything
  if (availableReplicas(stableRS) < (rollout.spec?.replicas ?? 1)) return { kind: 'hold' };
  const deadline = toRfc3339Seconds(now + delay * 1000);
  return { kind: 'hold', deadline, wakeAt: Date.parse(deadline) };
}
