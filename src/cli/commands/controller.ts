import { type ClusterShardingAlgorithm, type KeyShardingAlgorithm, Manager } from '../../core/index.js';
import { createLogger, Metrics } from '../../observability/index.js';
import { booleanOption, type Command, ExitCode, stringOption, UsageError } from '../command.js';
import {
  type ControllerModuleName,
  controllerFlagDefaults,
  controllerModuleNames,
  controllerModulesOptions,
  knownModuleNames,
  optionalModuleNames,
  registerControllerModules,
} from '../controller-modules.js';
import { cliEnvironment } from '../environment.js';
import { clientFromArgs } from '../kube-options.js';

export const controllerCommand: Command = {
  path: ['controller'],
  summary: 'Run Slipway controllers (rollouts, analysis, experiments, sync, notifications) until SIGTERM',
  options: {
    namespace: { type: 'string', short: 'n', description: 'watch only this namespace (default: all)' },
    'instance-id': {
      type: 'string',
      description:
        'run only the Argo Rollouts objects labelled argo-rollouts.argoproj.io/controller-instance-id=ID (default: only unlabelled ones; Argo: --instance-id)',
    },
    controllers: {
      type: 'string',
      description: `comma-separated controllers to run (default: all of ${controllerModuleNames.join(',')}; also: ${optionalModuleNames.join(',')})`,
    },
    'rollout-threads': {
      type: 'string',
      description: 'concurrent Rollout reconciles (Argo: --rollout-threads)',
      default: String(controllerFlagDefaults.rolloutThreads),
    },
    'analysis-threads': {
      type: 'string',
      description: 'concurrent AnalysisRun reconciles (Argo: --analysis-threads)',
      default: String(controllerFlagDefaults.analysisThreads),
    },
    'experiment-threads': {
      type: 'string',
      description: 'concurrent Experiment reconciles (Argo: --experiment-threads)',
      default: String(controllerFlagDefaults.experimentThreads),
    },
    'max-replicas': {
      type: 'string',
      description:
        'most replicas a Rollout may ask for; above it the Rollout gets InvalidSpec and is not scaled',
      default: String(controllerFlagDefaults.maxReplicas),
    },
    'self-service-notification-enabled': {
      type: 'boolean',
      description:
        "also read notification config in each object's own namespace (Argo's flag; needs the RBAC in docs/permissions.md)",
    },
    'sync-namespaces': {
      type: 'string',
      description:
        'comma-separated namespaces Applications may deploy into, watched per namespace (default: all, cluster-wide rights)',
    },
    'default-service-account': {
      type: 'string',
      description:
        "with the flux controllers: the ServiceAccount (in each object's namespace) impersonated by Kustomizations and HelmReleases without serviceAccountName (Flux's flag; default: none, the controller's own rights)",
    },
    'leader-elect': { type: 'boolean', description: 'run controllers only while holding the leader Lease' },
    'shard-count': {
      type: 'string',
      description:
        'auto: with --leader-elect, every replica reconciles its share of the objects (members found through one Lease each); 1: one leader does everything',
      default: 'auto',
    },
    'sharding-algorithm': {
      type: 'string',
      description:
        "how objects map to replicas: key-hashing (every object by its own key; few move when replicas come and go), or Argo CD's controller.sharding.algorithm legacy, round-robin or consistent-hashing (Applications go with their destination cluster, a cluster Secret's shard pins it; other kinds by key)",
      default: 'key-hashing',
    },
    'leader-election-namespace': {
      type: 'string',
      description: 'namespace of the leader Lease (and of the shard member Leases)',
      default: cliEnvironment().podNamespace ?? 'slipway-system',
    },
    'metrics-port': {
      type: 'string',
      description: 'port for /metrics, /healthz, /readyz (0 = any)',
      default: '8080',
    },
    'dashboard-port': {
      type: 'string',
      description:
        'serve the web dashboard on this port (bearer tokens checked with TokenReview and SubjectAccessReview); default: off',
    },
    'dashboard-read-only': { type: 'boolean', description: 'the dashboard shows, but refuses every action' },
    'log-level': {
      type: 'string',
      description: 'trace, debug, info, warn or error',
      default: cliEnvironment().logLevel ?? 'info',
    },
    'log-format': { type: 'string', description: 'json or pretty', default: 'json' },
    'shutdown-timeout': {
      type: 'string',
      description: 'seconds to let in-flight reconciles finish',
      default: '10',
    },
  },
  async run(args) {
    const modules = selectModules(stringOption(args, 'controllers'));
    const rolloutThreads = positiveIntOption(args, 'rollout-threads');
    const analysisThreads = positiveIntOption(args, 'analysis-threads');
    const experimentThreads = positiveIntOption(args, 'experiment-threads');
    const maxReplicas = positiveIntOption(args, 'max-replicas');
    const syncNamespaces = namespaceListOption(stringOption(args, 'sync-namespaces'));
    const defaultServiceAccount = serviceAccountOption(stringOption(args, 'default-service-account'));
    const logger = createLogger({
      level: stringOption(args, 'log-level') ?? 'info',
      format: stringOption(args, 'log-format') === 'pretty' ? 'pretty' : 'json',
    });
    const metrics = new Metrics().collectProcessMetrics();
    const namespace = stringOption(args, 'namespace');
    const instanceId = instanceIdOption(stringOption(args, 'instance-id'));
    const sharded = shardCountOption(stringOption(args, 'shard-count')) === 'auto';
    const shardingAlgorithm = shardingAlgorithmOption(stringOption(args, 'sharding-algorithm'));
    const { algorithm } = shardingAlgorithm;
    const leaseNamespace = stringOption(args, 'leader-election-namespace') ?? 'slipway-system';
    // one leader (or one shard group) per instance id, as Argo's lease name
    const leaseName = instanceId === undefined ? 'slipway-controller' : `slipway-controller-${instanceId}`;
    const manager = new Manager({
      client: clientFromArgs(args),
      logger,
      metrics,
      probePort: Number(stringOption(args, 'metrics-port') ?? '8080'),
      shutdownDeadlineMs: Number(stringOption(args, 'shutdown-timeout') ?? '10') * 1000,
      component: 'slipway-controller',
      ...(booleanOption(args, 'leader-elect') &&
        (sharded
          ? {
              sharding: {
                namespace: leaseNamespace,
                group: leaseName,
                algorithm,
                ...(shardingAlgorithm.clusterAlgorithm !== undefined && {
                  clusterAlgorithm: shardingAlgorithm.clusterAlgorithm,
                }),
              },
            }
          : { leaderElection: { namespace: leaseNamespace, name: leaseName } })),
      onLeadershipLost: () => {
        logger.fatal('leadership lost; exiting so a fresh process can compete again');
        void manager.stop().finally(() => process.exit(1));
      },
    });
    const env = cliEnvironment();
    const moduleOptions = controllerModulesOptions(
      {
        ...(namespace !== undefined && { namespace }),
        ...(instanceId !== undefined && { instanceId }),
        rolloutThreads,
        analysisThreads,
        experimentThreads,
        maxReplicas,
        selfServiceNotification: booleanOption(args, 'self-service-notification-enabled'),
        ...(syncNamespaces !== undefined && { syncNamespaces }),
        fluxModule: modules.includes('flux'),
        ...(defaultServiceAccount !== undefined && { defaultServiceAccount }),
      },
      env,
    );
    await registerControllerModules(manager, modules, moduleOptions, env);
    const dashboardPort = dashboardPortOption(stringOption(args, 'dashboard-port'));
    // The analysis module and the dashboard load only when used (the dashboard's code is most of Slipway's).
    const argoSelector =
      modules.includes('analysis') || dashboardPort !== undefined
        ? (await import('../../analysis/index.js')).instanceIdSelector(instanceId)
        : '';
    if (modules.includes('analysis')) {
      // This one file, not the dashboard's index: that would load the whole dashboard (the sync engine,
      // notifications, Slack's client) into a controller that runs analysis only.
      const { registerAnalysisMetrics } = await import('../../dashboard/analysis-metrics.js');
      registerAnalysisMetrics(
        metrics,
        manager.informer({
          gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' },
          labelSelector: argoSelector,
          ...(namespace !== undefined && { namespace }),
        }).store,
      );
    }
    const dashboard =
      dashboardPort === undefined
        ? undefined
        : await (await import('../../dashboard/index.js')).startDashboard(manager, {
            port: dashboardPort,
            mode: 'token',
            readOnly: booleanOption(args, 'dashboard-read-only'),
            argoSelector,
            ...(namespace !== undefined && { namespace }),
            ...(env.notificationsNamespace !== undefined && {
              notificationsNamespace: env.notificationsNamespace,
            }),
          });
    const done = new Promise<number>((resolve) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'signal received');
        void manager.stop().then(() => {
          resolve(ExitCode.Ok);
          // Stopped: a socket some client library keeps alive (Slack's HTTP agent) must not hold the
          // process until the kubelet's SIGKILL. The timer itself keeps nothing alive.
          setTimeout(() => process.exit(ExitCode.Ok), 2_000).unref();
        });
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
    await manager.start();
    logger.info(
      {
        controllers: modules,
        namespace: namespace ?? '*',
        instanceId: instanceId ?? '',
        syncNamespaces: syncNamespaces ?? '*',
        selfServiceNotification: booleanOption(args, 'self-service-notification-enabled'),
        metricsPort: manager.probePort,
        ...(manager.shard !== undefined && {
          shardIdentity: manager.shard.identity,
          shardingAlgorithm: shardingAlgorithm.name,
        }),
        ...(dashboard !== undefined && { dashboardPort: dashboard.port }),
      },
      'controller started',
    );
    return done;
  },
};

