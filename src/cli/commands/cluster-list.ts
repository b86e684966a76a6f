import { type ConnectionState, isInCluster, probeConnection } from '../../clusters/index.js';
import { KubeClient } from '../../kube/index.js';
import { type Command, ExitCode } from '../command.js';
import { clientFromArgs } from '../kube-options.js';
import { formatTable, OUTPUT_OPTION, printIfRequested } from '../output.js';
import { CLUSTER_NAMESPACE_OPTION, clusterNamespace, registeredClusters } from './cluster-common.js';

/**
 * `slipway cluster list`, the columns of `argocd cluster list`. The connection state is probed by
 * this command (GET /version with each cluster's own credentials), not read from the controller: the
 * controller keeps its own in memory (it decides the apps' conditions), and there is no API server of
 * ours to ask. The in-cluster is probed through the current context, which is the controller's cluster.
 */
export const clusterListCommand: Command = {
  path: ['cluster', 'list'],
  summary: 'List registered clusters with their version and connection state',
  options: { ...CLUSTER_NAMESPACE_OPTION, ...OUTPUT_OPTION },
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const { clusters, invalid } = await registeredClusters(client, clusterNamespace(args));
      for (const err of invalid) process.stderr.write(`warning: ${err.message}\n`);
      const states = await Promise.all(
        clusters.map(async (c): Promise<ConnectionState> => {
          if (isInCluster(c)) return probeConnection(client, Date.now());
          let remote: KubeClient | undefined;
          try {
            remote = KubeClient.forCluster(c.name, c.server, c.config);
            return await probeConnection(remote, Date.now());
          } catch (err) {
            return {
              status: 'Failed',
              message: err instanceof Error ? err.message : String(err),
              attemptedAt: Date.now(),
            };
          } finally {
            remote?.close();
          }
        }),
      );
      const view = clusters.map((c, i) => ({
        server: c.server,
        name: c.name,
        ...(c.namespaces.length > 0 && { namespaces: c.namespaces }),
        ...(c.project !== undefined && { project: c.project }),
        ...(Object.keys(c.labels).length > 0 && { labels: c.labels }),
        ...(c.shardText !== undefined && { shard: c.shard ?? c.shardText }),
        info: {
          connectionState: { status: states[i]!.status, message: states[i]!.message },
          ...(states[i]!.serverVersion !== undefined && { serverVersion: states[i]!.serverVersion }),
        },
      }));
      if (printIfRequested(args, view)) return ExitCode.Ok;
      // SHARD: the Secret's pin (`shard`), as Argo CD reads it; "(invalid)" when it is not a number
      const rows = [['SERVER', 'NAME', 'VERSION', 'STATUS', 'MESSAGE', 'PROJECT', 'SHARD']];
      for (const v of view)
        rows.push([
          v.server,
          v.name,
          v.info.serverVersion ?? '',
          v.info.connectionState.status,
          v.info.connectionState.message,
          v.project ?? '',
          v.shard === undefined ? '' : typeof v.shard === 'number' ? String(v.shard) : `${v.shard} (invalid)`,
        ]);
      process.stdout.write(`${formatTable(rows)}\n`);
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
