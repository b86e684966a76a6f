import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';
import { type FakeApiServer, startFakeApiServer } from '../../support/fake-api-server.js';

// A fake API server that answers like the real one: items of a full list of a built-in kind carry no
// apiVersion/kind, PartialObjectMetadata items name themselves meta.k8s.io/v1, lists come in pages.
const discovery = (group: string, version: string, resource: string, kind: string) => ({
  kind: 'APIGroupDiscoveryList',
  items: [
    {
      metadata: { name: group },
      versions: [
        {
          version,
          resources: [{ resource, responseKind: { kind }, scope: 'Namespaced', verbs: ['list', 'watch'] }],
        },
      ],
    },
  ],
});

const names = ['a', 'b', 'c', 'd', 'e'];

function page(url: URL, metadataOnly: boolean): unknown {
  const limit = Number(url.searchParams.get('limit') ?? 500);
  const start = Number(url.searchParams.get('continue') || 0);
  const slice = names.slice(start, start + limit);
  const next = start + limit < names.length ? String(start + limit) : undefined;
  return {
    apiVersion: metadataOnly ? 'meta.k8s.io/v1' : 'v1',
    kind: metadataOnly ? 'PartialObjectMetadataList' : 'ConfigMapList',
    metadata: { resourceVersion: '42', ...(next && { continue: next }) },
    items: slice.map((name) => ({
      ...(metadataOnly && { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata' }),
      metadata: { name, namespace: 'ns', resourceVersion: '7' },
      ...(!metadataOnly && { data: { k: name } }),
    })),
  };
}

describe('KubeClient.list: every item names the kind that was asked for', () => {
  let api: FakeApiServer;
  let client: KubeClient;

  before(async () => {
    api = await startFakeApiServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const metadataOnly = (req.headers.accept ?? '').includes('PartialObjectMetadataList');
      let body: unknown;
      if (url.pathname === '/api') body = discovery('', 'v1', 'configmaps', 'ConfigMap');
      else if (url.pathname === '/apis') body = { kind: 'APIGroupDiscoveryList', items: [] };
      else if (url.pathname === '/api/v1/namespaces/ns/configmaps') body = page(url, metadataOnly);
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { kind: 'Status', code: 404, reason: 'NotFound' }));
    }, 't');
    client = api.client;
  });
  after(() => api.close());

  const gvk = { apiVersion: 'v1', kind: 'ConfigMap' } as const;
  const kinds = (items: readonly KubeObject[]) =>
    items.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.name}`);
  const expected = names.map((n) => `v1/ConfigMap/${n}`);

  it('fills apiVersion/kind on the items of a full list', async () => {
    const list = await client.list(gvk, { namespace: 'ns' });
    assert.deepEqual(kinds(list.items), expected);
  });

  it('does so on every page of a paged list', async () => {
    const { items, resourceVersion } = await client.listAll(gvk, { namespace: 'ns', limit: 2 });
    assert.equal(resourceVersion, '42');
    assert.deepEqual(kinds(items), expected);
  });

  it('replaces meta.k8s.io/v1 PartialObjectMetadata on metadata-only lists, paged or not', async () => {
    const one = await client.list(gvk, { namespace: 'ns', metadataOnly: true });
    assert.deepEqual(kinds(one.items), expected);
    const all = await client.listAll(gvk, { namespace: 'ns', metadataOnly: true, limit: 3 });
    assert.deepEqual(kinds(all.items), expected);
  });
});
