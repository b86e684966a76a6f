import { setRolloutImage } from '../../rollouts/index.js';
import { type Command, ExitCode, UsageError } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { exactPositionals, NAMESPACE_OPTION, namespaceOf } from './rollout-common.js';

export const rolloutSetImageCommand: Command = {
  path: ['rollout', 'set-image'],
  summary: 'Update a container image of a Rollout (CONTAINER=IMAGE; * for every container)',
  usage: 'NAME CONTAINER=IMAGE',
  options: { ...NAMESPACE_OPTION },
  async run(args) {
    const [name = '', pair = ''] = exactPositionals(args, ['NAME', 'CONTAINER=IMAGE']);
    const [container, image, ...rest] = pair.split('=');
    if (!container || !image || rest.length > 0)
      throw new UsageError(`expected CONTAINER=IMAGE with exactly one "=", got ${JSON.stringify(pair)}`);
    const client = clientFromArgs(args);
    try {
      const written = await setRolloutImage(
        client,
        { namespace: namespaceOf(args, client), name },
        container,
        image,
      );
      const kind = (written.kind ?? 'Rollout').toLowerCase();
      process.stdout.write(`${kind} "${written.metadata.name ?? name}" image updated\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
