/**
 * Argo CD's declarative cluster Secrets, read and written as Argo CD does (`SecretToCluster`,
 * `clusterToSecret`, `URIToSecretName`). Pure: Secrets in, clusters out, and back.
 */
import { parseShardField } from '../core/index.js';
import type { ClusterConnectionConfig, KubeObject } from '../kube/index.js';
import { ClusterError, ClusterErrorCode } from './errors.js';
import { type Cluster, IN_CLUSTER_NAME, IN_CLUSTER_SERVER, SECRET_TYPE_LABEL } from './types.js';

export type SecretObject = KubeObject & { readonly data?: Readonly<Record<string, string>> };

const decode = (v: string | undefined) =>
  v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
const encode = (v: string) => Buffer.from(v, 'utf8').toString('base64');

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The cluster a Secret declares; throws CLUSTER_SECRET_INVALID naming the Secret (never its data). */
export function clusterFromSecret(secret: SecretObject): Cluster {
  const where = `${secret.metadata.namespace ?? ''}/${secret.metadata.name ?? ''}`;
  const server = (decode(secret.data?.server) ?? '').trim().replace(/\/+$/, '');
  if (server === '')
    throw new ClusterError(
      ClusterErrorCode.SecretInvalid,
      `cluster secret ${where} has no server; set data.server`,
    );
  let config: ClusterConnectionConfig = {};
  const rawConfig = decode(secret.data?.config);
  if (rawConfig !== undefined && rawConfig.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawConfig);
    } catch {
      // no cause: the JSON parser quotes the text, which holds credentials
      throw new ClusterError(
        ClusterErrorCode.SecretInvalid,
        `failed to unmarshal cluster config of secret ${where}: data.config is not valid JSON`,
      );
    }
    if (!isRecord(parsed))
      throw new ClusterError(
        ClusterErrorCode.SecretInvalid,
        `failed to unmarshal cluster config of secret ${where}: data.config must be a JSON object`,
      );
    config = parsed as ClusterConnectionConfig;
  }
  const namespaces = (decode(secret.data?.namespaces) ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  const labels = { ...(secret.metadata.labels ?? {}) };
  delete labels[SECRET_TYPE_LABEL];
  const project = decode(secret.data?.project);
  const shardText = decode(secret.data?.shard);
  const shard = parseShardField(shardText);
  return {
    // Argo writes the server as the name when none is given; a Secret without one reads as ''.
    name: decode(secret.data?.name) ?? '',
    server,
    namespaces,
    clusterResources: decode(secret.data?.clusterResources) === 'true',
    ...(project !== undefined && project !== '' && { project }),
    labels,
    config,
    secret: where,
    id: secret.metadata.uid ?? '',
    ...(shard !== undefined && { shard }),
    ...(shardText !== undefined && { shardText }),
  };
}

/** The implicit in-cluster entry (Argo CD's `getLocalCluster`). */
export function inCluster(): Cluster {
  return {
    name: IN_CLUSTER_NAME,
    server: IN_CLUSTER_SERVER,
    namespaces: [],
    clusterResources: false,
    labels: {},
    config: {},
  };
}

/**
 * Every registered cluster: the Secrets that parse (the last Secret of a server wins), plus the
 * implicit in-cluster unless a Secret registers its server. Returns the problems of the rest.
 */
export function clustersFromSecrets(secrets: readonly SecretObject[]): {
  readonly clusters: readonly Cluster[];
  readonly invalid: readonly ClusterError[];
} {
  const byServer = new Map<string, Cluster>();
  const invalid: ClusterError[] = [];
  const sorted = [...secrets].sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
  );
  for (const s of sorted) {
    try {
      const c = clusterFromSecret(s);
      byServer.set(c.server, c);
    } catch (err) {
      if (err instanceof ClusterError) invalid.push(err);
      else throw err;
    }
  }
  if (!byServer.has(IN_CLUSTER_SERVER)) byServer.set(IN_CLUSTER_SERVER, inCluster());
  return { clusters: [...byServer.values()], invalid };
}

/** FNV-1a, 32 bits (Go's hash/fnv New32a). */
function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Argo CD's `URIToSecretName("cluster", server)`: `cluster-<host>-<fnv32a(server)>`. */
export function clusterSecretName(server: string): string {
  let host: string;
  try {
    host = new URL(server).host;
  } catch {
    throw new ClusterError(
      ClusterErrorCode.SecretInvalid,
      'the cluster server is not a valid URL; pass an https:// URL',
    );
  }
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']')).replaceAll(':', '-');
  else if (host.includes(':')) host = host.slice(0, host.indexOf(':'));
  return `cluster-${host.toLowerCase()}-${fnv32a(server)}`;
}

export interface ClusterSecretInput {
  readonly name?: string;
  readonly server: string;
  readonly config: ClusterConnectionConfig;
  readonly namespaces?: readonly string[];
  readonly clusterResources?: boolean;
  readonly project?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Pins the cluster to a controller shard (Argo CD's `shard`). */
  readonly shard?: number;
}

/** The Secret Argo CD's `clusterToSecret` writes for a cluster, in `namespace`. */
export function clusterSecret(input: ClusterSecretInput, namespace: string): SecretObject {
  const server = input.server.replace(/\/+$/, '');
  const data: Record<string, string> = {
    server: encode(server),
    name: encode(input.name || server),
    config: encode(JSON.stringify(input.config)),
  };
  if (input.namespaces && input.namespaces.length > 0) data.namespaces = encode(input.namespaces.join(','));
  if (input.clusterResources) data.clusterResources = encode('true');
  if (input.project) data.project = encode(input.project);
  if (input.shard !== undefined) data.shard = encode(String(input.shard));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: clusterSecretName(server),
      namespace,
      labels: { ...(input.labels ?? {}), [SECRET_TYPE_LABEL]: 'cluster' },
      annotations: { 'managed-by': 'argocd.argoproj.io' },
    },
    type: 'Opaque',
    data,
  } as SecretObject;
}
