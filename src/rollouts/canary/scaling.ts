/**
 * Where each ReplicaSet's size should go on this reconcile for a basic (replica-weighted) canary:
 * the canary/stable pair from `calculateBasicCanaryReplicas` (`calculateTrafficRoutedCanaryReplicas` with
 * traffic routing), older ReplicaSets scaled down within
 * maxUnavailable (Argo's scaleDownOldReplicaSetsForCanary), and whether the sizes already match the
 * target for a weight (Argo's AtDesiredReplicaCountsForCanary). Pure.
 */

import {
  availableReplicas,
  type ClassifiedReplicaSets,
  podHashOf,
  type ReplicaSet,
  revisionOf,
  specReplicas,
  sumOf,
} from '../replica-sets/replica-sets.js';
import {
  DEFAULT_SCALE_DOWN_DELAY_SECONDS,
  planScaleDownDelay,
  scaleDownDeadlineOf,
} from '../replica-sets/scale-down-delay.js';
import {
  calculateBasicCanaryReplicas,
  calculateTrafficRoutedCanaryReplicas,
  resolveMaxUnavailable,
} from '../replicas.js';
import type { ScaleIntent } from '../strategies/actions.js';
import type { Rollout } from '../types.js';
import { planAbortedCanaryScaleDown } from './abort-scale-down.js';
import { currentSetCanaryScale } from './steps.js';

export type { ScaleIntent } from '../strategies/actions.js';

const counts = (rs: ReplicaSet | undefined) =>
  rs === undefined ? undefined : { replicas: specReplicas(rs), availableReplicas: availableReplicas(rs) };

/** The canary and stable sizes Argo targets at `weight` given the current ReplicaSets. */
export function targetReplicas(
  rollout: Rollout,
  sets: ClassifiedReplicaSets,
  weight: number,
  promoteFull: boolean,
): { readonly canary: number; readonly stable: number } {
  const canary = rollout.spec?.strategy?.canary;
  const newIsStable = sets.newRS !== undefined && sets.newRS === sets.stableRS;
  const newCounts = counts(sets.newRS);
  const stableCounts = counts(sets.stableRS);
  const input = {
    replicas: rollout.spec?.replicas ?? 1,
    weight,
    ...(canary?.maxSurge !== undefined && { maxSurge: canary.maxSurge }),
    ...(canary?.maxUnavailable !== undefined && { maxUnavailable: canary.maxUnavailable }),
    ...(stableCounts && { stable: stableCounts }),
    ...(newCounts && { canary: newCounts }),
    older: sets.olderRSs.map((rs) => ({
      replicas: specReplicas(rs),
      availableReplicas: availableReplicas(rs),
    })),
    newIsStable,
    promoteFull,
  };
  if (canary?.trafficRouting === undefined) return calculateBasicCanaryReplicas(input);
  const setCanaryScale = currentSetCanaryScale(rollout);
  const weights = rollout.status?.canary?.weights;
  return calculateTrafficRoutedCanaryReplicas({
    ...input,
    ...(setCanaryScale !== undefined && { setCanaryScale }),
    ...(canary.dynamicStableScale !== undefined && { dynamicStableScale: canary.dynamicStableScale }),
    ...(rollout.status?.abort === true && { abort: true }),
    ...(canary.abortScaleDownDelaySeconds !== undefined && {
      abortScaleDownDelaySeconds: canary.abortScaleDownDelaySeconds,
    }),
    ...(canary.trafficRouting.maxTrafficWeight !== undefined && {
      maxTrafficWeight: canary.trafficRouting.maxTrafficWeight,
    }),
    ...(canary.minPodsPerReplicaSet !== undefined && { minPodsPerReplicaSet: canary.minPodsPerReplicaSet }),
    ...(weights !== undefined && {
      trafficWeights: { canary: weights.canary.weight, stable: weights.stable.weight },
    }),
    steps: canary.steps ?? [],
  });
}

/**
 * Argo's AtDesiredReplicaCountsForCanary: the canary has its target size, all available. Basic canary: the
 * stable too, and no older ReplicaSet has available pods. Traffic-routed: the stable's target pods exist
 * (not necessarily available), none of it with dynamicStableScale (the stable follows the traffic, so
 * waiting for it would hold the weight that lets it shrink), and older ReplicaSets take no traffic.
 */
export function isAtDesiredReplicas(rollout: Rollout, sets: ClassifiedReplicaSets, weight: number): boolean {
  const { newRS, stableRS } = sets;
  if (newRS === undefined) return false;
  const target = targetReplicas(rollout, sets, weight, false);
  if (target.canary !== specReplicas(newRS) || target.canary !== availableReplicas(newRS)) return false;
  if (stableRS === undefined) return false;
  const canary = rollout.spec?.strategy?.canary;
  if (canary?.trafficRouting !== undefined) {
    if (canary.dynamicStableScale === true || stableRS === newRS) return true;
    return target.stable === specReplicas(stableRS) && target.stable === (stableRS.status?.replicas ?? 0);
  }
  if (
    stableRS !== newRS &&
    (target.stable !== specReplicas(stableRS) || target.stable !== availableReplicas(stableRS))
  )
    return false;
  return sumOf(sets.olderRSs, availableReplicas) === 0;
}

