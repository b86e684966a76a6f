import { existsSync, readFileSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import type https from 'node:https';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse, YAMLParseError } from 'yaml';
import { SlipwayError } from '../errors/index.js';

export interface KubeConfigOptions {
  /** Path to a kubeconfig file. Default: $KUBECONFIG, ~/.kube/config, then in-cluster. */
  readonly kubeconfigPath?: string;
  /** Context to use. Default: the file's current-context. */
  readonly context?: string;
}

/** Where the loader looks when no path is given. Tests inject their own. */
export interface KubeConfigEnvironment {
  /** KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: /var/run/secrets/kubernetes.io/serviceaccount (token, ca.crt, namespace). */
  readonly serviceAccountDir?: string;
}

/** What KubeTransport needs to reach one API server as one user. */
export interface ClusterAccess {
  readonly server: URL;
  /** The context's namespace (in-cluster: the service account's), else "default". */
  readonly defaultNamespace: string;
  /**
   * Fills ca, cert, key, rejectUnauthorized, servername, headers (Authorization, Impersonate-User)
   * and auth, as client-node's applyToHTTPSOptions does. Token files are re-read on every call.
   */
  apply(opts: https.RequestOptions): Promise<void>;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** client-node talks plain HTTP to in-cluster API servers on these ports. */
const HTTP_PORTS = new Set(['80', '8080', '8001']);
/** User fields only client-node handles; such users go through it (imported on first use). */
const DELEGATED_USER_FIELDS = ['exec', 'auth-provider', 'token-file'];

type Fields = Readonly<Record<string, unknown>>;

/** A named cluster, user or context, with the directory of the file that defined it. */
export interface Entry {
  readonly name: string;
  readonly fields: Fields;
  readonly dir: string;
}

interface MergedConfig {
  readonly clusters: Map<string, Entry>;
  readonly users: Map<string, Entry>;
  readonly contexts: Map<string, Entry>;
  currentContext: string | undefined;
}

/**
 * Loads a kubeconfig the way kubectl does: `kubeconfigPath`, else the $KUBECONFIG list (merged,
 * first definition of a name wins, missing files skipped), else ~/.kube/config, else the pod's
 * service account. Only users with exec or auth-provider plugins load @kubernetes/client-node.
 */
export function loadClusterAccess(
  options: KubeConfigOptions = {},
  environment: KubeConfigEnvironment = {},
): ClusterAccess {
  const env = environment.env ?? process.env;
  const files = kubeconfigFiles(options, env);
  if (files) return accessFromFiles(files, options.context);
  const inCluster = inClusterAccess(env, environment.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (!inCluster) {
    throw configError(
      'no kubeconfig found: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account',
    );
  }
  if (options.context) {
    throw configError(`context "${options.context}" was requested but there is no kubeconfig (in-cluster)`);
  }
  return inCluster;
}

function kubeconfigFiles(
  options: KubeConfigOptions,
  env: Readonly<Record<string, string | undefined>>,
): string[] | undefined {
  if (options.kubeconfigPath) return [resolve(options.kubeconfigPath)];
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f.length > 0);
  if (listed.length > 0) {
    const present = listed.map((f) => resolve(f)).filter((f) => existsSync(f));
    if (present.length === 0) throw configError(`none of the KUBECONFIG files exist: ${listed.join(', ')}`);
    return present;
  }
  const home = join(env.HOME || homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : undefined;
}

function accessFromFiles(files: readonly string[], context: string | undefined): ClusterAccess {
  const merged = mergeFiles(files);
  const where = files.join(', ');
  const contextName = context || merged.currentContext;
  if (!contextName) {
    throw configError(`the kubeconfig (${where}) has no current-context; set one or pass --context`);
  }
  const ctx = merged.contexts.get(contextName);
  if (!ctx) throw configError(`context "${contextName}" is not in the kubeconfig (${where})`);
  const clusterName = text(ctx.fields.cluster);
  const cluster = clusterName ? merged.clusters.get(clusterName) : undefined;
  if (!cluster) {
    throw configError(`cluster "${clusterName ?? ''}" of context "${contextName}" is not in the kubeconfig`);
  }
  const userName = text(ctx.fields.user);
  const user = userName ? merged.users.get(userName) : undefined;
  if (userName && !user) {
    throw configError(`user "${userName}" of context "${contextName}" is not in the kubeconfig`);
  }
  return accessFromEntries(cluster, user, contextName, text(ctx.fields.namespace) || 'default');
}

/**
 * Access through one kubeconfig cluster and user entry (as in a file, or built from an Argo CD
 * cluster Secret's config): users with exec or auth-provider plugins go through client-node.
 */
export function accessFromEntries(
  cluster: Entry,
  user: Entry | undefined,
  contextName: string,
  defaultNamespace: string,
): ClusterAccess {
  const server = parseServer(text(cluster.fields.server), `cluster "${cluster.name}"`);
  const delegated = user && DELEGATED_USER_FIELDS.some((f) => user.fields[f] !== undefined);
  let delegate: Promise<KubeConfig> | undefined;
  return {
    server,
    defaultNamespace,
    async apply(opts) {
      if (!delegated) return applyEntries(cluster, user, opts);
      delegate ??= loadDelegate(cluster, user, contextName).catch((err: unknown) => {
        delegate = undefined; // retry the import on the next refresh
        throw err;
      });
      await (await delegate).applyToHTTPSOptions(opts);
      delete opts.agent;
    },
  };
}

function mergeFiles(files: readonly string[]): MergedConfig {
  const merged: MergedConfig = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    currentContext: undefined,
  };
  for (const file of files) {
    const doc = readConfigFile(file);
    const dir = dirname(file);
    addEntries(merged.clusters, doc.clusters, 'cluster', dir);
    addEntries(merged.users, doc.users, 'user', dir);
    addEntries(merged.contexts, doc.contexts, 'context', dir);
    merged.currentContext ||= text(doc['current-context']);
  }
  return merged;
}

function readConfigFile(file: string): Fields {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SlipwayError('KUBE_CONFIG', `cannot read kubeconfig ${file}; check the path`, { cause: err });
  }
  try {
    const doc: unknown = parse(source);
    return isFields(doc) ? doc : {};
  } catch (err) {
    // No cause: YAML errors quote the offending line, which may hold a token.
    const line = err instanceof YAMLParseError ? ` (line ${err.linePos?.[0].line ?? '?'})` : '';
    throw configError(`kubeconfig ${file} is not valid YAML${line}; fix the file`);
  }
}