/** `--rollout-threads 64`, `--max-replicas 10000`: a positive whole number. */
function positiveIntOption(args: Parameters<Command['run']>[0], name: string): number {
  const text = stringOption(args, name) ?? '';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name}: expected a positive whole number, got "${text}"`);
  return n;
}

/** `--shard-count auto|1`: static shard counts (Argo's ARGOCD_CONTROLLER_REPLICAS) are not needed. */
function shardCountOption(text: string | undefined): 'auto' | 1 {
  if (text === undefined || text === 'auto') return 'auto';
  if (text === '1') return 1;
  throw new UsageError(
    `--shard-count: expected auto or 1, got "${text}" (with auto, replicas find each other through their Leases; scale the Deployment instead)`,
  );
}

const SHARDING_ALGORITHM_NAMES = ['key-hashing', 'legacy', 'round-robin', 'consistent-hashing'] as const;
type ShardingAlgorithmName = (typeof SHARDING_ALGORITHM_NAMES)[number];

/**
 * `--sharding-algorithm`: key-hashing (default) shards every kind by key (rendezvous hashing); Argo CD's
 * names shard Applications by destination cluster with Argo's rule, and the other kinds by key
 * (legacy: FNV-32a modulo; the others: rendezvous). See docs/decisions/016-cluster-sharding.md.
 */
function shardingAlgorithmOption(text: string | undefined): {
  readonly name: ShardingAlgorithmName;
  readonly algorithm: KeyShardingAlgorithm;
  readonly clusterAlgorithm?: ClusterShardingAlgorithm;
} {
  const value = text ?? 'key-hashing';
  switch (value) {
    case 'key-hashing':
      return { name: value, algorithm: 'consistent-hashing' };
    case 'legacy':
      return { name: value, algorithm: 'legacy', clusterAlgorithm: 'legacy' };
    case 'round-robin':
    case 'consistent-hashing':
      return { name: value, algorithm: 'consistent-hashing', clusterAlgorithm: value };
  }
  throw new UsageError(
    `--sharding-algorithm: expected one of ${SHARDING_ALGORITHM_NAMES.join(', ')}, got "${value}"`,
  );
}

/** `--dashboard-port 3100`: a port number (0 = any free port); undefined = no dashboard. */
export function dashboardPortOption(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new UsageError(`--dashboard-port: expected a port number (0-65535), got "${text}"`);
  return n;
}

/** `--instance-id team-b`: a label value (empty: none, as Argo). */
function instanceIdOption(id: string | undefined): string | undefined {
  if (id === undefined || id === '') return undefined;
  if (id.length > 63 || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(id))
    throw new UsageError(`--instance-id: "${id}" is not a valid label value`);
  return id;
}

/** `--default-service-account flux-deployer`: a ServiceAccount name (empty: none, as Flux). */
export function serviceAccountOption(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return undefined;
  if (name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name))
    throw new UsageError(`--default-service-account: "${name}" is not a ServiceAccount name`);
  return name;
}

/** `--sync-namespaces a,b`: a non-empty list of namespace names. */
function namespaceListOption(list: string | undefined): readonly string[] | undefined {
  if (list === undefined) return undefined;
  const names = [
    ...new Set(
      list
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== ''),
    ),
  ];
  const bad = names.find((n) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n));
  if (names.length === 0 || bad !== undefined)
    throw new UsageError(
      `--sync-namespaces: ${bad !== undefined ? `"${bad}" is not a namespace name` : 'empty list'}`,
    );
  return names;
}

/** `--controllers rollouts,analysis`: the named modules, in their registration order. */
function selectModules(list: string | undefined): readonly ControllerModuleName[] {
  if (list === undefined) return controllerModuleNames;
  const wanted = new Set(
    list
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  );
  const known: readonly string[] = knownModuleNames;
  const unknown = [...wanted].filter((n) => !known.includes(n));
  if (unknown.length > 0 || wanted.size === 0)
    throw new UsageError(
      `--controllers: ${unknown.length > 0 ? `unknown controller "${unknown.join('", "')}"` : 'empty list'}; choose from ${known.join(', ')}`,
    );
  return knownModuleNames.filter((m) => wanted.has(m));
}
