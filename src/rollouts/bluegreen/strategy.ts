/**
 * The blue-green strategy behind the strategy seam: `spec.strategy.blueGreen`, decided by the blue-green
 * machine.
 */
import type { RolloutStrategy } from '../strategies/strategy.js';
import type { Rollout } from '../types.js';
import { withAntiAffinity } from './anti-affinity.js';
import { decideBlueGreen } from './decide.js';
import { blueGreenEphemeralMetadata, blueGreenRestartMaxUnavailable } from './ephemeral-metadata.js';
import { blueGreenMachine } from './machine.js';
import { blueGreenServiceError } from './service-references.js';

export const blueGreenStrategy: RolloutStrategy = {
  name: 'blueGreen',
  machine: blueGreenMachine,
  machineSource: 'src/rollouts/bluegreen/machine.ts',
  matches: (rollout: Rollout) => rollout.spec?.strategy?.blueGreen !== undefined,
  decide: decideBlueGreen,
  serviceNames: (rollout: Rollout) => {
    const blueGreen = rollout.spec?.strategy?.blueGreen;
    return [blueGreen?.activeService, blueGreen?.previewService].filter(
      (n): n is string => n !== undefined && n !== '',
    );
  },
  ephemeralMetadata: blueGreenEphemeralMetadata,
  restartMaxUnavailable: blueGreenRestartMaxUnavailable,
  serviceError: blueGreenServiceError,
  decorateReplicaSet: withAntiAffinity,
};
