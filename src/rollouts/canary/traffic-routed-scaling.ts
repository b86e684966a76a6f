/**
 * The traffic-routed canary's target sizes from a Rollout and its ReplicaSets: reads what Argo's
 * `CalculateReplicaCountsForTrafficRoutedCanary` reads (steps, status, `status.canary.weights`) into
 * `calculateTrafficRoutedCanaryReplicas`' plain input. Pure.
 */
import { availableReplicas, type ClassifiedReplicaSets, specReplicas } from '../replica-sets/replica-sets.js';
import {
  type CanaryReplicaCounts,
  calculateTrafficRoutedCanaryReplicas,
  type TrafficRoutedCanaryInput,
} from '../replicas.js';
import type { Rollout } from '../types.js';
import { currentSetCanaryScale, currentSetWeight } from './steps.js';

const counts = (rs: ClassifiedReplicaSets['newRS']) =>
  rs === undefined ? undefined : { replicas: specReplicas(rs), availableReplicas: availableReplicas(rs) };

/** `calculateTrafficRoutedCanaryReplicas`' input for this Rollout (`sets` as classified this reconcile). */
export function trafficRoutedReplicaInput(
  rollout: Rollout,
  sets: Pick<ClassifiedReplicaSets, 'newRS' | 'stableRS'>,
): TrafficRoutedCanaryInput {
  const canary = rollout.spec?.strategy?.canary;
  const status = rollout.status ?? {};
  const weights = status.canary?.weights;
  const scale = currentSetCanaryScale(rollout);
  const newCounts = counts(sets.newRS);
  const stableCounts = counts(sets.stableRS);
  const maxWeight = canary?.trafficRouting?.maxTrafficWeight;
  return {
    replicas: rollout.spec?.replicas ?? 1,
    weight: currentSetWeight(rollout),
    ...(scale !== undefined && { setCanaryScale: scale }),
    dynamicStableScale: canary?.dynamicStableScale === true,
    abort: status.abort === true,
    ...(canary?.abortScaleDownDelaySeconds !== undefined && {
      abortScaleDownDelaySeconds: canary.abortScaleDownDelaySeconds,
    }),
    ...(maxWeight !== undefined && { maxTrafficWeight: maxWeight }),
    ...(canary?.minPodsPerReplicaSet !== undefined && { minPodsPerReplicaSet: canary.minPodsPerReplicaSet }),
    ...(weights !== undefined && {
      trafficWeights: { canary: weights.canary.weight, stable: weights.stable.weight },
    }),
    steps: canary?.steps ?? [],
    promoteFull: status.promoteFull === true,
    newIsStable: !status.stableRS || status.currentPodHash === status.stableRS,
    ...(newCounts && { canary: newCounts }),
    ...(stableCounts && { stable: stableCounts }),
  };
}

/** The canary and stable sizes Argo targets for a traffic-routed canary this reconcile. */
export function targetTrafficRoutedReplicas(
  rollout: Rollout,
  sets: Pick<ClassifiedReplicaSets, 'newRS' | 'stableRS'>,
): CanaryReplicaCounts {
  return calculateTrafficRoutedCanaryReplicas(trafficRoutedReplicaInput(rollout, sets));
}
