import {
  CLUSTER_SECRET_SELECTOR,
  type Cluster,
  type ClusterError,
  clustersFromSecrets,
  type SecretObject,
} from '../../clusters/index.js';
import type { KubeClient } from '../../kube/index.js';
import { type OptionSpec, type ParsedArgs, stringOption } from '../command.js';

/** Where cluster Secrets live: the controller's (Argo CD's) namespace. */
export const CLUSTER_NAMESPACE_OPTION: Readonly<Record<string, OptionSpec>> = {
  namespace: {
    type: 'string',
    short: 'n',
    description: "the controller's namespace, where cluster Secrets live",
    default: 'argocd',
  },
};

export function clusterNamespace(args: ParsedArgs): string {
  return stringOption(args, 'namespace') ?? 'argocd';
}

export interface RegisteredClusters {
  readonly secrets: readonly SecretObject[];
  readonly clusters: readonly Cluster[];
  readonly invalid: readonly ClusterError[];
}

/** The cluster Secrets of the namespace and the clusters they declare (plus the implicit in-cluster). */
export async function registeredClusters(client: KubeClient, namespace: string): Promise<RegisteredClusters> {
  const { items } = await client.listAll<SecretObject>(
    { apiVersion: 'v1', kind: 'Secret' },
    { namespace, labelSelector: CLUSTER_SECRET_SELECTOR },
  );
  return { secrets: items, ...clustersFromSecrets(items) };
}
