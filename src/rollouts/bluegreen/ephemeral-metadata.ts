/** previewMetadata / activeMetadata: the blue-green names of the new and the stable ReplicaSet's ephemeral metadata. */
import type { EphemeralMetadataRoles } from '../strategies/strategy.js';
import type { Rollout } from '../types.js';

export function blueGreenEphemeralMetadata(rollout: Rollout): EphemeralMetadataRoles {
  const blueGreen = rollout.spec?.strategy?.blueGreen;
  return {
    ...(blueGreen?.previewMetadata !== undefined && { new: blueGreen.previewMetadata }),
    ...(blueGreen?.activeMetadata !== undefined && { stable: blueGreen.activeMetadata }),
  };
}

/** Argo's MaxUnavailable for blue-green: `maxUnavailable` (default 25%) rounded down, at most the replicas. */
export function blueGreenRestartMaxUnavailable(rollout: Rollout): number {
  const replicas = rollout.spec?.replicas ?? 1;
  const value = rollout.spec?.strategy?.blueGreen?.maxUnavailable ?? '25%';
  const resolved =
    typeof value === 'number'
      ? value
      : /^\d+%$/.test(value)
        ? Math.floor((Number.parseInt(value, 10) * replicas) / 100)
        : Number.parseInt(value, 10) || 0;
  return Math.min(resolved, replicas);
}
