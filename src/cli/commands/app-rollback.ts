import { historyRevision, planRollback, previousHistoryId } from '../../sync/index.js';
import { type Command, ExitCode, UsageError } from '../command.js';
import { cliEnvironment } from '../environment.js';
import { clientFromArgs } from '../kube-options.js';
import { progress } from '../output.js';
import { APP_OPTIONS, appRef, getApp, patchApp } from './app-common.js';

export const appRollbackCommand: Command = {
  path: ['app', 'rollback'],
  summary: 'Sync an Application back to a history entry (automated sync must be off, as in Argo CD)',
  usage: 'NAME [ID]',
  options: APP_OPTIONS,
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const ref = appRef(args);
      const app = await getApp(client, ref);
      const id = args.positionals[1] !== undefined ? Number(args.positionals[1]) : previousHistoryId(app);
      const plan = planRollback(app, id, cliEnvironment().user ?? 'slipway-cli');
      if (plan.kind === 'refused')
        throw new UsageError(
          plan.message.includes('does not have deployment')
            ? `${plan.message}; see slipway app history ${ref.name}`
            : plan.message,
        );
      await patchApp(client, ref, { operation: plan.operation });
      progress(`rollback of ${ref.namespace}/${ref.name} to ${historyRevision(plan.entry)} requested`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
