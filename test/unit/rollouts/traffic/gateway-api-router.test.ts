/**
 * The router class over an in-memory TrafficClient: which routes it walks, in which order, when it writes,
 * and how it recovers from a conflicting write. The same class runs against a real API server in
 * test/integration/traffic-gateway-api.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  KubeError,
  KubeErrorCode,
  type KubeList,
  type KubeObject,
  type ObjectRef,
} from '../../../../src/kube/index.js';
import { GatewayApiRouter } from '../../../../src/rollouts/traffic/gateway-api/index.js';
import type { TrafficClient } from '../../../../src/rollouts/traffic/router.js';
import type { Rollout } from '../../../../src/rollouts/types.js';

const key = (
  apiVersion: string | undefined,
  kind: string | undefined,
  ns: string | undefined,
  name: string,
) => `${apiVersion}/${kind}/${ns}/${name}`;

/** An in-memory store with resourceVersions; `conflictsLeft` makes the next replaces fail with 409. */
class MemoryClient {
  readonly objects = new Map<string, KubeObject>();
  readonly writes: string[] = [];
  conflictsLeft = 0;
  /** `apiVersion/kind` pairs the server does not serve (discovery answers KUBE_UNKNOWN_KIND). */
  readonly unserved = new Set<string>();
  private rv = 1;

  private checkServed(gvk: { apiVersion: string; kind: string }): void {
    if (this.unserved.has(`${gvk.apiVersion}/${gvk.kind}`))
      throw new KubeError(KubeErrorCode.UnknownKind, `the server has no resource for kind ${gvk.kind}`);
  }

  add(obj: KubeObject): void {
    const m = obj.metadata;
    this.objects.set(key(obj.apiVersion, obj.kind, m.namespace, m.name ?? ''), {
      ...obj,
      metadata: { ...m, resourceVersion: String(this.rv++) },
    });
  }

  asClient(): TrafficClient {
    const unsupported = () => Promise.reject(new Error('not used by the router'));
    return {
      get: async <T extends KubeObject>(ref: ObjectRef) => {
        this.checkServed(ref);
        const obj = this.objects.get(key(ref.apiVersion, ref.kind, ref.namespace, ref.name));
        if (!obj) throw new KubeError(KubeErrorCode.NotFound, `${ref.kind} "${ref.name}" not found`);
        return structuredClone(obj) as T;
      },
      list: async <T extends KubeObject>(
        gvk: { apiVersion: string; kind: string },
        options?: { labelSelector?: string },
      ) => {
        this.checkServed(gvk);
        const [k, v] = (options?.labelSelector ?? '').split('=');
        const items = [...this.objects.values()].filter(
          (o) =>
            o.apiVersion === gvk.apiVersion && o.kind === gvk.kind && (!k || o.metadata.labels?.[k] === v),
        );
        return {
          apiVersion: gvk.apiVersion,
          kind: `${gvk.kind}List`,
          metadata: {},
          items,
        } as unknown as KubeList<T>;
      },
      replace: async <T extends KubeObject>(obj: KubeObject) => {
        const m = obj.metadata;
        const k = key(obj.apiVersion, obj.kind, m.namespace, m.name ?? '');
        const current = this.objects.get(k);
        if (this.conflictsLeft > 0) {
          this.conflictsLeft--;
          this.add({ ...(current as KubeObject) }); // someone else wrote meanwhile
          throw new KubeError(KubeErrorCode.Conflict, 'the object has been modified');
        }
        if (current?.metadata.resourceVersion !== m.resourceVersion)
          throw new KubeError(KubeErrorCode.Conflict, 'stale resourceVersion');
        this.writes.push(`${obj.kind}/${m.name}`);
        this.add(obj);
        return obj as T;
      },
      create: unsupported,
      patch: unsupported,
      delete: unsupported,
      apply: unsupported,
    };
  }
}

const httpRoute = (name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { namespace: 'apps', name, ...(labels && { labels }) },
  spec: {
    rules: [
      {
        backendRefs: [
          { name: 'stable', weight: 100 },
          { name: 'canary', weight: 0 },
        ],
      },
    ],
  },
});