function addEntries(into: Map<string, Entry>, list: unknown, key: string, dir: string): void {
  if (!Array.isArray(list)) return;
  for (const item of list) {
    if (!isFields(item)) continue;
    const name = text(item.name);
    const fields = item[key];
    if (name && isFields(fields) && !into.has(name)) into.set(name, { name, fields, dir });
  }
}

async function applyEntries(cluster: Entry, user: Entry | undefined, opts: https.RequestOptions) {
  if (cluster.fields['insecure-skip-tls-verify'] === true) opts.rejectUnauthorized = false;
  const serverName = text(cluster.fields['tls-server-name']);
  if (serverName) opts.servername = serverName;
  const ca = tlsMaterial(cluster, 'certificate-authority');
  if (ca) opts.ca = ca;
  if (!user) return;
  const u = user.fields;
  const cert = tlsMaterial(user, 'client-certificate');
  if (cert) opts.cert = cert;
  const key = tlsMaterial(user, 'client-key');
  if (key) opts.key = key;
  // kubectl prefers tokenFile (re-read, as bound tokens rotate) over an inline token.
  const tokenFile = text(u.tokenFile);
  const token = tokenFile ? readToken(resolve(user.dir, tokenFile)) : text(u.token);
  if (token) setHeader(opts, 'Authorization', `Bearer ${token}`);
  const username = text(u.username);
  if (username) opts.auth = `${username}:${text(u.password) ?? ''}`;
  const impersonate = text(u.as);
  if (impersonate) setHeader(opts, 'Impersonate-User', impersonate);
}

/** `<field>-data` (base64) wins over `<field>` (a file, relative to its kubeconfig), as in kubectl. */
function tlsMaterial(entry: Entry, field: string): Buffer | undefined {
  const data = text(entry.fields[`${field}-data`]);
  if (data) return Buffer.from(data, 'base64');
  const file = text(entry.fields[field]);
  return file ? readFileSync(resolve(entry.dir, file)) : undefined;
}

