import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installTrafficCrds, TrafficCrdVersions } from '../../src/dev/traffic-crds/index.js';
import { parseManifests } from '../../src/install/index.js';
import { isInvalid, type KubeObject } from '../../src/kube/index.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const fixtures = fileURLToPath(new URL('../fixtures/traffic-crds/', import.meta.url));
const load = (file: string) => parseManifests(readFileSync(`${fixtures}${file}`, 'utf8'), file);

interface Crd extends KubeObject {
  readonly spec: { readonly versions: readonly { name: string; served: boolean; storage: boolean }[] };
  readonly status?: { readonly conditions?: readonly { type: string; status: string }[] };
}

const CRD = (name: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  name,
});

/**
 * Every field written is read back with the same value; the upstream schemas may add defaults
 * (e.g. a Gateway listener's `allowedRoutes.namespaces.from: Same`), nothing else may change.
 */
function assertWritten(actual: unknown, written: unknown, at: string): void {
  if (Array.isArray(written)) {
    assert.ok(Array.isArray(actual) && actual.length === written.length, `${at}: array of ${written.length}`);
    for (const [i, w] of written.entries()) assertWritten(actual[i], w, `${at}[${i}]`);
  } else if (typeof written === 'object' && written !== null) {
    assert.ok(typeof actual === 'object' && actual !== null, `${at}: object`);
    for (const [k, w] of Object.entries(written))
      assertWritten((actual as Record<string, unknown>)[k], w, `${at}.${k}`);
  } else assert.equal(actual, written, at);
}

describe('upstream traffic CRDs in the shared test cluster', () => {
  const { client, ns } = useTestNamespace('traffic-crds');

  it('the test runner installed them, Established, from the pinned upstream releases', async () => {
    const names = [
      'virtualservices.networking.istio.io',
      'destinationrules.networking.istio.io',
      'gatewayclasses.gateway.networking.k8s.io',
      'gateways.gateway.networking.k8s.io',
      'httproutes.gateway.networking.k8s.io',
      'grpcroutes.gateway.networking.k8s.io',
      'tcproutes.gateway.networking.k8s.io',
      'referencegrants.gateway.networking.k8s.io',
      'trafficsplits.split.smi-spec.io',
    ];
    for (const name of names) {
      const crd = await client.get<Crd>(CRD(name));
      assert.ok(
        crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
        `${name} Established`,
      );
    }
    const httproutes = await client.get<Crd>(CRD('httproutes.gateway.networking.k8s.io'));
    assert.equal(
      httproutes.metadata.annotations?.['gateway.networking.k8s.io/bundle-version'],
      TrafficCrdVersions.gatewayApi,
    );
    assert.equal(httproutes.metadata.annotations?.['gateway.networking.k8s.io/channel'], 'experimental');
    const vs = await client.get<Crd>(CRD('virtualservices.networking.istio.io'));
    assert.deepEqual(
      vs.spec.versions.filter((v) => v.served).map((v) => v.name),
      ['v1', 'v1alpha3', 'v1beta1'],
    );
    const ts = await client.get<Crd>(CRD('trafficsplits.split.smi-spec.io'));
    assert.deepEqual(
      ts.spec.versions.map((v) => [v.name, v.served, v.storage]),
      [
        ['v1alpha4', true, true],
        ['v1alpha3', true, false],
        ['v1alpha2', true, false],
        ['v1alpha1', true, false],
      ],
    );
  });

  it('installing again is idempotent', async () => {
    const names = await installTrafficCrds(client);
    assert.equal(names.length, 9);
  });

  for (const file of ['istio.yaml', 'smi.yaml', 'gateway-api.yaml']) {
    it(`${file}: every object is created and read back as written`, async () => {
      for (const obj of load(file)) {
        const created = await client.create({ ...obj, metadata: { ...obj.metadata, namespace: ns.name } });
        assert.equal(created.metadata.namespace, ns.name);
        const ref = {
          apiVersion: String(obj.apiVersion),
          kind: String(obj.kind),
          namespace: ns.name,
          name: String(obj.metadata.name),
        };
        const read = await eventually(`${obj.kind} ${obj.metadata.name}`, () => client.get(ref), 60_000);
        assert.equal(read.apiVersion, obj.apiVersion);
        assertWritten(read.spec, obj.spec, `${obj.kind} ${obj.metadata.name} spec`);
      }
    });
  }

  it('a GatewayClass (cluster-scoped) is created and read back', async () => {
    const name = `${ns.name}-class`;
    const ref = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name };
    await client.create({ ...ref, metadata: { name }, spec: { controllerName: 'example.com/gateway' } });
    try {
      const read = await client.get(ref);
      assert.deepEqual(read.spec, { controllerName: 'example.com/gateway' });
    } finally {
      await client.delete(ref).catch(() => {});
    }
  });

  it('a TrafficSplit is read in another served version (conversion None)', async () => {
    const read = await client.get({
      apiVersion: 'split.smi-spec.io/v1alpha4',
      kind: 'TrafficSplit',
      namespace: ns.name,
      name: 'web-split-v1alpha2',
    });
    assert.deepEqual((read.spec as { backends: unknown }).backends, [
      { service: 'web-canary', weight: 10 },
      { service: 'web-stable', weight: 90 },
    ]);
  });

  it('the upstream schemas validate: invalid weights are refused', async () => {
    const bad: KubeObject[] = [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'bad-weight', namespace: ns.name },
        spec: { hosts: ['x'], http: [{ route: [{ destination: { host: 'x' }, weight: 'ten' }] }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'bad-weight', namespace: ns.name },
        spec: { rules: [{ backendRefs: [{ name: 'x', port: 80, weight: -1 }] }] },
      },
      {
        apiVersion: 'split.smi-spec.io/v1alpha2',
        kind: 'TrafficSplit',
        metadata: { name: 'bad-weight', namespace: ns.name },
        spec: { service: 'x', backends: [{ service: 'x', weight: 'ten' }] },
      },
    ];
    for (const obj of bad) {
      await assert.rejects(client.create(obj), (err) => isInvalid(err), `${obj.kind} refused`);
    }
  });
});