const rollout = (plugin: unknown): Rollout => ({
  metadata: { namespace: 'apps', name: 'web' },
  spec: {
    strategy: {
      canary: {
        canaryService: 'canary',
        stableService: 'stable',
        trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': plugin }, managedRoutes: [{ name: 'h' }] },
      },
    },
  },
});

describe('GatewayApiRouter over a TrafficClient', () => {
  it('walks the listed routes, the single route, then the discovered ones; writes only what changes', async () => {
    const mem = new MemoryClient();
    for (const n of ['a', 'b', 'c']) mem.add(httpRoute(n));
    mem.add(httpRoute('d', { app: 'web' }));
    const router = new GatewayApiRouter({
      rollout: rollout({
        httpRoute: 'c',
        httpRoutes: [{ name: 'b' }, { name: 'a' }],
        httpRouteSelector: { matchLabels: { app: 'web' } },
      }),
      client: mem.asClient(),
      fieldManager: 'test',
    });
    await router.setWeight(10, []);
    assert.deepEqual(mem.writes, ['HTTPRoute/b', 'HTTPRoute/a', 'HTTPRoute/c', 'HTTPRoute/d']);
    await router.setWeight(10, []);
    assert.equal(mem.writes.length, 4, 'the same weight again writes nothing');
    assert.equal(await router.verifyWeight(10, []), true);
    // header routes go only to routes that take them: the single route (c), not the list entries or discovered
    await router.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: { exact: '1' } }] });
    assert.deepEqual(mem.writes.slice(4), ['HTTPRoute/c']);
  });

  it('reads again and retries when a write conflicts', async () => {
    const mem = new MemoryClient();
    mem.add(httpRoute('a'));
    mem.conflictsLeft = 2;
    const router = new GatewayApiRouter({
      rollout: rollout({ httpRoute: 'a' }),
      client: mem.asClient(),
      fieldManager: 'test',
    });
    await router.setWeight(40, []);
    assert.deepEqual(mem.writes, ['HTTPRoute/a']);
    assert.equal(await router.verifyWeight(40, []), true);
  });

  it('gives up after repeated conflicts with the conflict as the cause', async () => {
    const mem = new MemoryClient();
    mem.add(httpRoute('a'));
    mem.conflictsLeft = 100;
    const router = new GatewayApiRouter({
      rollout: rollout({ httpRoute: 'a' }),
      client: mem.asClient(),
      fieldManager: 'test',
    });
    await assert.rejects(router.setWeight(40, []), (err: Error) => {
      assert.match(err.message, /^failed to set weight via plugin: the object has been modified$/);
      return true;
    });
    assert.ok(mem.conflictsLeft > 90, 'bounded retries');
  });

  it('reports an unreadable configuration on every operation', async () => {
    const router = new GatewayApiRouter({
      rollout: rollout('web'),
      client: new MemoryClient().asClient(),
      fieldManager: 'test',
    });
    await assert.rejects(router.removeManagedRoutes(), (err: Error) => {
      assert.match(
        err.message,
        /^failed to remove managed routes via plugin: json: cannot unmarshal string into Go value of type plugin.GatewayAPITrafficRouting$/,
      );
      return true;
    });
  });

  it('uses TCPRoute v1 where v1alpha2 is not served (Gateway API standard channel from v1.5)', async () => {
    const mem = new MemoryClient();
    mem.unserved.add('gateway.networking.k8s.io/v1alpha2/TCPRoute');
    mem.add({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'TCPRoute',
      metadata: { namespace: 'apps', name: 'db' },
      spec: {
        rules: [
          {
            backendRefs: [
              { name: 'stable', weight: 100 },
              { name: 'canary', weight: 0 },
            ],
          },
        ],
      },
    });
    const router = new GatewayApiRouter({
      rollout: rollout({ tcpRoute: 'db' }),
      client: mem.asClient(),
      fieldManager: 'test',
    });
    await router.setWeight(25, []);
    assert.deepEqual(mem.writes, ['TCPRoute/db']);
    const stored = [...mem.objects.values()][0] as KubeObject & {
      spec: { rules: { backendRefs: { weight: number }[] }[] };
    };
    assert.equal(stored.apiVersion, 'gateway.networking.k8s.io/v1');
    assert.deepEqual(
      stored.spec.rules[0]?.backendRefs.map((b) => b.weight),
      [75, 25],
    );
    assert.equal(await router.verifyWeight(25, []), true);
  });
});
