import { randomBytes } from 'node:crypto';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';

/** The shared cluster's client. Fails loudly when the runner did not start a cluster. */
export function testClient(): KubeClient {
  const kubeconfigPath = process.env.SLIPWAY_TEST_KUBECONFIG;
  if (!kubeconfigPath) {
    throw new Error(
      'SLIPWAY_TEST_KUBECONFIG is not set: run integration tests through `npm test` (test/run.mjs)',
    );
  }
  return KubeClient.fromKubeConfig({ kubeconfigPath });
}

export function testKubeconfigPath(): string {
  const p = process.env.SLIPWAY_TEST_KUBECONFIG;
  if (!p) throw new Error('SLIPWAY_TEST_KUBECONFIG is not set: run integration tests through `npm test`');
  return p;
}

/** Creates a uniquely named namespace for one scenario; `delete()` removes it (in the background). */
export async function testNamespace(
  client: KubeClient,
  prefix: string,
): Promise<{ name: string; delete(): Promise<void> }> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await client.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'slipway.dev/test': 'true' } },
  });
  return {
    name,
    delete: () =>
      client
        .delete({ apiVersion: 'v1', kind: 'Namespace', name }, { propagationPolicy: 'Background' })
        .catch(() => {}),
  };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      last = undefined;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const why = last instanceof Error ? ` (last error: ${last.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
}

export function configMap(namespace: string, name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name }, data };
}
