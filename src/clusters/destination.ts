/**
 * Which cluster an Application's destination names, with Argo CD's messages (`GetDestinationServer`,
 * `GetDestinationCluster`). Pure.
 */
import type { Cluster } from './types.js';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER } from './types.js';

export interface Destination {
  readonly server?: string;
  readonly name?: string;
  readonly namespace?: string;
}

export type DestinationResolution =
  | { readonly kind: 'resolved'; readonly cluster: Cluster }
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * Resolves `destination` among `clusters` (which include the implicit in-cluster unless a Secret
 * replaced it). An empty destination means the in-cluster, as Slipway has always read it (Argo CD
 * refuses it with "Destination server missing from app spec").
 */
export function resolveDestination(
  destination: Destination | undefined,
  clusters: readonly Cluster[],
): DestinationResolution {
  const name = destination?.name ?? '';
  const rawServer = destination?.server ?? '';
  if (name !== '' && rawServer !== '')
    return {
      kind: 'invalid',
      message: `application destination can't have both name and server defined: ${name} ${rawServer}`,
    };
  if (name !== '') {
    let matches = clusters.filter((c) => c.name === name);
    if (matches.length === 0 && name === IN_CLUSTER_NAME)
      matches = clusters.filter((c) => c.server === IN_CLUSTER_SERVER);
    if (matches.length === 0)
      return { kind: 'invalid', message: `there are no clusters with this name: ${name}` };
    if (matches.length > 1)
      return {
        kind: 'invalid',
        message: `there are ${matches.length} clusters with the same name: [${matches.map((c) => c.server).join(' ')}]`,
      };
    return { kind: 'resolved', cluster: matches[0]! };
  }
  const server = rawServer === '' ? IN_CLUSTER_SERVER : rawServer.replace(/\/+$/, '');
  const cluster = clusters.find((c) => c.server === server);
  if (!cluster)
    return {
      kind: 'invalid',
      message: `error getting cluster by server "${rawServer}": cluster "${server}" not found`,
    };
  return { kind: 'resolved', cluster };
}

/**
 * True when the cluster is the one the controller runs in: reached through the controller's own
 * client, even when a Secret renames it or limits its namespaces (as Argo CD's in-cluster Secret).
 */
export function isInCluster(cluster: Cluster): boolean {
  return cluster.server === IN_CLUSTER_SERVER;
}
