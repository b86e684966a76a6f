/**
 * Blue-green ReplicaSet sizes (Argo Rollouts' NewRSNewReplicas and ReadyForPause in utils/replicaset,
 * IsSaturated in utils/annotations, reconcileBlueGreenReplicaSets in rollout/bluegreen.go and
 * rollout/replicaset.go): the stable (active) ReplicaSet at the Rollout's size, the new one at its size or
 * `previewReplicaCount`, an aborted preview scaled down after `abortScaleDownDelaySeconds`, and older
 * ReplicaSets scaled down after `scaleDownDelaySeconds` (replica-sets/scale-down-delay.ts). Pure.
 */
import {
  availableReplicas,
  type ClassifiedReplicaSets,
  podHashOf,
  type ReplicaSet,
  revisionOf,
  specReplicas,
} from '../replica-sets/replica-sets.js';
import {
  DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS,
  DEFAULT_SCALE_DOWN_DELAY_SECONDS,
  planScaleDownDelay,
  scaleDownDeadlineOf,
  toRfc3339Seconds,
} from '../replica-sets/scale-down-delay.js';
import type { ScaleIntent } from '../strategies/actions.js';
import type { Rollout, RolloutStatus } from '../types.js';

const replicasOf = (rollout: Rollout) => rollout.spec?.replicas ?? 1;

/** Argo's NewRSNewReplicas for blue-green, against the status read at the start of the reconcile. */
export function newReplicaSetReplicas(
  rollout: Rollout,
  replicaSets: readonly ReplicaSet[],
  newRS: ReplicaSet,
): number {
  const desired = replicasOf(rollout);
  const blueGreen = rollout.spec?.strategy?.blueGreen;
  const preview = blueGreen?.previewReplicaCount;
  if (preview === undefined) return desired;
  const status = rollout.status ?? {};
  const active = replicaSets.find((rs) => podHashOf(rs) === (status.blueGreen?.activeSelector ?? ''));
  if (active === undefined || active.metadata.name === newRS.metadata.name) return desired;
  if (status.promoteFull === true) return desired;
  if (podHashOf(newRS) !== status.currentPodHash) return preview;
  const isNotPaused = rollout.spec?.paused !== true && (status.pauseConditions ?? []).length === 0;
  if (isNotPaused && status.blueGreen?.scaleUpPreviewCheckPoint === true) return desired;
  return preview;
}

/** Argo's ReadyForPause: the new ReplicaSet has its blue-green size, all available. */
export function isReadyForPause(
  rollout: Rollout,
  replicaSets: readonly ReplicaSet[],
  newRS: ReplicaSet,
): boolean {
  const want = newReplicaSetReplicas(rollout, replicaSets, newRS);
  return specReplicas(newRS) === want && availableReplicas(newRS) === want;
}

/** Argo's IsSaturated: the new ReplicaSet has every pod of the Rollout, all available. */
export function isSaturated(rollout: Rollout, rs: ReplicaSet | undefined): boolean {
  const replicas = replicasOf(rollout);
  return rs !== undefined && specReplicas(rs) === replicas && availableReplicas(rs) === replicas;
}

/** Argo's GetAbortScaleDownDelaySecondsOrDefault for blue-green; undefined: keep the preview up. */
export function abortScaleDownDelay(rollout: Rollout): number | undefined {
  const explicit = rollout.spec?.strategy?.blueGreen?.abortScaleDownDelaySeconds;
  if (explicit === 0) return undefined;
  return explicit ?? DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS;
}

export interface BlueGreenScalingInput {
  readonly rollout: Rollout;
  /** The status this decision writes. */
  readonly status: RolloutStatus;
  /** Classified against the new status' stable hash. */
  readonly sets: ClassifiedReplicaSets;
  readonly replicaSets: readonly ReplicaSet[];
  /** Hashes still referenced by status or a Service: never scaled down as older ReplicaSets. */
  readonly referenced: ReadonlySet<string>;
  /** Older ReplicaSets wait for a successful post-promotion run (Argo, without scaleDownDelaySeconds). */
  readonly holdOlder: boolean;
  readonly now: number;
}

export interface BlueGreenScaling {
  readonly intents: readonly ScaleIntent[];
  /** When a scale-down deadline passes (epoch ms). */
  readonly wakeAt?: number;
}

