import { explainAccessError, type KubeObject, type KubeReader } from '../kube/index.js';
import type { Argument } from './types.js';

interface SecretObject extends KubeObject {
  readonly data?: Readonly<Record<string, string>>;
}

/**
 * Reads the Secret behind every `valueFrom.secretKeyRef` arg (at measurement time, as Argo does).
 * Returns arg name → decoded value, or why an arg cannot be resolved (never containing a value).
 */
export async function resolveSecretArgs(
  client: KubeReader,
  namespace: string,
  args: readonly Argument[] | undefined,
): Promise<{ ok: true; values: Map<string, string> } | { ok: false; message: string }> {
  const values = new Map<string, string>();
  for (const arg of args ?? []) {
    const ref = arg.valueFrom?.secretKeyRef;
    if (ref === undefined) continue;
    let secret: SecretObject;
    try {
      secret = await client.get<SecretObject>({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace,
        name: ref.name,
      });
    } catch (err) {
      // a 403 names the missing permission; say which opt-in grants it (never a cluster-wide read)
      const recipe = `bind ClusterRole slipway-analysis-secrets in namespace ${namespace} with a RoleBinding`;
      return { ok: false, message: explainAccessError(err, recipe) };
    }
    const encoded = secret.data?.[ref.key];
    if (encoded === undefined)
      return { ok: false, message: `key '${ref.key}' does not exist in secret '${ref.name}'` };
    values.set(arg.name, Buffer.from(encoded, 'base64').toString('utf8'));
  }
  return { ok: true, values };
}
