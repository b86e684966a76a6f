/**
 * The status a reconcile commits: written once when it changed, with the fields the reconciler adds to
 * the strategy's decision (the referenced workload's generation, the weights the routers verified).
 */
import type { RolloutStatus } from '../types.js';
import type { RolloutExecutor } from './executor.js';
import type { RolloutObject } from './reconciler-options.js';

/** Writes status when it changed (undefined members dropped, as the API server would). */
export async function writeRolloutStatus(
  executor: RolloutExecutor,
  rollout: RolloutObject,
  status: RolloutStatus,
): Promise<void> {
  const clean = JSON.parse(JSON.stringify(status)) as RolloutStatus;
  await executor.writeStatus(rollout, clean);
}

/** `status.workloadObservedGeneration`: the referenced workload's generation; absent without one. */
export function withWorkloadGeneration(status: RolloutStatus, generation: string | undefined): RolloutStatus {
  const { workloadObservedGeneration: _previous, ...rest } = status;
  return generation === undefined ? rest : { ...rest, workloadObservedGeneration: generation };
}

/** `status.canary.weights.verified` as the routers reported it (absent when they cannot tell). */
export function withVerifiedWeights(status: RolloutStatus, verified: boolean | undefined): RolloutStatus {
  const weights = status.canary?.weights;
  if (weights === undefined) return status;
  const { verified: _previous, ...rest } = weights;
  return {
    ...status,
    canary: { ...status.canary, weights: verified === undefined ? rest : { ...rest, verified } },
  };
}
