/**
 * TEMPORARY stand-in for `calculateTrafficRoutedCanaryReplicas` (another helper adds the real one to
 * replicas.ts, agreeing with Argo's CalculateReplicaCountsForTrafficRoutedCanary). The lead deletes this
 * file at merge and points scaling.ts at replicas.ts. Only the plain cases: the canary is sized from the
 * setCanaryScale or the weight, the stable stays fully scaled (no dynamicStableScale).
 */
import { type BasicCanaryInput, type CanaryReplicaCounts, trafficWeightToReplicas } from '../replicas.js';
import type { SetCanaryScale } from '../types.js';

export interface TrafficRoutedCanaryInput extends BasicCanaryInput {
  readonly setCanaryScale?: SetCanaryScale;
  readonly dynamicStableScale?: boolean;
  readonly abort?: boolean;
  readonly abortScaleDownDelaySeconds?: number;
}

export function calculateTrafficRoutedCanaryReplicas(input: TrafficRoutedCanaryInput): CanaryReplicaCounts {
  const { replicas } = input;
  if (input.promoteFull || input.newIsStable)
    return { canary: replicas, stable: input.newIsStable ? 0 : replicas };
  const scale = input.setCanaryScale;
  const canary =
    scale?.replicas !== undefined
      ? scale.replicas
      : trafficWeightToReplicas(replicas, scale?.weight !== undefined ? scale.weight : input.weight);
  return { canary, stable: replicas };
}
