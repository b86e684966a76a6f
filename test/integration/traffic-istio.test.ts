import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type KubeClient, KubeErrorCode, type KubeObject } from '../../src/kube/index.js';
import {
  DESTINATION_RULE,
  IstioErrorCode,
  istioRouterFactory,
  MANAGED_BY_ROLLOUTS_ANNOTATION,
  VIRTUAL_SERVICE,
} from '../../src/rollouts/traffic/istio/index.js';
import { createTrafficRouters } from '../../src/rollouts/traffic/registry.js';
import type { TrafficRouter } from '../../src/rollouts/traffic/router.js';
import type { CanaryStrategy, Rollout } from '../../src/rollouts/types.js';
import { testClient, testNamespace } from '../support/kube.js';
import { requireUpstreamCrd } from '../support/traffic/upstream-crds.js';

type Json = Record<string, unknown>;
const dest = (host: string, weight: number, subset?: string): Json => ({
  destination: { host, ...(subset && { subset }) },
  weight,
});

/** `name: host[/subset]=weight …` per HTTP / TLS / TCP route, as read back from the API server. */
function routes(vs: KubeObject, kind: 'http' | 'tls' | 'tcp' = 'http'): string[] {
  const list = ((vs.spec as Json)[kind] as Json[] | undefined) ?? [];
  return list.map((r) => {
    const ds = ((r.route as Json[] | undefined) ?? []).map((d) => {
      const { host, subset } = d.destination as { host: string; subset?: string };
      return `${subset ? `${host}/${subset}` : host}=${String(d.weight ?? 0)}`;
    });
    return `${typeof r.name === 'string' ? r.name : '-'}: ${ds.join(' ')}`;
  });
}