const scale = (
  replicaSet: ReplicaSet,
  role: ScaleIntent['role'],
  to: number,
  scaleDownDeadline?: string | null,
): ScaleIntent => ({
  type: 'scale',
  replicaSet,
  role,
  from: specReplicas(replicaSet),
  to,
  ...(scaleDownDeadline !== undefined && { scaleDownDeadline }),
});

/** The new ReplicaSet's size on abort: held until its deadline, then 0 (Argo's reconcileNewReplicaSet). */
function abortedNewReplicaSet(
  i: BlueGreenScalingInput,
  newRS: ReplicaSet,
  stableRS: ReplicaSet,
  delay: number,
): { readonly intent?: ScaleIntent; readonly wakeAt?: number } {
  const written = scaleDownDeadlineOf(newRS);
  if (written !== undefined) {
    const at = Date.parse(written);
    if (!Number.isNaN(at) && at > i.now) return { wakeAt: at };
    if (!Number.isNaN(at)) return specReplicas(newRS) === 0 ? {} : { intent: scale(newRS, 'canary', 0) };
    return {}; // unreadable: Argo logs it and keeps the size the rules give
  }
  // the deadline scales the preview down unconditionally: set it only once the stable can carry everything
  if (availableReplicas(stableRS) < replicasOf(i.rollout)) return {};
  const deadline = toRfc3339Seconds(i.now + delay * 1000);
  return {
    intent: scale(newRS, 'canary', specReplicas(newRS), deadline),
    wakeAt: Date.parse(deadline),
  };
}

export function planBlueGreenScaling(i: BlueGreenScalingInput): BlueGreenScaling {
  const { rollout, sets, now } = i;
  const { newRS, stableRS } = sets;
  const intents: ScaleIntent[] = [];
  const wakeups: number[] = [];
  const replicas = replicasOf(rollout);
  const delayOnAbort =
    i.status.abort === true && stableRS !== undefined && newRS !== stableRS
      ? abortScaleDownDelay(rollout)
      : undefined;

  // Argo's removeScaleDownDeadlines: none on the stable, none on the new one unless an abort delays it
  const clearDeadline = (rs: ReplicaSet | undefined) =>
    rs !== undefined && scaleDownDeadlineOf(rs) !== undefined ? null : undefined;
  if (stableRS !== undefined) {
    const deadline = clearDeadline(stableRS);
    if (specReplicas(stableRS) !== replicas || deadline !== undefined)
      intents.push(scale(stableRS, 'stable', replicas, deadline));
  }
  if (newRS !== undefined && newRS !== stableRS) {
    if (delayOnAbort !== undefined && stableRS !== undefined) {
      const held = abortedNewReplicaSet(i, newRS, stableRS, delayOnAbort);
      if (held.intent !== undefined) intents.push(held.intent);
      if (held.wakeAt !== undefined) wakeups.push(held.wakeAt);
    } else {
      const want = newReplicaSetReplicas(rollout, i.replicaSets, newRS);
      const deadline = clearDeadline(newRS);
      if (specReplicas(newRS) !== want || deadline !== undefined)
        intents.push(scale(newRS, 'canary', want, deadline));
    }
  }

  if (!i.holdOlder) {
    const blueGreen = rollout.spec?.strategy?.blueGreen;
    const plan = planScaleDownDelay({
      replicaSets: sets.olderRSs
        .filter((rs) => specReplicas(rs) > 0 && !i.referenced.has(podHashOf(rs)))
        .map((rs) => {
          const deadline = scaleDownDeadlineOf(rs);
          return {
            ref: rs,
            revision: revisionOf(rs),
            replicas: specReplicas(rs),
            ...(deadline !== undefined && { deadline }),
          };
        }),
      delaySeconds: blueGreen?.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS,
      ...(blueGreen?.scaleDownDelayRevisionLimit !== undefined && {
        revisionLimit: blueGreen.scaleDownDelayRevisionLimit,
      }),
      keepReplicas: () => replicas,
      now,
    });
    for (const v of plan.verdicts) {
      if (v.kind === 'annotate') intents.push(scale(v.ref, 'older', v.replicas, v.deadline));
      else if (specReplicas(v.ref) !== v.replicas) intents.push(scale(v.ref, 'older', v.replicas));
    }
    if (plan.requeueAt !== undefined) wakeups.push(plan.requeueAt);
  }
  return { intents, ...(wakeups.length > 0 && { wakeAt: Math.min(...wakeups) }) };
}
