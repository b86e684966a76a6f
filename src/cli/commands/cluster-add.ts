import { clusterSecret, installManagerAccount } from '../../clusters/index.js';
import { describeContextCluster, KubeClient } from '../../kube/index.js';
import { type Command, ExitCode, stringOption, UsageError } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { progress } from '../output.js';
import { CLUSTER_NAMESPACE_OPTION, clusterNamespace } from './cluster-common.js';

function parseLabels(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of Array.isArray(values) ? (values as string[]) : []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label ${v}: expected key=value`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/**
 * `slipway cluster add CONTEXT`, as `argocd cluster add`: the manager service account, its ClusterRole
 * and long-lived token in the context's cluster, then the cluster Secret (bearer token, the context's
 * CA or insecure) in the controller's namespace of the current (management) cluster.
 */
export const clusterAddCommand: Command = {
  path: ['cluster', 'add'],
  summary: 'Register the cluster of a kubeconfig context as an Argo CD cluster Secret',
  usage: 'CONTEXT',
  options: {
    name: { type: 'string', description: 'cluster name (default: the context name)' },
    label: {
      type: 'string',
      multiple: true,
      description: 'a label of the cluster Secret, key=value (repeatable)',
    },
    project: { type: 'string', description: 'the AppProject the cluster belongs to' },
    'system-namespace': {
      type: 'string',
      description: 'namespace of the manager service account in the target cluster',
      default: 'kube-system',
    },
    ...CLUSTER_NAMESPACE_OPTION,
  },
  async run(args) {
    const contextName = args.positionals[0];
    if (!contextName) throw new UsageError('cluster add needs a kubeconfig CONTEXT');
    const kubeconfigPath = stringOption(args, 'kubeconfig');
    const target = describeContextCluster({
      ...(kubeconfigPath !== undefined && { kubeconfigPath }),
      context: contextName,
    });
    const labels = parseLabels(args.values.label);
    const targetClient = KubeClient.fromKubeConfig({
      ...(kubeconfigPath !== undefined && { kubeconfigPath }),
      context: contextName,
    });
    let token: string;
    try {
      const systemNamespace = stringOption(args, 'system-namespace') ?? 'kube-system';
      progress(`ServiceAccount "argocd-manager" in namespace "${systemNamespace}" of ${target.server}`);
      token = await installManagerAccount(targetClient, { namespace: systemNamespace });
    } finally {
      targetClient.close();
    }
    const project = stringOption(args, 'project');
    const secret = clusterSecret(
      {
        name: stringOption(args, 'name') ?? contextName,
        server: target.server,
        config: {
          bearerToken: token,
          tlsClientConfig: target.insecure
            ? { insecure: true, ...(target.serverName && { serverName: target.serverName }) }
            : {
                insecure: false,
                ...(target.caData && { caData: target.caData }),
                ...(target.serverName && { serverName: target.serverName }),
              },
        },
        labels,
        ...(project !== undefined && { project }),
      },
      clusterNamespace(args),
    );
    const client = clientFromArgs(args);
    try {
      await client.apply(secret, { fieldManager: 'slipway-cluster-add', force: true });
    } finally {
      client.close();
    }
    process.stdout.write(`Cluster '${target.server}' added\n`);
    return ExitCode.Ok;
  },
};
