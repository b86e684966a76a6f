import { type Command, ExitCode } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { APP_OPTIONS, appRef, getApp } from './app-common.js';

export const appHistoryCommand: Command = {
  path: ['app', 'history'],
  summary: 'List the deployments of an Application (status.history)',
  usage: 'NAME',
  options: APP_OPTIONS,
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const app = await getApp(client, appRef(args));
      process.stdout.write('ID  DATE                  REVISION\n');
      for (const h of app.status?.history ?? [])
        process.stdout.write(`${String(h.id).padEnd(3)} ${h.deployedAt.padEnd(21)} ${h.revision}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
