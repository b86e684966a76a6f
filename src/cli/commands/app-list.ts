import { type Application, appSources } from '../../sync/index.js';
import { type Command, ExitCode, stringOption } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { formatTable, OUTPUT_OPTION, printIfRequested } from '../output.js';
import { APP_GVK, short } from './app-common.js';

export const appListCommand: Command = {
  path: ['app', 'list'],
  summary: 'List Applications with their sync and health status',
  options: {
    namespace: { type: 'string', short: 'n', description: 'namespace (default: all)' },
    ...OUTPUT_OPTION,
  },
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const ns = stringOption(args, 'namespace');
      const { items } = await client.listAll<Application>(APP_GVK, ns ? { namespace: ns } : {});
      if (printIfRequested(args, items)) return ExitCode.Ok;
      const rows = [['NAMESPACE', 'NAME', 'SYNC', 'HEALTH', 'REVISION', 'REPO', 'PATH']];
      for (const a of items) {
        rows.push([
          a.metadata.namespace ?? '',
          a.metadata.name ?? '',
          a.status?.sync?.status ?? 'Unknown',
          a.status?.health?.status ?? 'Unknown',
          a.status?.sync?.revision
            ? short(a.status.sync.revision)
            : (a.status?.sync?.revisions ?? []).map((r) => short(r)).join(',') || '-',
          // Argo CD lists a multi-source app by its first source.
          appSources(a)[0]?.repoURL ?? '',
          appSources(a)[0]?.path ?? '',
        ]);
      }
      process.stdout.write(`${formatTable(rows)}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
