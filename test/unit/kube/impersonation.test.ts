import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../../src/kube/index.js';
import { type FakeApiServer, startFakeApiServer } from '../../support/fake-api-server.js';

// A fake API server that records the headers of each request for a ConfigMap.
describe('KubeClient.impersonating: acts as another user with the same credentials', () => {
  let api: FakeApiServer;
  let client: KubeClient;
  const seen: IncomingHttpHeaders[] = [];

  before(async () => {
    api = await startFakeApiServer((req, res) => {
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
    }, 'controller-token');
    client = api.client;
  });
  after(() => api.close());

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