/**
 * The scale changes for this reconcile; empty when every ReplicaSet already has its size. With `now`
 * (epoch ms), an aborted traffic-routed canary waits for its `scale-down-deadline` (abort-scale-down.ts).
 */
export function planScaling(
  rollout: Rollout,
  sets: ClassifiedReplicaSets,
  weight: number,
  promoteFull: boolean,
  now?: number,
  referencedHashes: ReadonlySet<string> = new Set(),
): ScaleIntent[] {
  const intents: ScaleIntent[] = [];
  const { newRS, stableRS } = sets;
  const target = targetReplicas(rollout, sets, weight, promoteFull);
  const abortHold =
    now === undefined || newRS === undefined || target.canary >= specReplicas(newRS)
      ? undefined
      : planAbortedCanaryScaleDown(rollout, sets, now);
  if (abortHold?.kind === 'hold') {
    if (abortHold.deadline !== undefined && newRS !== undefined)
      intents.push({
        type: 'scale',
        replicaSet: newRS,
        role: 'canary',
        from: specReplicas(newRS),
        to: specReplicas(newRS),
        scaleDownDeadline: abortHold.deadline,
      });
  } else if (newRS !== undefined && specReplicas(newRS) !== target.canary) {
    intents.push({
      type: 'scale',
      replicaSet: newRS,
      role: 'canary',
      from: specReplicas(newRS),
      to: target.canary,
    });
  }
  if (stableRS !== undefined && stableRS !== newRS && specReplicas(stableRS) !== target.stable) {
    intents.push({
      type: 'scale',
      replicaSet: stableRS,
      role: 'stable',
      from: specReplicas(stableRS),
      to: target.stable,
    });
  }
  // Argo's removeScaleDownDeadlines: no deadline stays on the canary or stable once nothing is aborted
  if (now !== undefined && rollout.status?.abort !== true) {
    for (const [rs, role] of [
      [newRS, 'canary'],
      [stableRS, 'stable'],
    ] as const) {
      if (rs === undefined || scaleDownDeadlineOf(rs) === undefined) continue;
      const at = intents.findIndex((i) => i.replicaSet === rs);
      const existing = intents[at];
      if (existing !== undefined) intents[at] = { ...existing, scaleDownDeadline: null };
      else
        intents.push({
          type: 'scale',
          replicaSet: rs,
          role,
          from: specReplicas(rs),
          to: specReplicas(rs),
          scaleDownDeadline: null,
        });
    }
  }
  intents.push(
    ...(rollout.spec?.strategy?.canary?.trafficRouting !== undefined && now !== undefined
      ? planRoutedOlderScaleDown(rollout, sets, now, referencedHashes).intents
      : planOlderScaleDown(rollout, sets)),
  );
  return intents;
}

/** When the aborted canary's scale-down deadline passes (epoch ms), for the reconcile requeue. */
export function abortScaleDownWakeup(
  rollout: Rollout,
  sets: ClassifiedReplicaSets,
  weight: number,
  now: number,
): number | undefined {
  const { newRS } = sets;
  if (newRS === undefined) return undefined;
  if (targetReplicas(rollout, sets, weight, false).canary >= specReplicas(newRS)) return undefined;
  const plan = planAbortedCanaryScaleDown(rollout, sets, now);
  return plan.kind === 'hold' ? plan.wakeAt : undefined;
}

/** Argo's minimum available pods budget: available pods above replicas − maxUnavailable. */
function scaleDownBudget(rollout: Rollout, sets: ClassifiedReplicaSets): number {
  const replicas = rollout.spec?.replicas ?? 1;
  const canary = rollout.spec?.strategy?.canary;
  const maxUnavailable = resolveMaxUnavailable(
    replicas,
    canary?.maxSurge ?? '25%',
    canary?.maxUnavailable ?? '25%',
  );
  const all = [sets.newRS, sets.stableRS === sets.newRS ? undefined : sets.stableRS, ...sets.olderRSs].filter(
    (rs): rs is ReplicaSet => rs !== undefined,
  );
  return sumOf(all, availableReplicas) - (replicas - maxUnavailable);
}

/**
 * The pod hashes a traffic-routed canary still points at (Argo's isReplicaSetReferenced): the stable and
 * current hashes, the weights' destinations and what the Services select (`serviceHashes`).
 */