describe('Istio traffic router against a real API server', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let other: { name: string; delete(): Promise<void> };

  before(async () => {
    client = testClient();
    await requireUpstreamCrd(client, 'virtualservices.networking.istio.io');
    await requireUpstreamCrd(client, 'destinationrules.networking.istio.io');
    ns = await testNamespace(client, 'istio');
    other = await testNamespace(client, 'istio-other');
  });
  after(async () => {
    await ns.delete();
    await other.delete();
    client.close();
  });

  const rolloutOf = (name: string, canary: CanaryStrategy): Rollout => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace: ns.name, uid: `uid-${name}` },
    spec: { replicas: 10, strategy: { canary } },
  });
  const routerFor = (rollout: Rollout): TrafficRouter => {
    assert.equal(istioRouterFactory.matches(rollout), true);
    assert.deepEqual(istioRouterFactory.validate(rollout), []);
    return istioRouterFactory.create({ rollout, client, fieldManager: 'slipway-test' });
  };
  const readVs = (name: string, namespace = ns.name) => client.get({ ...VIRTUAL_SERVICE, namespace, name });

  it('host-level split over HTTP, TLS and TCP routes, header and mirror routes, experiments', async () => {
    await client.create({
      ...VIRTUAL_SERVICE,
      metadata: { name: 'web-vs', namespace: ns.name },
      spec: {
        hosts: ['web'],
        http: [{ name: 'primary', route: [dest('web-stable', 100), dest('web-canary', 0)] }],
        tls: [
          {
            match: [{ port: 3000, sniHosts: ['web.example.com'] }],
            route: [dest('web-stable.prod.svc.cluster.local', 100), dest('web-canary', 0)],
          },
        ],
        tcp: [{ match: [{ port: 4000 }], route: [dest('web-stable', 100), dest('web-canary', 0)] }],
      },
    });
    const rollout = rolloutOf('web', {
      canaryService: 'web-canary',
      stableService: 'web-stable',
      trafficRouting: {
        istio: {
          virtualService: {
            name: 'web-vs',
            routes: ['primary'],
            tlsRoutes: [{ port: 3000, sniHosts: ['web.example.com'] }],
            tcpRoutes: [{ port: 4000 }],
          },
        },
        managedRoutes: [{ name: 'header-route' }, { name: 'mirror-route' }],
      },
    });
    const router = routerFor(rollout);
    assert.equal(router.type, 'Istio');
    const registered = createTrafficRouters({ rollout, client, fieldManager: 'slipway-test' });
    assert.deepEqual(
      registered.map((r) => r.type),
      ['Istio'],
      'the registry builds the Istio router for this Rollout',
    );

    await router.setWeight(10, []);
    let vs = await readVs('web-vs');
    assert.deepEqual(routes(vs), ['primary: web-stable=90 web-canary=10']);
    assert.deepEqual(routes(vs, 'tls'), ['-: web-stable.prod.svc.cluster.local=90 web-canary=10']);
    assert.deepEqual(routes(vs, 'tcp'), ['-: web-stable=90 web-canary=10']);
    assert.equal(await router.verifyWeight(10, []), undefined, 'Istio cannot verify weights');

    // Idempotent: the same weight again writes nothing.
    const version = vs.metadata.resourceVersion;
    await router.setWeight(10, []);
    assert.equal((await readVs('web-vs')).metadata.resourceVersion, version);

    await router.setHeaderRoute({
      name: 'header-route',
      match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }],
    });
    await router.setMirrorRoute({
      name: 'mirror-route',
      match: [{ method: { exact: 'GET' } }],
      percentage: 50,
    });
    vs = await readVs('web-vs');
    assert.deepEqual(routes(vs), [
      'header-route: web-canary=100',
      'mirror-route: web-stable=90 web-canary=10',
      'primary: web-stable=90 web-canary=10',
    ]);
    const http = (vs.spec as Json).http as Json[];
    assert.deepEqual(http[0]?.match, [{ headers: { 'x-canary': { exact: 'yes' } } }]);
    assert.deepEqual(http[1]?.mirror, { host: 'web-canary' });
    assert.deepEqual(http[1]?.mirrorPercentage, { value: 50 });

    // A new weight moves the managed mirror route with the primary route.
    await router.setWeight(30, []);
    assert.deepEqual(routes(await readVs('web-vs')), [
      'header-route: web-canary=100',
      'mirror-route: web-stable=70 web-canary=30',
      'primary: web-stable=70 web-canary=30',
    ]);

    await router.removeManagedRoutes();
    assert.deepEqual(routes(await readVs('web-vs')), ['primary: web-stable=70 web-canary=30']);

    // An experiment's service joins the split and leaves it.
    await router.setWeight(20, [{ serviceName: 'web-exp', weight: 10 }]);
    assert.deepEqual(routes(await readVs('web-vs')), ['primary: web-stable=70 web-canary=20 web-exp=10']);
    await router.setWeight(20, []);
    vs = await readVs('web-vs');
    assert.deepEqual(routes(vs), ['primary: web-stable=80 web-canary=20']);
    assert.deepEqual((vs.spec as Json).hosts, ['web'], 'fields the router does not own are kept');
  });

  it('several VirtualServices, one in another namespace (name.namespace)', async () => {
    await client.create({
      ...VIRTUAL_SERVICE,
      metadata: { name: 'api-vs', namespace: ns.name },
      spec: { http: [{ name: 'main', route: [dest('api-stable', 100), dest('api-canary', 0)] }] },
    });
    await client.create({
      ...VIRTUAL_SERVICE,
      metadata: { name: 'api-edge', namespace: other.name },
      spec: { http: [{ route: [dest('api-stable', 100), dest('api-canary', 0)] }] },
    });
    const router = routerFor(
      rolloutOf('api', {
        canaryService: 'api-canary',
        stableService: 'api-stable',
        trafficRouting: {
          istio: {
            virtualServices: [{ name: 'api-vs', routes: ['main'] }, { name: `api-edge.${other.name}` }],
          },
        },
      }),
    );
    await router.setWeight(50, []);
    assert.deepEqual(routes(await readVs('api-vs')), ['main: api-stable=50 api-canary=50']);
    assert.deepEqual(routes(await readVs('api-edge', other.name)), ['-: api-stable=50 api-canary=50']);
    await router.setWeight(0, []);
    assert.deepEqual(routes(await readVs('api-edge', other.name)), ['-: api-stable=100 api-canary=0']);
  });

  it('subset-level split: DestinationRule subsets follow the pod-template hashes', async () => {
    await client.create({
      ...DESTINATION_RULE,
      metadata: { name: 'shop-dr', namespace: ns.name },
      spec: {
        host: 'shop',
        trafficPolicy: { loadBalancer: { simple: 'LEAST_CONN' } },
        subsets: [
          { name: 'stable', labels: { app: 'shop' } },
          { name: 'canary', labels: { app: 'shop' } },
        ],
      },
    });
    await client.create({
      ...VIRTUAL_SERVICE,
      metadata: { name: 'shop-vs', namespace: ns.name },
      spec: { http: [{ route: [dest('shop', 100, 'stable'), dest('shop', 0, 'canary')] }] },
    });
    const router = routerFor(
      rolloutOf('shop', {
        trafficRouting: {
          istio: {
            virtualService: { name: 'shop-vs' },
            destinationRule: { name: 'shop-dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
          },
          managedRoutes: [{ name: 'by-header' }],
        },
      }),
    );
    await router.updateHash('abc123', 'def456', []);
    const dr = await client.get({ ...DESTINATION_RULE, namespace: ns.name, name: 'shop-dr' });
    assert.equal(dr.metadata.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION], 'shop');
    assert.deepEqual((dr.spec as Json).subsets, [
      { name: 'stable', labels: { app: 'shop', 'rollouts-pod-template-hash': 'def456' } },
      { name: 'canary', labels: { app: 'shop', 'rollouts-pod-template-hash': 'abc123' } },
    ]);
    assert.deepEqual((dr.spec as Json).trafficPolicy, { loadBalancer: { simple: 'LEAST_CONN' } });

    await router.setWeight(25, []);
    assert.deepEqual(routes(await readVs('shop-vs')), ['-: shop/stable=75 shop/canary=25']);

    await router.setHeaderRoute({
      name: 'by-header',
      match: [{ headerName: 'x-beta', headerValue: { prefix: 'on' } }],
    });
    const http = ((await readVs('shop-vs')).spec as Json).http as Json[];
    assert.deepEqual(http[0]?.route, [{ weight: 100, destination: { host: 'shop', subset: 'canary' } }]);

    // Promotion: both subsets select the new hash; an empty canary hash drops the label.
    await router.updateHash('abc123', 'abc123', []);
    await router.updateHash(undefined, 'abc123', []);
    const promoted = await client.get({ ...DESTINATION_RULE, namespace: ns.name, name: 'shop-dr' });
    assert.deepEqual((promoted.spec as Json).subsets, [
      { name: 'stable', labels: { app: 'shop', 'rollouts-pod-template-hash': 'abc123' } },
      { name: 'canary', labels: { app: 'shop' } },
    ]);
  });

  it('a VirtualService that cannot carry the split: Argo message, nothing written', async () => {
    await client.create({
      ...VIRTUAL_SERVICE,
      metadata: { name: 'bad-vs', namespace: ns.name },
      spec: { http: [{ name: 'primary', route: [dest('bad-stable', 100), dest('bad-canary', 0)] }] },
    });
    const router = routerFor(
      rolloutOf('bad', {
        canaryService: 'bad-canary',
        stableService: 'bad-stable',
        trafficRouting: { istio: { virtualService: { name: 'bad-vs', routes: ['missing'] } } },
      }),
    );
    const before = (await readVs('bad-vs')).metadata.resourceVersion;
    await assert.rejects(router.setWeight(10, []), (err: Error & { code?: string }) => {
      assert.equal(err.code, IstioErrorCode.InvalidRoutes);
      assert.equal(err.message, "HTTP Route 'missing' is not found in the defined Virtual Service.");
      return true;
    });
    assert.equal((await readVs('bad-vs')).metadata.resourceVersion, before);

    const missing = routerFor(
      rolloutOf('gone', {
        canaryService: 'c',
        stableService: 's',
        trafficRouting: { istio: { virtualService: { name: 'no-such-vs' } }, managedRoutes: [{ name: 'h' }] },
      }),
    );
    await assert.rejects(missing.setWeight(10, []), (err: Error & { code?: string }) => {
      assert.equal(err.code, KubeErrorCode.NotFound);
      return true;
    });
    await missing.removeManagedRoutes(); // nothing to clean up in a VirtualService that is gone
  });
});
