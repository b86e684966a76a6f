// The credentials a kubelet mounts into a pod at /var/run/secrets/kubernetes.io/serviceaccount: a bound
// token from the TokenRequest API, the API server's CA and the namespace.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient } from '../../../src/kube/index.js';

export const SERVICE_ACCOUNT_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

interface TokenRequest {
  status?: { token?: string };
}

/** A token for `namespace/name` from the TokenRequest API (what kubelet projects into pods). */
export async function requestServiceAccountToken(
  client: KubeClient,
  namespace: string,
  name: string,
  expirationSeconds = 3600,
): Promise<string> {
  const res = await client.transport.request<TokenRequest>({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds },
    },
  });
  const token = res.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
  return token;
}

/** Writes token, ca.crt and namespace into `dir` (world-readable, like kubelet's default 0644). */
export function writeServiceAccountDir(dir: string, token: string, caPem: string, namespace: string): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  for (const [file, text] of [
    ['token', token],
    ['ca.crt', caPem],
    ['namespace', namespace],
  ] as const) {
    writeFileSync(join(dir, file), text, { mode: 0o644 });
  }
}
