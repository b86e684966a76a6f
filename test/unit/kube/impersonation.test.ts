import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KubeClient } from '../../../src/kube/index.js';

// A fake API server that records the headers of each request for a ConfigMap.
describe('KubeClient.impersonating: acts as another user with the same credentials', () => {
  let server: Server;
  let dir: string;
  let client: KubeClient;
  const seen: IncomingHttpHeaders[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let body: unknown;
      if (url.pathname === '/api')
        body = {
          kind: 'APIGroupDiscoveryList',
          items: [
            {
              metadata: { name: '' },
              versions: [
                {
                  version: 'v1',
                  resources: [
                    {
                      resource: 'configmaps',
                      responseKind: { kind: 'ConfigMap' },
                      scope: 'Namespaced',
                      verbs: ['get'],
                    },
                  ],
                },
              ],
            },
          ],
        };
      else if (url.pathname === '/apis') body = { kind: 'APIGroupDiscoveryList', items: [] };
      else if (url.pathname === '/api/v1/namespaces/ns/configmaps/cm') {
        seen.push(req.headers);
        body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' } };
      }
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { kind: 'Status', code: 404, reason: 'NotFound' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    dir = mkdtempSync(join(tmpdir(), 'slipway-impersonation-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]`,
        'users: [{name: u, user: {token: controller-token}}]',
        'contexts: [{name: ctx, context: {cluster: c, user: u}}]',
        'current-context: ctx',
      ].join('\n'),
    );
    client = KubeClient.fromKubeConfig({ kubeconfigPath: kubeconfig });
  });
  after(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'cm' } as const;

  it('sends Impersonate-User, -Uid, every -Group and percent-encoded -Extra keys beside its own token', async () => {
    const alice = client.impersonating({
      username: 'system:serviceaccount:team-a:alice',
      uid: 'u-1',
      groups: ['system:serviceaccounts', 'system:authenticated'],
      extra: { 'example.com/team': ['a', 'b'] },
    });
    await alice.get(ref);
    const h = seen.at(-1) ?? {};
    assert.equal(h.authorization, 'Bearer controller-token');
    assert.equal(h['impersonate-user'], 'system:serviceaccount:team-a:alice');
    assert.equal(h['impersonate-uid'], 'u-1');
    // node joins repeated request headers with ", " (the API server reads each value)
    assert.equal(h['impersonate-group'], 'system:serviceaccounts, system:authenticated');
    assert.equal(h['impersonate-extra-example.com%2fteam'], 'a, b');
  });

  it('leaves the original client as itself', async () => {
    await client.get(ref);
    const h = seen.at(-1) ?? {};
    assert.equal(h.authorization, 'Bearer controller-token');
    assert.equal(h['impersonate-user'], undefined);
    assert.equal(h['impersonate-group'], undefined);
  });
});
