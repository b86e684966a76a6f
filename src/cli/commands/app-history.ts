import { type Command, ExitCode } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { formatTable, OUTPUT_OPTION, printIfRequested } from '../output.js';
import { APP_OPTIONS, appRef, getApp } from './app-common.js';

export const appHistoryCommand: Command = {
  path: ['app', 'history'],
  summary: 'List the deployments of an Application (status.history)',
  usage: 'NAME',
  options: { ...APP_OPTIONS, ...OUTPUT_OPTION },
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const app = await getApp(client, appRef(args));
      const history = app.status?.history ?? [];
      if (printIfRequested(args, history)) return ExitCode.Ok;
      const rows = [
        ['ID', 'DATE', 'REVISION'],
        ...history.map((h) => [String(h.id), h.deployedAt, h.revision ?? (h.revisions ?? []).join(',')]),
      ];
      process.stdout.write(`${formatTable(rows)}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
