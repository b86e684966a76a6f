/**
 * What the Application controller's cluster gate shards by: each Application goes with the cluster
 * its destination resolves to (Argo CD's application-controller sharding). Read from the caches.
 */
import { type ClusterRegistry, IN_CLUSTER_SERVER } from '../../clusters/index.js';
import type { ClusterUnitSource, ShardCluster } from '../../core/index.js';
import type { Reflector } from '../../kube/index.js';
import type { Application } from '../types.js';

export function clusterShardSource(
  apps: Pick<Reflector<Application>, 'store'>,
  registry: ClusterRegistry,
): ClusterUnitSource {
  const serverOf = (app: Application): string => {
    const r = registry.resolve(app.spec.destination);
    return r.kind === 'resolved' ? r.cluster.server : '';
  };
  return {
    clusters(): readonly ShardCluster[] {
      return registry.list().clusters.map((c) => ({
        // the implicit in-cluster has no Secret: Argo CD's empty id
        id: c.id ?? (c.server === IN_CLUSTER_SERVER ? '' : c.server),
        server: c.server,
        ...(c.shard !== undefined && { shard: c.shard }),
      }));
    },
    unitOf(key: string): string | undefined {
      const app = apps.store.get(key);
      return app === undefined ? undefined : serverOf(app);
    },
    appsPerServer(): ReadonlyMap<string, number> {
      const out = new Map<string, number>();
      for (const a of apps.store.list()) {
        const server = serverOf(a);
        out.set(server, (out.get(server) ?? 0) + 1);
      }
      return out;
    },
  };
}
