/**
 * The canary strategy behind the strategy seam: `spec.strategy.canary`, decided by the canary machine.
 */
import { resolveMaxUnavailable } from '../replicas.js';
import type { RolloutStrategy } from '../strategies/strategy.js';
import type { Rollout } from '../types.js';
import { decideCanary } from './decide.js';
import { rolloutMachine } from './machine.js';

export const canaryStrategy: RolloutStrategy = {
  name: 'canary',
  machine: rolloutMachine,
  machineSource: 'src/rollouts/canary/machine.ts',
  matches: (rollout: Rollout) => rollout.spec?.strategy?.canary !== undefined,
  decide: decideCanary,
  serviceNames: (rollout: Rollout) => {
    const canary = rollout.spec?.strategy?.canary;
    return [canary?.stableService, canary?.canaryService].filter(
      (n): n is string => n !== undefined && n !== '',
    );
  },
  ephemeralMetadata: (rollout: Rollout) => {
    const canary = rollout.spec?.strategy?.canary;
    return {
      ...(canary?.canaryMetadata !== undefined && { new: canary.canaryMetadata }),
      ...(canary?.stableMetadata !== undefined && { stable: canary.stableMetadata }),
    };
  },
  restartMaxUnavailable: (rollout: Rollout) => {
    const canary = rollout.spec?.strategy?.canary;
    return resolveMaxUnavailable(
      rollout.spec?.replicas ?? 1,
      canary?.maxSurge ?? '25%',
      canary?.maxUnavailable ?? '25%',
    );
  },
};
