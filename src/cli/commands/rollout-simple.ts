import { parseGoDuration } from '../../go/index.js';
import {
  abortRollout,
  pauseRollout,
  restartRollout,
  resumeRollout,
  retryRollout,
} from '../../rollouts/index.js';
import { type Command, ExitCode, stringOption, UsageError } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import {
  exactPositionals,
  forEachRollout,
  NAMESPACE_OPTION,
  namespaceOf,
  type RolloutRef,
  rolloutNames,
} from './rollout-common.js';

type Action = typeof abortRollout;

/** A command that sends one fixed patch to each named Rollout. */
function perRollout(word: string, summary: string, done: string, action: Action): Command {
  return {
    path: ['rollout', word],
    summary,
    usage: 'NAME...',
    options: { ...NAMESPACE_OPTION },
    async run(args) {
      const names = rolloutNames(args);
      const client = clientFromArgs(args);
      const refs = names.map((name) => ({ namespace: namespaceOf(args, client), name }));
      try {
        await forEachRollout(refs, (ref: RolloutRef) => action(client, ref), done);
        return ExitCode.Ok;
      } finally {
        client.close();
      }
    },
  };
}

export const rolloutAbortCommand = perRollout(
  'abort',
  'Abort a Rollout: back to the stable ReplicaSet (status.abort)',
  'aborted',
  abortRollout,
);
export const rolloutRetryCommand = perRollout(
  'retry',
  'Retry an aborted Rollout from its first step',
  'retried',
  retryRollout,
);
export const rolloutPauseCommand = perRollout(
  'pause',
  'Pause a Rollout (spec.paused)',
  'paused',
  pauseRollout,
);
export const rolloutResumeCommand = perRollout(
  'resume',
  'Undo "rollout pause" (clears spec.paused only; to leave a pause step, promote)',
  'resumed',
  resumeRollout,
);

export const rolloutRestartCommand: Command = {
  path: ['rollout', 'restart'],
  summary: 'Restart the pods of a Rollout (spec.restartAt), at most maxUnavailable at a time',
  usage: 'NAME',
  options: {
    ...NAMESPACE_OPTION,
    in: { type: 'string', short: 'i', description: 'restart after this long (e.g. 30s, 5m, 1h)' },
  },
  async run(args) {
    const [name = ''] = exactPositionals(args, ['NAME']);
    const delay = stringOption(args, 'in');
    let delayMs = 0;
    if (delay !== undefined) {
      const parsed = parseGoDuration(delay);
      if (!parsed.ok)
        throw new UsageError(`--in ${JSON.stringify(delay)}: ${parsed.reason}; use e.g. 30s, 5m, 1h`);
      delayMs = Number(parsed.nanos) / 1e6;
    }
    const client = clientFromArgs(args);
    try {
      await restartRollout(client, { namespace: namespaceOf(args, client), name }, Date.now(), delayMs);
      process.stdout.write(`rollout '${name}' restarts in ${delay ?? '0s'}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
