import { Manager } from '../../core/index.js';
import { createLogger, Metrics } from '../../observability/index.js';
import { booleanOption, type Command, ExitCode, stringOption } from '../command.js';
import { controllerModules } from '../controller-modules.js';
import { clientFromArgs } from '../kube-options.js';

export const controllerCommand: Command = {
  path: ['controller'],
  summary: 'Run Slipway controllers (rollouts, analysis, sync, notifications) until SIGTERM',
  options: {
    namespace: { type: 'string', short: 'n', description: 'watch only this namespace (default: all)' },
    'leader-elect': { type: 'boolean', description: 'run controllers only while holding the leader Lease' },
    'leader-election-namespace': {
      type: 'string',
      description: 'namespace of the leader Lease',
      default: process.env.POD_NAMESPACE ?? 'slipway-system',
    },
    'metrics-port': {
      type: 'string',
      description: 'port for /metrics, /healthz, /readyz (0 = any)',
      default: '8080',
    },
    'log-level': { type: 'string', description: 'trace, debug, info, warn or error', default: 'info' },
    'log-format': { type: 'string', description: 'json or pretty', default: 'json' },
    'shutdown-timeout': {
      type: 'string',
      description: 'seconds to let in-flight reconciles finish',
      default: '10',
    },
  },
  async run(args) {
    const logger = createLogger({
      level: stringOption(args, 'log-level') ?? 'info',
      format: stringOption(args, 'log-format') === 'pretty' ? 'pretty' : 'json',
    });
    const metrics = new Metrics().collectProcessMetrics();
    const namespace = stringOption(args, 'namespace');
    const manager = new Manager({
      client: clientFromArgs(args),
      logger,
      metrics,
      probePort: Number(stringOption(args, 'metrics-port') ?? '8080'),
      shutdownDeadlineMs: Number(stringOption(args, 'shutdown-timeout') ?? '10') * 1000,
      component: 'slipway-controller',
      ...(booleanOption(args, 'leader-elect') && {
        leaderElection: {
          namespace: stringOption(args, 'leader-election-namespace') ?? 'slipway-system',
          name: 'slipway-controller',
        },
      }),
      onLeadershipLost: () => {
        logger.fatal('leadership lost; exiting so a fresh process can compete again');
        void manager.stop().finally(() => process.exit(1));
      },
    });
    for (const m of controllerModules) m.register(manager, { ...(namespace !== undefined && { namespace }) });
    const done = new Promise<number>((resolve) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'signal received');
        void manager.stop().then(() => resolve(ExitCode.Ok));
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
    await manager.start();
    logger.info(
      {
        controllers: controllerModules.map((m) => m.name),
        namespace: namespace ?? '*',
        metricsPort: manager.probePort,
      },
      'controller started',
    );
    return done;
  },
};
