import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Discovery } from '../../../src/kube/discovery.js';
import type { KubeTransport } from '../../../src/kube/transport.js';

// A discovery document server whose served kinds the test changes, counting the refreshes.
function fakeServer() {
  const kinds = new Set<string>(['ConfigMap']);
  let loads = 0;
  const groups = () => ({
    kind: 'APIGroupDiscoveryList',
    items: kinds.has('Widget')
      ? [
          {
            metadata: { name: 'example.com' },
            versions: [
              {
                version: 'v1',
                resources: [{ resource: 'widgets', responseKind: { kind: 'Widget' }, scope: 'Namespaced' }],
              },
            ],
          },
        ]
      : [],
  });
  const transport = {
    async request(req: { path: string }) {
      if (req.path === '/api') {
        loads++;
        return {
          kind: 'APIGroupDiscoveryList',
          items: [
            {
              metadata: { name: '' },
              versions: [
                {
                  version: 'v1',
                  resources: [
                    { resource: 'configmaps', responseKind: { kind: 'ConfigMap' }, scope: 'Namespaced' },
                  ],
                },
              ],
            },
          ],
        };
      }
      return groups();
    },
  } as unknown as KubeTransport;
  return { kinds, transport, loads: () => loads };
}

const WIDGET = { apiVersion: 'example.com/v1', kind: 'Widget' };

describe('discovery: kinds whose CRD appears while the client runs', () => {
  it('a kind served a moment after a refresh is found: the miss waits out the interval and refreshes', async () => {
    const s = fakeServer();
    const d = new Discovery(s.transport, 200);
    await d.resolve({ apiVersion: 'v1', kind: 'ConfigMap' });
    s.kinds.add('Widget');
    const started = Date.now();
    const info = await d.resolve(WIDGET);
    assert.equal(info.resource, 'widgets');
    assert.ok(Date.now() - started >= 150, 'waited for the refresh interval');
    assert.equal(s.loads(), 2);
  });

  it('concurrent misses share one refresh', async () => {
    const s = fakeServer();
    const d = new Discovery(s.transport, 100);
    await d.resolve({ apiVersion: 'v1', kind: 'ConfigMap' });
    s.kinds.add('Widget');
    await Promise.all([d.resolve(WIDGET), d.resolve(WIDGET), d.resolve(WIDGET)]);
    assert.equal(s.loads(), 2);
  });

  it('a kind a refresh already missed fails at once until the interval has passed', async () => {
    const s = fakeServer();
    // an interval long enough that a loaded machine cannot pass it by accident during the loop
    const d = new Discovery(s.transport, 1_500);
    await assert.rejects(d.resolve(WIDGET), { code: 'KUBE_UNKNOWN_KIND' });
    const loadsAfterFirstMiss = s.loads();
    const started = Date.now();
    for (let i = 0; i < 10; i++) await assert.rejects(d.resolve(WIDGET), { code: 'KUBE_UNKNOWN_KIND' });
    assert.ok(Date.now() - started < 1_000, 'repeated misses do not wait');
    assert.equal(s.loads(), loadsAfterFirstMiss);
    await new Promise((r) => setTimeout(r, 1_600));
    s.kinds.add('Widget');
    assert.equal((await d.resolve(WIDGET)).kind, 'Widget');
  });
});
