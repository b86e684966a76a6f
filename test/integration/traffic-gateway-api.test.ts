/**
 * The Gateway API router class against a real API server: weights, verification, header routes, managed
 * route removal, experiment backends and errors, read back from HTTPRoute / GRPCRoute / TCPRoute objects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hasErrorCode } from '../../src/errors/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../src/kube/index.js';
import {
  GATEWAY_API_ERROR,
  GatewayApiRouter,
  gatewayApiRouterFactory,
  type RouteObject,
} from '../../src/rollouts/traffic/gateway-api/index.js';
import { createTrafficRouters } from '../../src/rollouts/traffic/registry.js';
import type { Rollout } from '../../src/rollouts/types.js';
import { testClient, testNamespace } from '../support/kube.js';
import { requireUpstreamCrd } from '../support/traffic/upstream-crds.js';

const GROUP = 'gateway.networking.k8s.io';
const CANARY = 'web-canary';
const STABLE = 'web-stable';
const LABEL = 'rollouts.argoproj.io/gatewayapi-canary';
const FIELD_MANAGER = 'slipway-test';

const backend = (name: string, weight: number, port = 80) => ({ name, port, weight });

let tcpVersion = 'v1alpha2';

function route(kind: 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute', namespace: string, name: string, spec: object) {
  const version = kind === 'TCPRoute' ? tcpVersion : 'v1';
  return { apiVersion: `${GROUP}/${version}`, kind, metadata: { namespace, name }, spec } as KubeObject;
}

function rolloutWith(namespace: string, plugin: object, status?: Rollout['status']): Rollout {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace },
    spec: {
      strategy: {
        canary: {
          canaryService: CANARY,
          stableService: STABLE,
          trafficRouting: {
            plugins: { 'argoproj-labs/gatewayAPI': plugin },
            managedRoutes: [{ name: 'canary-header' }],
          },
        },
      },
    },
    ...(status && { status }),
  };
}

describe('Gateway API router against a real API server', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };

  const get = (kind: 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute', name: string) =>
    client.get<RouteObject & KubeObject>({
      apiVersion: `${GROUP}/${kind === 'TCPRoute' ? tcpVersion : 'v1'}`,
      kind,
      namespace: ns.name,
      name,
    });
  const weights = (r: RouteObject, rule = 0) =>
    Object.fromEntries((r.spec?.rules?.[rule]?.backendRefs ?? []).map((b) => [b.name, b.weight]));
  const router = (rollout: Rollout) => new GatewayApiRouter({ rollout, client, fieldManager: FIELD_MANAGER });

  before(async () => {
    client = testClient();
    await requireUpstreamCrd(client, `httproutes.${GROUP}`);
    await requireUpstreamCrd(client, `grpcroutes.${GROUP}`);
    // TCPRoute is served as v1alpha2 (experimental channel, the plugin's version) or only as v1 (standard)
    const tcpVersions = await requireUpstreamCrd(client, `tcproutes.${GROUP}`);
    tcpVersion = tcpVersions.includes('v1alpha2') ? 'v1alpha2' : 'v1';
    ns = await testNamespace(client, 'gwapi');
    const http = {
      parentRefs: [{ name: 'gateway' }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [backend(STABLE, 100), backend(CANARY, 0)],
        },
      ],
    };
    await client.create(route('HTTPRoute', ns.name, 'web-http', http));
    await client.create(
      route('GRPCRoute', ns.name, 'web-grpc', {
        parentRefs: [{ name: 'gateway' }],
        rules: [{ backendRefs: [backend(STABLE, 100, 9090), backend(CANARY, 0, 9090)] }],
      }),
    );
    await client.create(
      route('TCPRoute', ns.name, 'web-tcp', {
        parentRefs: [{ name: 'gateway' }],
        rules: [{ backendRefs: [backend(STABLE, 100, 5432), backend(CANARY, 0, 5432)] }],
      }),
    );
    const labelled = route('HTTPRoute', ns.name, 'web-labelled', http);
    await client.create({ ...labelled, metadata: { ...labelled.metadata, labels: { app: 'web' } } });
    await client.create(
      route('HTTPRoute', ns.name, 'no-stable', { rules: [{ backendRefs: [backend(CANARY, 0)] }] }),
    );
    await client.create(route('HTTPRoute', ns.name, 'exp-http', http));
    await client.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: ns.name, name: 'exp-svc' },
      spec: { ports: [{ name: 'http', port: 80 }], selector: { app: 'exp' } },
    });
  });
  after(async () => {
    await ns?.delete();
    client?.close();
  });

  const plugin = {
    httpRoutes: [{ name: 'web-http', useHeaderRoutes: true }],
    grpcRoute: 'web-grpc',
    tcpRoutes: [{ name: 'web-tcp' }],
  };

  it('is registered under the plugin name and built for Rollouts that configure it', () => {
    const rollout = rolloutWith(ns.name, plugin);
    assert.equal(gatewayApiRouterFactory.key, 'argoproj-labs/gatewayAPI');
    const routers = createTrafficRouters({ rollout, client, fieldManager: FIELD_MANAGER });
    assert.deepEqual(
      routers.map((r) => r.type),
      ['GatewayAPI'],
    );
    assert.deepEqual(gatewayApiRouterFactory.validate(rollout), []);
  });

  it('sets, verifies and resets weights on HTTP, GRPC and TCP routes; header routes come and go', async () => {
    const r = router(rolloutWith(ns.name, plugin));
    await r.updateHash('abc', 'def', []);

    await r.setWeight(30, []);
    for (const [kind, name] of [
      ['HTTPRoute', 'web-http'],
      ['GRPCRoute', 'web-grpc'],
      ['TCPRoute', 'web-tcp'],
    ] as const) {
      const got = await get(kind, name);
      assert.deepEqual(weights(got), { [STABLE]: 70, [CANARY]: 30 }, `${kind} weights`);
      assert.equal(got.metadata.labels?.[LABEL], 'in-progress', `${kind} in-progress label`);
    }
    assert.equal(await r.verifyWeight(30, []), true);
    assert.equal(await r.verifyWeight(40, []), false);

    const header = {
      name: 'canary-header',
      match: [{ headerName: 'X-Canary', headerValue: { exact: 'yes' } }],
    };
    await r.setHeaderRoute(header);
    const written = (await get('HTTPRoute', 'web-http')).metadata.resourceVersion;
    await r.setHeaderRoute(header); // a repeated step writes nothing
    assert.equal((await get('HTTPRoute', 'web-http')).metadata.resourceVersion, written);
    for (const [kind, name] of [
      ['HTTPRoute', 'web-http'],
      ['GRPCRoute', 'web-grpc'],
    ] as const) {
      const rules = (await get(kind, name)).spec?.rules ?? [];
      assert.equal(rules.length, 2, `${kind}: the source rule and one header rule`);
      assert.equal(rules[1]?.name, 'canary-header');
      assert.deepEqual(
        rules[1]?.backendRefs?.map((b) => b.name),
        [CANARY],
      );
      const headers = rules[1]?.matches?.[0]?.headers ?? [];
      assert.ok(headers.some((h) => h.name === 'X-Canary' && h.value === 'yes' && h.type === 'Exact'));
    }
    // TCP routes take no header routes
    assert.equal((await get('TCPRoute', 'web-tcp')).spec?.rules?.length, 1);
    // the HTTP header rule keeps the source's path
    const httpRules = (await get('HTTPRoute', 'web-http')).spec?.rules ?? [];
    assert.deepEqual(httpRules[1]?.matches?.[0]?.path, { type: 'PathPrefix', value: '/' });

    // weights never touch the header rule
    await r.setWeight(50, []);
    const afterWeight = await get('HTTPRoute', 'web-http');
    assert.deepEqual(weights(afterWeight), { [STABLE]: 50, [CANARY]: 50 });
    assert.notEqual(afterWeight.spec?.rules?.[1]?.backendRefs?.[0]?.weight, 50);
    assert.equal(await r.verifyWeight(50, []), true);

    await r.setMirrorRoute({ name: 'canary-header', percentage: 10 }); // the plugin has no mirror routes

    await r.removeManagedRoutes();
    assert.equal((await get('HTTPRoute', 'web-http')).spec?.rules?.length, 1);
    assert.equal((await get('GRPCRoute', 'web-grpc')).spec?.rules?.length, 1);

    await r.setWeight(0, []);
    for (const [kind, name] of [
      ['HTTPRoute', 'web-http'],
      ['GRPCRoute', 'web-grpc'],
      ['TCPRoute', 'web-tcp'],
    ] as const) {
      const got = await get(kind, name);
      assert.deepEqual(weights(got), { [STABLE]: 100, [CANARY]: 0 }, `${kind} weights`);
      assert.equal(got.metadata.labels?.[LABEL], undefined, `${kind} label removed`);
    }
    assert.equal(await r.verifyWeight(0, []), true);
  });

  it('finds routes by label selector', async () => {
    const r = router(rolloutWith(ns.name, { httpRouteSelector: { matchLabels: { app: 'web' } } }));
    await r.setWeight(20, []);
    assert.deepEqual(weights(await get('HTTPRoute', 'web-labelled')), { [STABLE]: 80, [CANARY]: 20 });
    assert.deepEqual(weights(await get('HTTPRoute', 'exp-http')), { [STABLE]: 100, [CANARY]: 0 });
  });

  it('adds experiment backends while an experiment runs and removes them after', async () => {
    const cfg = { httpRoute: 'exp-http' };
    const running = router(rolloutWith(ns.name, cfg, { canary: { currentExperiment: 'web-exp' } }));
    await running.setWeight(20, [{ serviceName: 'exp-svc', weight: 10 }]);
    const during = await get('HTTPRoute', 'exp-http');
    assert.deepEqual(weights(during), { [STABLE]: 90, [CANARY]: 20, 'exp-svc': 10 });
    const added = during.spec?.rules?.[0]?.backendRefs?.find((b) => b.name === 'exp-svc');
    assert.equal(added?.port, 80);
    assert.equal(added?.namespace, ns.name);

    const done = router(
      rolloutWith(ns.name, cfg, {
        canary: {
          weights: {
            canary: { weight: 20 },
            stable: { weight: 90 },
            additional: [{ serviceName: 'exp-svc', weight: 10 }],
          },
        },
      }),
    );
    await done.setWeight(20, []);
    assert.deepEqual(weights(await get('HTTPRoute', 'exp-http')), { [STABLE]: 100, [CANARY]: 0 });
  });

  it("reports the plugin's errors with Argo's prefix", async () => {
    const noStable = router(rolloutWith(ns.name, { httpRoute: 'no-stable' }));
    await assert.rejects(noStable.setWeight(10, []), (err: Error) => {
      assert.ok(hasErrorCode(err, GATEWAY_API_ERROR));
      assert.equal(err.message, 'failed to set weight via plugin: backendRef was not found in httpRoute');
      return true;
    });
    assert.equal(await noStable.verifyWeight(10, []), false);

    const missing = router(rolloutWith(ns.name, { httpRoute: 'absent' }));
    await assert.rejects(missing.setWeight(10, []), (err: Error) => {
      assert.ok(hasErrorCode(err, GATEWAY_API_ERROR));
      assert.match(err.message, /^failed to set weight via plugin: /);
      assert.ok(isNotFound(err.cause));
      return true;
    });

    const none = router(rolloutWith(ns.name, {}));
    await assert.rejects(none.setWeight(10, []), /failed to set weight via plugin: No routes configured/);
  });
});
