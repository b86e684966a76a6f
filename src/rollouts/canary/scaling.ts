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
  type ReplicaSet,
  revisionOf,
  specReplicas,
  sumOf,
} from '../replica-sets/replica-sets.js';
import {
  calculateBasicCanaryReplicas,
  calculateTrafficRoutedCanaryReplicas,
  resolveMaxUnavailable,
} from '../replicas.js';
import type { ScaleIntent } from '../strategies/actions.js';
import type { Rollout } from '../types.js';
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

/** Argo's AtDesiredReplicaCountsForCanary (basic canary): sizes and availability match the target. */
export function isAtDesiredReplicas(rollout: Rollout, sets: ClassifiedReplicaSets, weight: number): boolean {
  const { newRS, stableRS } = sets;
  if (newRS === undefined) return false;
  const target = targetReplicas(rollout, sets, weight, false);
  if (target.canary !== specReplicas(newRS) || target.canary !== availableReplicas(newRS)) return false;
  if (stableRS === undefined) return false;
  if (
    stableRS !== newRS &&
    (target.stable !== specReplicas(stableRS) || target.stable !== availableReplicas(stableRS))
  )
    return false;
  return sumOf(sets.olderRSs, availableReplicas) === 0;
}

/** The scale changes for this reconcile; empty when every ReplicaSet already has its size. */
export function planScaling(
  rollout: Rollout,
  sets: ClassifiedReplicaSets,
  weight: number,
  promoteFull: boolean,
): ScaleIntent[] {
  const intents: ScaleIntent[] = [];
  const { newRS, stableRS } = sets;
  const target = targetReplicas(rollout, sets, weight, promoteFull);
  if (newRS !== undefined && specReplicas(newRS) !== target.canary) {
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
  intents.push(...planOlderScaleDown(rollout, sets));
  return intents;
}

/** Scale older ReplicaSets towards 0, oldest first, keeping replicas − maxUnavailable available. */
function planOlderScaleDown(rollout: Rollout, sets: ClassifiedReplicaSets): ScaleIntent[] {
  const older = [...sets.olderRSs]
    .filter((rs) => specReplicas(rs) > 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  if (older.length === 0) return [];
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
  const available = sumOf(all, availableReplicas);
  let budget = available - (replicas - maxUnavailable);
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
