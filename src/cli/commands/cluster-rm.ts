import { uninstallManagerAccount } from '../../clusters/index.js';
import { KubeClient } from '../../kube/index.js';
import { booleanOption, type Command, ExitCode, stringOption, UsageError } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { CLUSTER_NAMESPACE_OPTION, clusterNamespace, registeredClusters } from './cluster-common.js';

/**
 * `slipway cluster rm NAME|SERVER`: deletes the cluster Secret. With --delete-service-account, also
 * removes the manager account from the cluster, through the kubeconfig context named like the
 * cluster (as `argocd cluster rm` does).
 */
export const clusterRmCommand: Command = {
  path: ['cluster', 'rm'],
  summary: 'Remove a registered cluster (its cluster Secret)',
  usage: 'NAME|SERVER',
  options: {
    'delete-service-account': {
      type: 'boolean',
      description:
        'also remove argocd-manager and its ClusterRole from the cluster (context named like the cluster)',
    },
    'system-namespace': {
      type: 'string',
      description: 'namespace of the manager service account in the target cluster',
      default: 'kube-system',
    },
    ...CLUSTER_NAMESPACE_OPTION,
  },
  async run(args) {
    const selector = args.positionals[0];
    if (!selector) throw new UsageError('cluster rm needs a cluster NAME or SERVER');
    const client = clientFromArgs(args);
    const namespace = clusterNamespace(args);
    let name: string;
    try {
      const { clusters } = await registeredClusters(client, namespace);
      const server = selector.replace(/\/+$/, '');
      const byServer = clusters.filter((c) => c.server === server && c.secret !== undefined);
      const matches =
        byServer.length > 0
          ? byServer
          : clusters.filter((c) => c.name === selector && c.secret !== undefined);
      if (matches.length === 0) {
        process.stderr.write(`cluster "${selector}" not found in namespace ${namespace}\n`);
        return ExitCode.NotFound;
      }
      if (matches.length > 1)
        throw new UsageError(
          `there are ${matches.length} clusters with the name ${selector}: [${matches.map((c) => c.server).join(' ')}]; pass the server`,
        );
      const cluster = matches[0]!;
      name = cluster.name;
      const [secretNamespace, secretName] = cluster.secret!.split('/');
      await client.delete({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: secretNamespace!,
        name: secretName!,
      });
      process.stdout.write(`Cluster '${selector}' removed\n`);
    } finally {
      client.close();
    }
    if (booleanOption(args, 'delete-service-account')) {
      const kubeconfigPath = stringOption(args, 'kubeconfig');
      const target = KubeClient.fromKubeConfig({
        ...(kubeconfigPath !== undefined && { kubeconfigPath }),
        context: name,
      });
      try {
        await uninstallManagerAccount(target, stringOption(args, 'system-namespace') ?? 'kube-system');
      } finally {
        target.close();
      }
    }
    return ExitCode.Ok;
  },
};