/** A client-node KubeConfig holding only the selected context, with file paths made absolute. */
async function loadDelegate(cluster: Entry, user: Entry | undefined, context: string): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const config = {
    clusters: [absolutePaths(cluster, 'cluster', ['certificate-authority'])],
    users: user ? [absolutePaths(user, 'user', ['client-certificate', 'client-key', 'tokenFile'])] : [],
    contexts: [{ name: context, context: { cluster: cluster.name, user: user?.name } }],
    'current-context': context,
  };
  kc.loadFromString(JSON.stringify(config));
  return kc;
}

/** The entry in kubeconfig list form (`{name, cluster: {...}}`), its file fields made absolute. */
function absolutePaths(entry: Entry, key: string, fileFields: readonly string[]): Fields {
  const fields: Record<string, unknown> = { ...entry.fields };
  for (const f of fileFields) {
    const value = text(fields[f]);
    if (value) fields[f] = resolve(entry.dir, value);
  }
  return { name: entry.name, [key]: fields };
}

function inClusterAccess(
  env: Readonly<Record<string, string | undefined>>,
  dir: string,
): ClusterAccess | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenPath = join(dir, 'token');
  if (!host || !port || !existsSync(tokenPath)) return undefined;
  const scheme = HTTP_PORTS.has(port) ? 'http' : 'https';
  const server = parseServer(
    `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    'KUBERNETES_SERVICE_HOST',
  );
  const namespacePath = join(dir, 'namespace');
  const namespace = existsSync(namespacePath) ? readFileSync(namespacePath, 'utf8').trim() : '';
  const caPath = join(dir, 'ca.crt');
  return {
    server,
    defaultNamespace: namespace || 'default',
    async apply(opts) {
      if (existsSync(caPath)) opts.ca = readFileSync(caPath);
      const token = readToken(tokenPath);
      if (token) setHeader(opts, 'Authorization', `Bearer ${token}`);
    },
  };
}

function parseServer(server: string | undefined, owner: string): URL {
  if (!server) throw configError(`${owner} has no server; set its server URL`);
  try {
    return new URL(server);
  } catch {
    // The URL itself stays out of the message: it may carry user:password.
    throw configError(`${owner} has an invalid server URL; fix it`);
  }
}

function readToken(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

function setHeader(opts: https.RequestOptions, name: string, value: string): void {
  const headers = (opts.headers ?? {}) as OutgoingHttpHeaders;
  headers[name] = value;
  opts.headers = headers;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function configError(message: string): SlipwayError {
  return new SlipwayError('KUBE_CONFIG', message);
}

/** What `slipway cluster add` copies from a kubeconfig context into a cluster Secret. */
export interface ContextCluster {
  readonly contextName: string;
  readonly server: string;
  /** Base64 PEM of the certificate authority (inline data, or the file's content). */
  readonly caData?: string;
  readonly insecure: boolean;
  readonly serverName?: string;
}

/** The cluster entry of a kubeconfig context (default: the current one), for `slipway cluster add`. */
export function describeContextCluster(
  options: KubeConfigOptions = {},
  environment: KubeConfigEnvironment = {},
): ContextCluster {
  const files = kubeconfigFiles(options, environment.env ?? process.env);
  if (!files)
    throw configError('no kubeconfig found: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config');
  const merged = mergeFiles(files);
  const contextName = options.context || merged.currentContext;
  const ctx = contextName ? merged.contexts.get(contextName) : undefined;
  if (!contextName || !ctx)
    throw configError(`context "${contextName ?? ''}" is not in the kubeconfig (${files.join(', ')})`);
  const clusterName = text(ctx.fields.cluster);
  const cluster = clusterName ? merged.clusters.get(clusterName) : undefined;
  if (!cluster)
    throw configError(`cluster "${clusterName ?? ''}" of context "${contextName}" is not in the kubeconfig`);
  const server = text(cluster.fields.server);
  if (!server) throw configError(`cluster "${cluster.name}" has no server; set its server URL`);
  const ca = tlsMaterial(cluster, 'certificate-authority');
  const serverName = text(cluster.fields['tls-server-name']);
  return {
    contextName,
    server,
    ...(ca !== undefined && { caData: ca.toString('base64') }),
    insecure: cluster.fields['insecure-skip-tls-verify'] === true,
    ...(serverName !== undefined && { serverName }),
  };
}
