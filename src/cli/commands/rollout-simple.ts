import type { KubeClient } from '../../kube/index.js';
import {
  abortRollout,
  pauseRollout,
  restartRollout,
  resumeRollout,
  retryRollout,
} from '../../rollouts/index.js';
import { type Command, ExitCode } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { NAMESPACE_OPTION, rolloutRef } from './rollout-common.js';

type Action = (client: KubeClient, ref: { namespace: string; name: string }) => Promise<unknown>;

function simple(word: string, summary: string, done: string, action: Action): Command {
  return {
    path: ['rollout', word],
    summary,
    usage: 'NAME',
    options: { ...NAMESPACE_OPTION },
    async run(args) {
      const ref = rolloutRef(args);
      const client = clientFromArgs(args);
      try {
        await action(client, ref);
        process.stdout.write(`rollout '${ref.name}' ${done}\n`);
        return ExitCode.Ok;
      } finally {
        client.close();
      }
    },
  };
}

export const rolloutAbortCommand = simple(
  'abort',
  'Abort a Rollout: scale the canary away, back to stable',
  'aborted',
  abortRollout,
);
export const rolloutRetryCommand = simple(
  'retry',
  'Retry an aborted Rollout from its first step',
  'retried',
  retryRollout,
);
export const rolloutPauseCommand = simple('pause', 'Pause a Rollout (spec.paused)', 'paused', pauseRollout);
export const rolloutResumeCommand = simple(
  'resume',
  'Resume a manually paused Rollout',
  'resumed',
  resumeRollout,
);
export const rolloutRestartCommand = simple(
  'restart',
  'Restart the pods of a Rollout (spec.restartAt), at most maxUnavailable at a time',
  'restarts',
  (client, ref) => restartRollout(client, ref, Date.now()),
);