function referencedBy(rollout: Rollout, serviceHashes: ReadonlySet<string>): Set<string> {
  const status = rollout.status;
  const weights = status?.canary?.weights;
  return new Set(
    [
      status?.stableRS,
      status?.currentPodHash,
      status?.blueGreen?.activeSelector,
      status?.blueGreen?.previewSelector,
      weights?.canary.podTemplateHash,
      weights?.stable.podTemplateHash,
      ...serviceHashes,
    ].filter((h): h is string => h !== undefined && h !== ''),
  );
}

/**
 * Older ReplicaSets of a traffic-routed canary (Argo's scaleDownOldReplicaSetsForCanary), newest first
 * within the availability budget: a ReplicaSet something still points at is left alone; once the Rollout is
 * fully promoted (or one already carries a deadline) the previous stable keeps its pods until a
 * `scale-down-deadline` `scaleDownDelaySeconds` (30) ahead, at most `scaleDownDelayRevisionLimit` of them
 * (with `dynamicStableScale` it goes at once); an intermediate ReplicaSet of an interrupted update goes at
 * once. `requeueAt`: the earliest deadline to look again at.
 */
export function planRoutedOlderScaleDown(
  rollout: Rollout,
  sets: ClassifiedReplicaSets,
  now: number,
  serviceHashes: ReadonlySet<string> = new Set(),
): { readonly intents: ScaleIntent[]; readonly requeueAt?: number } {
  let budget = scaleDownBudget(rollout, sets);
  if (budget <= 0) return { intents: [] };
  const canary = rollout.spec?.strategy?.canary;
  const referenced = referencedBy(rollout, serviceHashes);
  const fullyPromoted =
    rollout.status?.stableRS !== undefined && rollout.status.stableRS === rollout.status.currentPodHash;
  const older = [...sets.olderRSs]
    .filter((rs) => !referenced.has(podHashOf(rs)))
    .sort((a, b) => revisionOf(b) - revisionOf(a));
  const delayed = (rs: ReplicaSet) =>
    canary?.dynamicStableScale !== true && (fullyPromoted || scaleDownDeadlineOf(rs) !== undefined);
  const delay = planScaleDownDelay({
    replicaSets: older
      .filter((rs) => specReplicas(rs) > 0 && delayed(rs))
      .map((rs) => ({
        ref: rs,
        revision: revisionOf(rs),
        replicas: specReplicas(rs),
        ...(scaleDownDeadlineOf(rs) !== undefined && { deadline: scaleDownDeadlineOf(rs) }),
      })),
    delaySeconds: canary?.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS,
    ...(canary?.scaleDownDelayRevisionLimit !== undefined && {
      revisionLimit: canary.scaleDownDelayRevisionLimit,
    }),
    keepReplicas: (rs) => rs.replicas,
    now,
  });
  const verdicts = new Map(delay.verdicts.map((v) => [v.ref, v]));
  const intents: ScaleIntent[] = [];
  const wakeups: number[] = [];
  for (const rs of older) {
    if (budget <= 0) break;
    const current = specReplicas(rs);
    if (current === 0) continue;
    const verdict = verdicts.get(rs);
    const to = verdict === undefined || verdict.kind === 'scaleDown' ? 0 : verdict.replicas;
    if (verdict?.kind === 'annotate') {
      intents.push({
        type: 'scale',
        replicaSet: rs,
        role: 'older',
        from: current,
        to,
        scaleDownDeadline: verdict.deadline,
      });
      wakeups.push(Date.parse(verdict.deadline));
    } else if (verdict?.kind === 'wait') wakeups.push(verdict.wakeAt);
    if (to === current) continue;
    if (verdict?.kind !== 'annotate')
      intents.push({ type: 'scale', replicaSet: rs, role: 'older', from: current, to });
    budget -= current - to;
  }
  return { intents, ...(wakeups.length > 0 && { requeueAt: Math.min(...wakeups) }) };
}

/** Scale older ReplicaSets towards 0, oldest first, keeping replicas − maxUnavailable available. */
function planOlderScaleDown(rollout: Rollout, sets: ClassifiedReplicaSets): ScaleIntent[] {
  const older = [...sets.olderRSs]
    .filter((rs) => specReplicas(rs) > 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  if (older.length === 0) return [];
  let budget = scaleDownBudget(rollout, sets);
  const intents: ScaleIntent[] = [];
  for (const rs of older) {
    const current = specReplicas(rs);
    // pods that are not available can go without reducing availability
    const unavailable = Math.max(0, current - availableReplicas(rs));
    const down = Math.min(current, unavailable + Math.max(0, budget));
    if (down <= 0) continue;
    budget -= Math.max(0, down - unavailable);
    intents.push({ type: 'scale', replicaSet: rs, role: 'older', from: current, to: current - down });
  }
  return intents;
}
