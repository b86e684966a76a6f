import { undoRollout } from '../../rollouts/index.js';
import { type Command, ExitCode, stringOption, UsageError } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { exactPositionals, NAMESPACE_OPTION, namespaceOf } from './rollout-common.js';

export const rolloutUndoCommand: Command = {
  path: ['rollout', 'undo'],
  summary: 'Roll back to the previous revision (or --to-revision N): a roll-forward to an older template',
  usage: 'NAME',
  options: {
    ...NAMESPACE_OPTION,
    'to-revision': { type: 'string', description: 'revision to go back to (default: the previous one)' },
  },
  async run(args) {
    const [name = ''] = exactPositionals(args, ['NAME']);
    const text = stringOption(args, 'to-revision') ?? '0';
    if (!/^\d+$/.test(text))
      throw new UsageError('--to-revision takes a revision number (0: the previous one)');
    const client = clientFromArgs(args);
    try {
      const done = await undoRollout(client, { namespace: namespaceOf(args, client), name }, Number(text));
      process.stdout.write(
        done.kind === 'skip'
          ? `skipped rollback (current template already matches revision ${done.revision})\n`
          : `rollout '${name}' undo\n`,
      );
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
