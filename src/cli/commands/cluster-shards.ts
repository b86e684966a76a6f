import { resolveDestination } from '../../clusters/index.js';
import {
  decodeClusterClaim,
  SHARD_CLUSTER_CLAIM_ANNOTATION,
  SHARD_GROUP_LABEL,
  type ShardLease,
} from '../../core/index.js';
import type { Application } from '../../sync/index.js';
import { type Command, ExitCode, stringOption } from '../command.js';
import { cliEnvironment } from '../environment.js';
import { clientFromArgs } from '../kube-options.js';
import { formatTable, OUTPUT_OPTION, printIfRequested } from '../output.js';
import { CLUSTER_NAMESPACE_OPTION, clusterNamespace, registeredClusters } from './cluster-common.js';

/**
 * `slipway cluster shards`, after `argocd admin cluster shards`: one row per controller shard (the
 * live members of the shard group by identity, as the controllers number them), with the clusters
 * its Lease claims and their Applications (Argo shows resources from its Redis cache; Slipway has
 * none, so it counts Applications). Read from the member Leases: what the replicas actually hold.
 */
export const clusterShardsCommand: Command = {
  path: ['cluster', 'shards'],
  summary: 'Show which controller replica (shard) holds which clusters, and their Applications',
  options: {
    ...CLUSTER_NAMESPACE_OPTION,
    ...OUTPUT_OPTION,
    'leader-election-namespace': {
      type: 'string',
      description: "namespace of the controllers' member Leases",
      default: cliEnvironment().podNamespace ?? 'slipway-system',
    },
    'instance-id': { type: 'string', description: "the controllers' --instance-id, if any" },
  },
  async run(args) {
    const client = clientFromArgs(args);
    try {
      const namespace = clusterNamespace(args);
      const instanceId = stringOption(args, 'instance-id');
      const group = instanceId ? `slipway-controller-${instanceId}` : 'slipway-controller';
      const [{ clusters }, apps, leases] = await Promise.all([
        registeredClusters(client, namespace),
        client.listAll<Application>(
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' },
          { namespace },
        ),
        client.listAll<ShardLease>(
          { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' },
          {
            namespace: stringOption(args, 'leader-election-namespace') ?? 'slipway-system',
            labelSelector: `${SHARD_GROUP_LABEL}=${group}`,
          },
        ),
      ]);
      const now = Date.now();
      const live = leases.items
        .filter((l) => {
          const renewed = Date.parse(l.spec?.renewTime ?? '');
          return l.spec?.holderIdentity && renewed + (l.spec.leaseDurationSeconds ?? 0) * 1000 > now;
        })
        .sort((a, b) => ((a.spec?.holderIdentity ?? '') < (b.spec?.holderIdentity ?? '') ? -1 : 1));
      const appsPerServer = new Map<string, number>();
      for (const a of apps.items) {
        const r = resolveDestination(a.spec.destination, clusters);
        const server = r.kind === 'resolved' ? r.cluster.server : '';
        appsPerServer.set(server, (appsPerServer.get(server) ?? 0) + 1);
      }
      const total = apps.items.length;
      const view = live.map((l, shard) => {
        const units = decodeClusterClaim(l.metadata.annotations?.[SHARD_CLUSTER_CLAIM_ANNOTATION]).units;
        const servers = units.filter((u) => u !== '');
        const count = units.reduce((n, u) => n + (appsPerServer.get(u) ?? 0), 0);
        return { shard, member: l.spec?.holderIdentity ?? '', clusters: servers, applications: count };
      });
      if (printIfRequested(args, view)) return ExitCode.Ok;
      const avg = view.length === 0 ? 0 : Math.floor(total / view.length);
      const pct = (n: number, of: number) => (of === 0 ? '0%' : `${Math.round((n / of) * 100)}%`);
      const rows = [
        ['SHARD', 'MEMBER', 'CLUSTERS', 'APPS COUNT', '% OF TOTAL', `% OF AVG PER SHARD (${avg})`],
      ];
      for (const v of view)
        rows.push([
          String(v.shard),
          v.member,
          String(v.clusters.length),
          String(v.applications),
          pct(v.applications, total),
          pct(v.applications, avg),
        ]);
      process.stdout.write(`${formatTable(rows)}\n`);
      if (view.length > 0 && view.every((v) => v.clusters.length === 0))
        process.stdout.write(
          '(no replica claims clusters: the controllers shard by key; see --sharding-algorithm)\n',
        );
      return ExitCode.Ok;
    } finally {
      client.close();
    }
  },
};
