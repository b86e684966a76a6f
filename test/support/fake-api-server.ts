// A fake Kubernetes API server on a free loopback port and a KubeClient pointed at it through a kubeconfig
// with a bearer token, for unit tests of what the client sends and how it reads the answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../src/kube/index.js';
import { startLocalHttpServer } from './local-http-server.js';

export interface FakeApiServer {
  readonly client: KubeClient;
  /** Closes the client and the server, and removes the kubeconfig. */
  close(): Promise<void>;
}

/** Serves `handler` and returns a client that authenticates with `token`. */
export async function startFakeApiServer(handler: RequestListener, token: string): Promise<FakeApiServer> {
  const server = await startLocalHttpServer(handler);
  const dir = mkdtempSync(join(tmpdir(), 'slipway-fake-api-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "${server.base}"}}]`,
      `users: [{name: u, user: {token: ${token}}}]`,
      'contexts: [{name: ctx, context: {cluster: c, user: u}}]',
      'current-context: ctx',
    ].join('\n'),
  );
  const client = KubeClient.fromKubeConfig({ kubeconfigPath });
  return {
    client,
    async close() {
      client.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
