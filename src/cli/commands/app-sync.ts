import { booleanOption, type Command, ExitCode, stringOption } from '../command.js';
import { cliEnvironment } from '../environment.js';
import { clientFromArgs } from '../kube-options.js';
import { progress } from '../output.js';
import { APP_OPTIONS, appRef, getApp, patchApp } from './app-common.js';

/** Sets `operation` exactly as the argocd CLI does; the controller runs it. */
export const appSyncCommand: Command = {
  path: ['app', 'sync'],
  summary: 'Sync an Application (sets its operation field, as argocd app sync)',
  usage: 'NAME',
  options: {
    ...APP_OPTIONS,
    revision: { type: 'string', description: 'sync to this revision instead of the target' },
    prune: { type: 'boolean', description: 'delete resources no longer in Git' },
    'sync-option': {
      type: 'string',
      multiple: true,
      description: 'a sync option (CreateNamespace=true, ...)',
    },
    wait: { type: 'boolean', description: 'wait for the operation to finish' },
    timeout: { type: 'string', description: 'seconds to wait', default: '300' },
  },
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const ref = appRef(args);
      const revision = stringOption(args, 'revision');
      const opts = args.values['sync-option'];
      await patchApp(client, ref, {
        operation: {
          sync: {
            ...(revision && { revision }),
            prune: booleanOption(args, 'prune'),
            ...(Array.isArray(opts) && { syncOptions: opts }),
          },
          initiatedBy: { username: cliEnvironment().user ?? 'slipway-cli' },
        },
      });
      progress(`sync of ${ref.namespace}/${ref.name} requested`);
      if (!booleanOption(args, 'wait')) return ExitCode.Ok;
      const deadline = Date.now() + Number(stringOption(args, 'timeout') ?? '300') * 1000;
      while (Date.now() < deadline) {
        const app = await getApp(client, ref);
        const op = app.status?.operationState;
        if (!app.operation && op && op.phase !== 'Running') {
          process.stdout.write(`${op.phase}: ${op.message ?? ''}\n`);
          return op.phase === 'Succeeded' ? ExitCode.Ok : ExitCode.Failure;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      progress('timed out waiting for the sync');
      return ExitCode.Failure;
    } finally {
      client.close();
    }
  },
};
