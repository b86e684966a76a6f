/**
 * Access to a cluster from an Argo CD cluster Secret's `server` and `config` (Argo CD's
 * `ClusterConfig`: bearer token, basic auth, TLS client config, exec provider). The config is turned
 * into the kubeconfig entries it stands for, so auth works exactly as for a kubeconfig user.
 */
import type { Entry } from './kubeconfig.js';
import { accessFromEntries, type ClusterAccess } from './kubeconfig.js';

/** Argo CD's `TLSClientConfig`; the data fields are base64 PEM, as in the Secret's JSON. */
export interface ClusterTlsConfig {
  readonly insecure?: boolean;
  readonly serverName?: string;
  readonly caData?: string;
  readonly certData?: string;
  readonly keyData?: string;
}

/** Argo CD's `ExecProviderConfig` (a client-go credential plugin). */
export interface ClusterExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly apiVersion?: string;
  readonly installHint?: string;
}

/** Argo CD's `ClusterConfig`, the `config` key of a cluster Secret. Unknown fields are ignored. */
export interface ClusterConnectionConfig {
  readonly username?: string;
  readonly password?: string;
  readonly bearerToken?: string;
  readonly tlsClientConfig?: ClusterTlsConfig;
  readonly execProviderConfig?: ClusterExecConfig;
}

/** How a client reaches the cluster at `server` with an Argo CD cluster config. */
export function clusterAccessFromConfig(
  name: string,
  server: string,
  config: ClusterConnectionConfig,
): ClusterAccess {
  const tls = config.tlsClientConfig ?? {};
  const cluster: Entry = {
    name,
    dir: '/',
    fields: {
      server,
      ...(tls.insecure === true && { 'insecure-skip-tls-verify': true }),
      ...(tls.serverName && { 'tls-server-name': tls.serverName }),
      ...(tls.caData && { 'certificate-authority-data': tls.caData }),
    },
  };
  const exec = config.execProviderConfig;
  const userFields: Record<string, unknown> = {
    ...(config.bearerToken && { token: config.bearerToken }),
    ...(config.username && { username: config.username, password: config.password ?? '' }),
    ...(tls.certData && { 'client-certificate-data': tls.certData }),
    ...(tls.keyData && { 'client-key-data': tls.keyData }),
    ...(exec && {
      exec: {
        command: exec.command,
        args: [...(exec.args ?? [])],
        env: Object.entries(exec.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
        apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1',
        ...(exec.installHint && { installHint: exec.installHint }),
        interactiveMode: 'Never',
      },
    }),
  };
  const user: Entry | undefined =
    Object.keys(userFields).length > 0 ? { name, dir: '/', fields: userFields } : undefined;
  return accessFromEntries(cluster, user, name, 'default');
}
