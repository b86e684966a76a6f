import type { ClusterConnectionConfig } from '../kube/index.js';

/** The label that marks an Argo CD cluster Secret (`argocd.argoproj.io/secret-type: cluster`). */
export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';
export const CLUSTER_SECRET_SELECTOR = `${SECRET_TYPE_LABEL}=cluster`;
/** Argo CD's `KubernetesInternalAPIServerAddr` and `KubernetesInClusterName`. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
export const IN_CLUSTER_NAME = 'in-cluster';

/** A cluster as Argo CD's `SecretToCluster` reads it (the implicit in-cluster has no Secret). */
export interface Cluster {
  readonly name: string;
  /** Without a trailing slash. */
  readonly server: string;
  /** Namespaces the cluster is limited to (empty: all). */
  readonly namespaces: readonly string[];
  readonly clusterResources: boolean;
  readonly project?: string;
  /** The Secret's labels without the secret-type label. */
  readonly labels: Readonly<Record<string, string>>;
  readonly config: ClusterConnectionConfig;
  /** The Secret it came from (`namespace/name`); undefined for the implicit in-cluster. */
  readonly secret?: string;
  /** Argo CD's cluster ID: the Secret's uid ('' or undefined for the implicit in-cluster). */
  readonly id?: string;
  /** The Secret's `shard` field as a whole number: pins the cluster to that controller shard. */
  readonly shard?: number;
  /** The `shard` field as written, when present (shown by `slipway cluster list`, also when invalid). */
  readonly shardText?: string;
}

/** Argo CD's `ConnectionState` of a cluster, plus the server version it reported. */
export interface ConnectionState {
  readonly status: 'Successful' | 'Failed' | 'Unknown';
  readonly message: string;
  /** `major.minor`, as `argocd cluster list` shows it. */
  readonly serverVersion?: string;
  /** Epoch ms of the probe. */
  readonly attemptedAt: number;
}
