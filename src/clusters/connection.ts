/**
 * A cluster's connection state, as Argo CD's cluster info (`Successful` / `Failed` with the error,
 * the server version): one GET /version with a short timeout. Used by the sync loop before it
 * touches a remote cluster, and by `slipway cluster list`.
 */
import { createHash } from 'node:crypto';
import type { KubeClient } from '../kube/index.js';
import type { Cluster, ConnectionState } from './types.js';

interface VersionInfo {
  readonly major?: string;
  readonly minor?: string;
  readonly gitVersion?: string;
}

/** `major.minor` without the `+` some distributions append (Argo CD shows e.g. "1.36"). */
export function shortVersion(info: VersionInfo): string | undefined {
  const major = (info.major ?? '').replace(/\D+$/, '');
  const minor = (info.minor ?? '').replace(/\D+$/, '');
  if (major !== '' && minor !== '') return `${major}.${minor}`;
  const m = /^v?(\d+)\.(\d+)/.exec(info.gitVersion ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** Asks the API server for its version; failures are data (`Failed` with the message). */
export async function probeConnection(
  client: KubeClient,
  nowMs: number,
  timeoutMs = 10_000,
): Promise<ConnectionState> {
  try {
    const info = await client.transport.request<VersionInfo>({ method: 'GET', path: '/version', timeoutMs });
    const serverVersion = shortVersion(info ?? {});
    return { status: 'Successful', message: '', ...(serverVersion && { serverVersion }), attemptedAt: nowMs };
  } catch (err) {
    return {
      status: 'Failed',
      message: err instanceof Error ? err.message : String(err),
      attemptedAt: nowMs,
    };
  }
}

/** Changes when anything a client is built from changes (so a rotated token gets a new client). */
export function connectionFingerprint(cluster: Cluster): string {
  return createHash('sha256')
    .update(JSON.stringify([cluster.name, cluster.server, cluster.config, cluster.namespaces]))
    .digest('hex');
}
