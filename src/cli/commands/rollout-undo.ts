import { setRolloutImage, undoRollout } from '../../rollouts/index.js';
import { type Command, ExitCode, stringOption, UsageError } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { NAMESPACE_OPTION, rolloutRef } from './rollout-common.js';

export const rolloutUndoCommand: Command = {
  path: ['rollout', 'undo'],
  summary: 'Roll back to the previous revision (or --to-revision N): a roll-forward to an older template',
  usage: 'NAME',
  options: { ...NAMESPACE_OPTION, 'to-revision': { type: 'string', description: 'revision to go back to' } },
  async run(args) {
    const ref = rolloutRef(args);
    const to = Number(stringOption(args, 'to-revision') ?? '0');
    if (!Number.isInteger(to) || to < 0) throw new UsageError('--to-revision takes a revision number');
    const client = clientFromArgs(args);
    try {
      await undoRollout(client, ref, to);
      process.stdout.write(`rollout '${ref.name}' undo\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};

export const rolloutSetImageCommand: Command = {
  path: ['rollout', 'set-image'],
  summary: 'Update a container image of a Rollout (CONTAINER=IMAGE; * for every container)',
  usage: 'NAME CONTAINER=IMAGE',
  options: { ...NAMESPACE_OPTION },
  async run(args) {
    const ref = rolloutRef(args);
    const pair = args.positionals[1] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new UsageError('expected CONTAINER=IMAGE');
    const client = clientFromArgs(args);
    try {
      await setRolloutImage(client, ref, pair.slice(0, eq), pair.slice(eq + 1));
      process.stdout.write(`rollout '${ref.name}' image updated\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
