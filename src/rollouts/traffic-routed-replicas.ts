/**
 * Replica math of a traffic-routed canary: the traffic router splits the traffic, so the canary is
 * sized from the weight (or an explicit setCanaryScale) and the stable stays fully scaled unless
 * `dynamicStableScale` is on. Pure: plain numbers in, plain numbers out. Results are identical to
 * Argo Rollouts' `CalculateReplicaCountsForTrafficRoutedCanary` with its helpers
 * `GetCanaryReplicasOrWeight`, `GetDesiredCanaryWeight`, `UseSetCanaryScale` and
 * `CheckMinPodsPerReplicaSet` (utils/replicaset/canary.go), including `maxTrafficWeight`.
 */
import type { BasicCanaryInput, CanaryReplicaCounts } from './replicas.js';

export interface SetCanaryScaleInput {
  readonly weight?: number;
  readonly replicas?: number;
  readonly matchTrafficWeight?: boolean;
}

/**
 * `calculateBasicCanaryReplicas`' input plus what the traffic-routed math reads. Of the basic fields,
 * `maxSurge`, `maxUnavailable` and `older` are not read (Argo's traffic-routed math ignores them);
 * `canary` and `stable` are read only while aborted with `dynamicStableScale`.
 */
export interface TrafficRoutedCanaryInput extends BasicCanaryInput {
  /**
   * The setWeight in effect (Argo's `GetCurrentSetWeight`: the nearest setWeight at or before the
   * current step, 0 if none, `maxTrafficWeight` after the last step). Taken as 0 while aborted.
   */
  readonly weight: number;
  /**
   * The setCanaryScale of the nearest step at or before the current step that has one (undefined
   * after the last step). Ignored when it sets `matchTrafficWeight`, and while aborted unless
   * `abortScaleDownDelaySeconds` is 0.
   */
  readonly setCanaryScale?: SetCanaryScaleInput;
  /** `spec.strategy.canary.dynamicStableScale`. */
  readonly dynamicStableScale?: boolean;
  /** `status.abort`. */
  readonly abort?: boolean;
  /** `spec.strategy.canary.abortScaleDownDelaySeconds` (unset means Argo's default, 30). */
  readonly abortScaleDownDelaySeconds?: number;
  /** `spec.strategy.canary.trafficRouting.maxTrafficWeight`; defaults to 100. */
  readonly maxTrafficWeight?: number;
  /** `spec.strategy.canary.minPodsPerReplicaSet`. */
  readonly minPodsPerReplicaSet?: number;
  /** `status.canary.weights`: the weights the router was last set to, when known. */
  readonly trafficWeights?: { readonly canary: number; readonly stable: number };
  /** Every step's setWeight, in order (only read while aborted with `dynamicStableScale`). */
  readonly steps?: readonly { readonly setWeight?: number }[];
}

/** Argo's `GetCanaryReplicasOrWeight`: an explicit canary size, or the weight to size the canary from. */
export type CanaryReplicasOrWeight =
  | { readonly replicas: number; readonly weight: 0 }
  | { readonly replicas?: undefined; readonly weight: number };

/** Replicas needed to carry `weight` of `maxWeight` traffic, rounded up (Argo's `trafficWeightToReplicas`). */
export function trafficWeightToReplicas(replicas: number, weight: number, maxWeight = 100): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

/** Argo's `UseSetCanaryScale` once the step in effect is known. */
function setCanaryScaleInEffect(input: TrafficRoutedCanaryInput): SetCanaryScaleInput | undefined {
  const scale = input.setCanaryScale;
  if (scale === undefined || scale.matchTrafficWeight) return undefined;
  // Aborted: only abortScaleDownDelaySeconds: 0 leaves the canary at its explicit scale.
  if (input.abort && input.abortScaleDownDelaySeconds !== 0) return undefined;
  return scale;
}

/**
 * Argo's `GetDesiredCanaryWeight`: the setWeight, except while aborted with dynamicStableScale, where
 * the canary steps back down through the earlier setWeights as the stable becomes available.
 */
function desiredCanaryWeight(input: TrafficRoutedCanaryInput, maxWeight: number): number {
  const { canary, stable } = input;
  if (input.abort && input.dynamicStableScale && canary !== undefined && stable !== undefined) {
    const expectedCanary = input.replicas - stable.availableReplicas;
    const canaryReplicas = Math.max(expectedCanary, canary.availableReplicas);
    const steps = input.steps ?? [];
    for (let i = steps.length - 1; i >= 0; i--) {
      const weight = steps[i]?.setWeight;
      if (weight === undefined) continue;
      if (trafficWeightToReplicas(input.replicas, weight, maxWeight) < canaryReplicas) return weight;
    }
    return 0;
  }
  return input.abort ? 0 : input.weight;
}

/**
 * Argo's `GetCanaryReplicasOrWeight` for a traffic-routed canary: the full weight on full promotion
 * or when the desired pod template is stable (`newIsStable`, also meaning "no stable yet"); else an
 * explicit setCanaryScale (replicas before weight); else the desired weight.
 */
export function canaryReplicasOrWeight(input: TrafficRoutedCanaryInput): CanaryReplicasOrWeight {
  const maxWeight = input.maxTrafficWeight ?? 100;
  if (input.promoteFull || input.newIsStable) return { weight: maxWeight };
  const scale = setCanaryScaleInEffect(input);
  if (scale?.replicas !== undefined) return { replicas: scale.replicas, weight: 0 };
  if (scale?.weight !== undefined) return { weight: scale.weight };
  return { weight: desiredCanaryWeight(input, maxWeight) };
}

/** Argo's `CheckMinPodsPerReplicaSet`: a non-zero size is at least minPodsPerReplicaSet (capped at replicas). */
function atLeastMinPods(input: TrafficRoutedCanaryInput, count: number): number {
  if (count === 0 || input.minPodsPerReplicaSet === undefined) return count;
  return Math.max(count, Math.min(input.minPodsPerReplicaSet, input.replicas));
}

/**
 * The canary and stable ReplicaSet sizes of a traffic-routed canary. The canary carries its weight
 * (or its explicit setCanaryScale); the stable keeps `replicas` unless `dynamicStableScale`, where it
 * is sized from the larger of its desired and its current traffic share, and an aborted canary keeps
 * the pods its current traffic needs. Identical to Argo's `CalculateReplicaCountsForTrafficRoutedCanary`.
 */
export function calculateTrafficRoutedCanaryReplicas(input: TrafficRoutedCanaryInput): CanaryReplicaCounts {
  const { replicas } = input;
  const maxWeight = input.maxTrafficWeight ?? 100;
  const desired = canaryReplicasOrWeight(input);
  let canary =
    desired.replicas !== undefined
      ? desired.replicas
      : atLeastMinPods(input, trafficWeightToReplicas(replicas, desired.weight, maxWeight));
  if (!input.dynamicStableScale) return { canary, stable: replicas };

  let stable = trafficWeightToReplicas(replicas, maxWeight - desired.weight, maxWeight);
  const current = input.trafficWeights;
  if (current !== undefined) {
    stable = Math.max(stable, trafficWeightToReplicas(replicas, current.stable, maxWeight));
    // Aborted: the canary keeps the pods its remaining traffic needs until the router moved it back.
    if (input.abort) canary = Math.max(canary, trafficWeightToReplicas(replicas, current.canary, maxWeight));
  }
  return { canary: atLeastMinPods(input, canary), stable: atLeastMinPods(input, stable) };
}
