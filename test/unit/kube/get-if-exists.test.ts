import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../../src/kube/index.js';
import { type FakeApiServer, startFakeApiServer } from '../../support/fake-api-server.js';

const discovery = {
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

describe('KubeClient.getIfExists', () => {
  let api: FakeApiServer;
  let client: KubeClient;

  before(async () => {
    api = await startFakeApiServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const reply = (code: number, body: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/api') return reply(200, discovery);
      if (path === '/apis') return reply(200, { kind: 'APIGroupDiscoveryList', items: [] });
      if (path === '/api/v1/namespaces/ns/configmaps/here')
        return reply(200, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'here', namespace: 'ns' },
        });
      if (path === '/api/v1/namespaces/ns/configmaps/forbidden')
        return reply(403, { kind: 'Status', code: 403, reason: 'Forbidden', message: 'no' });
      return reply(404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' });
    }, 't');
    client = api.client;
  });
  after(() => api.close());

  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' } });

  it('returns the object the cluster holds', async () => {
    assert.equal((await client.getIfExists(cm('here')))?.metadata.name, 'here');
  });

  it('returns undefined for an object that does not exist', async () => {
    assert.equal(await client.getIfExists(cm('gone')), undefined);
  });

  it('throws any other error', async () => {
    await assert.rejects(client.getIfExists(cm('forbidden')), { code: 'KUBE_FORBIDDEN' });
  });
});
