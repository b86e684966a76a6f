import { promoteRollout } from '../../rollouts/index.js';
import { booleanOption, type Command, ExitCode } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { NAMESPACE_OPTION, rolloutRef } from './rollout-common.js';

export const rolloutPromoteCommand: Command = {
  path: ['rollout', 'promote'],
  summary: 'Promote a paused Rollout to its next step (--full: skip all steps and analysis)',
  usage: 'NAME',
  options: {
    ...NAMESPACE_OPTION,
    full: { type: 'boolean', description: 'go straight to 100% (status.promoteFull)' },
    'skip-current-step': { type: 'boolean', description: 'skip the current step' },
    'skip-all-steps': { type: 'boolean', description: 'skip every remaining step' },
  },
  async run(args) {
    const ref = rolloutRef(args);
    const client = clientFromArgs(args);
    try {
      await promoteRollout(client, ref, {
        full: booleanOption(args, 'full'),
        skipCurrentStep: booleanOption(args, 'skip-current-step'),
        skipAllSteps: booleanOption(args, 'skip-all-steps'),
      });
      process.stdout.write(
        `rollout '${ref.name}' ${booleanOption(args, 'full') ? 'fully promoted' : 'promoted'}\n`,
      );
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
