import { checkPromoteOptions, promoteRollout } from '../../rollouts/index.js';
import { booleanOption, type Command, ExitCode } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { exactPositionals, NAMESPACE_OPTION, namespaceOf } from './rollout-common.js';

const DEPRECATED: Readonly<Record<string, string>> = {
  'skip-current-step': 'promote without flags moves to the next step',
  'skip-all-steps': 'use --full',
};

export const rolloutPromoteCommand: Command = {
  path: ['rollout', 'promote'],
  summary: 'Promote a Rollout to its next step (--full: straight to 100%, skipping steps and analysis)',
  usage: 'NAME',
  options: {
    ...NAMESPACE_OPTION,
    full: { type: 'boolean', description: 'go straight to 100%, skipping steps, pauses and analysis' },
    'skip-current-step': {
      type: 'boolean',
      short: 'c',
      description: 'deprecated: skip the current step (status.currentStepIndex + 1)',
    },
    'skip-all-steps': {
      type: 'boolean',
      short: 'a',
      description: 'deprecated: skip every remaining step (use --full)',
    },
  },
  async run(args) {
    const [name = ''] = exactPositionals(args, ['NAME']);
    const options = {
      full: booleanOption(args, 'full'),
      skipCurrentStep: booleanOption(args, 'skip-current-step'),
      skipAllSteps: booleanOption(args, 'skip-all-steps'),
    };
    checkPromoteOptions(options);
    for (const [flag, instead] of Object.entries(DEPRECATED))
      if (booleanOption(args, flag)) process.stderr.write(`--${flag} is deprecated: ${instead}\n`);
    const client = clientFromArgs(args);
    try {
      await promoteRollout(client, { namespace: namespaceOf(args, client), name }, options);
      process.stdout.write(`rollout '${name}' ${options.full ? 'fully promoted' : 'promoted'}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
