import { Manager } from '../../core/index.js';
import { startDashboard } from '../../dashboard/index.js';
import { createLogger, Metrics } from '../../observability/index.js';
import { booleanOption, type Command, ExitCode, stringOption } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { dashboardPortOption } from './controller.js';

export const dashboardCommand: Command = {
  path: ['dashboard'],
  summary: "Serve the web dashboard on localhost as the kubeconfig's user, until Ctrl-C",
  options: {
    port: { type: 'string', short: 'p', description: 'port to listen on (0 = any)', default: '3100' },
    namespace: { type: 'string', short: 'n', description: 'show only this namespace (default: all)' },
    'read-only': { type: 'boolean', description: 'show, but refuse every action' },
    'log-level': { type: 'string', description: 'trace, debug, info, warn or error', default: 'warn' },
  },
  async run(args) {
    const port = dashboardPortOption(stringOption(args, 'port') ?? '3100') ?? 3100;
    const namespace = stringOption(args, 'namespace');
    const logger = createLogger({ level: stringOption(args, 'log-level') ?? 'warn', format: 'pretty' });
    const manager = new Manager({
      client: clientFromArgs(args),
      logger,
      metrics: new Metrics(),
      watchCrds: false,
    });
    const server = await startDashboard(manager, {
      port,
      mode: 'kubeconfig',
      readOnly: booleanOption(args, 'read-only'),
      ...(namespace !== undefined && { namespace }),
    });
    await manager.start();
    process.stdout.write(`Slipway dashboard: ${server.url}\n`);
    return new Promise<number>((resolve) => {
      const stop = () => void manager.stop().then(() => resolve(ExitCode.Ok));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};
