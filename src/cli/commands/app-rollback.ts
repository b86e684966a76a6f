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
      if (app.spec.syncPolicy?.automated)
        throw new UsageError('rollback cannot be used while automated sync is enabled');
      const history = app.status?.history ?? [];
      const id = args.positionals[1] !== undefined ? Number(args.positionals[1]) : history.at(-2)?.id;
      const entry = history.find((h) => h.id === id);
      if (!entry) throw new UsageError(`no history entry ${String(id)}; see slipway app history ${ref.name}`);
      await patchApp(client, ref, {
        operation: {
          sync: entry.revisions ? { revisions: entry.revisions } : { revision: entry.revision ?? '' },
          initiatedBy: { username: cliEnvironment().user ?? 'slipway-cli' },
        },
      });
      progress(
        `rollback of ${ref.namespace}/${ref.name} to ${entry.revision ?? (entry.revisions ?? []).join(',')} requested`,
      );
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
