import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import {
  ensureTrafficCrds,
  loadTrafficCrds,
  smiCrdToV1,
  trafficCrdPaths,
} from '../../../src/dev/traffic-crds/index.js';
import { parseManifests } from '../../../src/install/index.js';

/** The shape smi-sdk-go v0.5.0 publishes in crds/split.yaml (abridged: one description dropped). */
const SMI_V1BETA1 = `---
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: trafficsplits.split.smi-spec.io
spec:
  group: split.smi-spec.io
  scope: Namespaced
  names: {kind: TrafficSplit, listKind: TrafficSplitList, shortNames: [ts], plural: trafficsplits, singular: trafficsplit}
  version: v1alpha4
  versions:
    - {name: v1alpha4, served: true, storage: true}
    - {name: v1alpha3, served: false, storage: false}
    - {name: v1alpha2, served: false, storage: false}
    - {name: v1alpha1, served: false, storage: false}
  additionalPrinterColumns:
  - {name: Service, type: string, description: The apex service of this split., JSONPath: .spec.service}
  validation:
    openAPIV3Schema:
      properties:
        spec:
          type: object
          required: [service, backends]
          properties:
            service: {type: string}
            backends:
              type: array
              items:
                type: object
                required: [service, weight]
                properties:
                  service: {type: string}
                  weight: {description: Traffic weight value of this backend., type: number}
`;

const crd = (name: string, extra = '') =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\n${extra}spec: {group: g}\n`;

type Version = {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: Record<string, unknown> };
  additionalPrinterColumns?: unknown;
};
const weightOf = (v: Version) =>
  (
    v.schema.openAPIV3Schema as {
      properties: { spec: { properties: { backends: { items: { properties: { weight: unknown } } } } } };
    }
  ).properties.spec.properties.backends.items.properties.weight;

describe('SMI TrafficSplit CRD: the published v1beta1 CRD as apiextensions v1', () => {
  const published = parseManifests(SMI_V1BETA1)[0];
  assert.ok(published);
  const v1 = smiCrdToV1(published, 'split.yaml');
  const versions = (v1.spec as { versions: Version[] }).versions;

  it('keeps names, group and scope; conversion None', () => {
    assert.equal(v1.apiVersion, 'apiextensions.k8s.io/v1');
    assert.equal(v1.metadata.name, 'trafficsplits.split.smi-spec.io');
    const spec = v1.spec as Record<string, unknown>;
    assert.equal(spec.group, 'split.smi-spec.io');
    assert.equal(spec.scope, 'Namespaced');
    assert.deepEqual(spec.conversion, { strategy: 'None' });
    assert.equal((spec.names as { kind: string }).kind, 'TrafficSplit');
    assert.equal(spec.validation, undefined);
  });

  it('serves every listed version, stores v1alpha4, each with a structural schema and printer columns', () => {
    assert.deepEqual(
      versions.map((v) => [v.name, v.served, v.storage]),
      [
        ['v1alpha4', true, true],
        ['v1alpha3', true, false],
        ['v1alpha2', true, false],
        ['v1alpha1', true, false],
      ],
    );
    for (const v of versions) {
      assert.equal(v.schema.openAPIV3Schema.type, 'object');
      assert.deepEqual(v.additionalPrinterColumns, [
        {
          name: 'Service',
          type: 'string',
          description: 'The apex service of this split.',
          jsonPath: '.spec.service',
        },
      ]);
    }
  });

  it("v1alpha1's weight is a quantity (int or string); the others keep the published number", () => {
    const byName = new Map(versions.map((v) => [v.name, v]));
    assert.deepEqual(weightOf(byName.get('v1alpha1') as Version), {
      description: 'Traffic weight value of this backend.',
      'x-kubernetes-int-or-string': true,
    });
    for (const n of ['v1alpha2', 'v1alpha3', 'v1alpha4'])
      assert.deepEqual(weightOf(byName.get(n) as Version), {
        description: 'Traffic weight value of this backend.',
        type: 'number',
      });
  });

  it('a v1 CRD is returned as is; anything else is a clear error', () => {
    const already = parseManifests(crd('x.g'))[0];
    assert.ok(already);
    assert.equal(smiCrdToV1(already, 'x.yaml'), already);
    const broken = { ...published, spec: { group: 'g' } };
    assert.throws(
      () => smiCrdToV1(broken, 'split.yaml'),
      (err: { code?: string; message: string }) =>
        err.code === 'DEV_TRAFFIC_CRDS_SOURCE' && err.message.startsWith('split.yaml: '),
    );
  });
});

describe('loadTrafficCrds: the CRDs picked from the published files', () => {
  function layout(istioNames: readonly string[]) {
    const cache = mkdtempSync(join(tmpdir(), 'slipway-traffic-crds-'));
    const paths = trafficCrdPaths({ cacheDir: cache });
    for (const p of paths) mkdirSync(dirname(p), { recursive: true });
    const [istio, ...rest] = paths;
    const smi = rest.pop();
    assert.ok(istio && smi);
    writeFileSync(istio, istioNames.map((n) => `---\n${crd(n)}`).join(''));
    for (const p of rest)
      writeFileSync(p, crd(`${p.split('_').pop()?.replace('.yaml', '')}.gateway.networking.k8s.io`));
    writeFileSync(smi, SMI_V1BETA1);
    return { cache, paths, istio };
  }

  it("Istio's VirtualService and DestinationRule, the six Gateway API kinds, SMI's TrafficSplit in v1", () => {
    const { cache, paths, istio } = layout([
      'wasmplugins.extensions.istio.io',
      'destinationrules.networking.istio.io',
      'gateways.networking.istio.io',
      'virtualservices.networking.istio.io',
    ]);
    try {
      const first = loadTrafficCrds(paths);
      assert.deepEqual(
        first.map((c) => c.metadata.name),
        [
          'virtualservices.networking.istio.io',
          'destinationrules.networking.istio.io',
          'gatewayclasses.gateway.networking.k8s.io',
          'gateways.gateway.networking.k8s.io',
          'httproutes.gateway.networking.k8s.io',
          'grpcroutes.gateway.networking.k8s.io',
          'tcproutes.gateway.networking.k8s.io',
          'referencegrants.gateway.networking.k8s.io',
          'trafficsplits.split.smi-spec.io',
        ],
      );
      assert.equal(first.at(-1)?.apiVersion, 'apiextensions.k8s.io/v1');
      // the parse is remembered next to the source and gives the same objects
      assert.ok(readdirSync(dirname(istio)).some((f) => f.endsWith('.json')));
      assert.deepEqual(loadTrafficCrds(paths), first);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('a published file without an expected CRD is a clear error naming it', () => {
    const { cache, paths } = layout(['virtualservices.networking.istio.io']);
    try {
      assert.throws(
        () => loadTrafficCrds(paths),
        (err: { code?: string; message: string }) =>
          err.code === 'DEV_TRAFFIC_CRDS_SOURCE' &&
          /no CRD destinationrules\.networking\.istio\.io/.test(err.message),
      );
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

it('ensureTrafficCrds fails with a clear message when Go is missing', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'slipway-nogo-'));
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    await assert.rejects(
      ensureTrafficCrds({ cacheDir: cache }),
      (err: { code?: string; message: string }) => {
        assert.equal(err.code, 'DEV_GO_MISSING');
        assert.match(err.message, /traffic CRDs/);
        return true;
      },
    );
  } finally {
    process.env.PATH = saved;
    rmSync(cache, { recursive: true, force: true });
  }
});
