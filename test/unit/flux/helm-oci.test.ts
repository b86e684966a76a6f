import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chartVersionsFromTags,
  chartVersionWithDigest,
  isExactChartVersion,
  matchChartVersion,
  ociChartTag,
  type HelmRelease,
  releaseChartSource,
} from '../../../src/flux/index.js';
import { readGolden } from '../../support/golden.js';

describe('flux golden: Helm chart versions in an OCI registry', () => {
  const g = readGolden<{
    tags: string[];
    versions: string[];
    match: { name: string; want: string; result: unknown }[];
    exact: { version: string | null; want: boolean }[];
    tag: { version: string; want: string }[];
    digest: string;
    mutate: { name: string; chart: string; revision: string; result: unknown }[];
  }>('flux/helm-oci.json');
  const withDigest = <T>(v: T): T => JSON.parse(JSON.stringify(v).replaceAll('{digest}', g.digest)) as T;

  it("reads tags as Helm's registry client: `_` as `+`, strict SemVer, highest first", () =>
    assert.deepEqual(chartVersionsFromTags(g.tags), g.versions));
  for (const c of g.match)
    it(`match: ${c.name}`, () => assert.deepEqual(matchChartVersion(g.versions, c.want), c.result));
  for (const c of g.exact)
    it(`exact version: ${JSON.stringify(c.version)}`, () =>
      assert.equal(isExactChartVersion(c.version ?? undefined), c.want));
  for (const c of g.tag) it(`tag of ${c.version}`, () => assert.equal(ociChartTag(c.version), c.want));
  for (const c of g.mutate)
    it(`chart version with digest: ${c.name}`, () =>
      assert.deepEqual(chartVersionWithDigest(c.chart, withDigest(c.revision)), withDigest(c.result)));
});

describe('flux: the source of a HelmRelease chart', () => {
  const hr = (spec: Partial<HelmRelease['spec']>): HelmRelease => ({
    metadata: { name: 'web', namespace: 'apps' },
    spec: { interval: '1m', ...spec },
  });
  it('a chart template owns the HelmChart <ns>-<name> in the source namespace', () =>
    assert.deepEqual(
      releaseChartSource(
        hr({ chart: { spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'r', namespace: 'src' } } } }),
      ),
      { kind: 'HelmChart', namespace: 'src', name: 'apps-web' },
    ));
  it('chartRef OCIRepository, in the release namespace unless named', () => {
    assert.deepEqual(releaseChartSource(hr({ chartRef: { kind: 'OCIRepository', name: 'oci' } })), {
      kind: 'OCIRepository',
      namespace: 'apps',
      name: 'oci',
    });
    assert.deepEqual(
      releaseChartSource(hr({ chartRef: { kind: 'OCIRepository', name: 'oci', namespace: 'other' } })),
      { kind: 'OCIRepository', namespace: 'other', name: 'oci' },
    );
  });
  it('chartRef HelmChart; other kinds are unsupported', () => {
    assert.deepEqual(releaseChartSource(hr({ chartRef: { kind: 'HelmChart', name: 'c' } })), {
      kind: 'HelmChart',
      namespace: 'apps',
      name: 'c',
    });
    assert.equal(releaseChartSource(hr({ chartRef: { kind: 'ExternalArtifact', name: 'x' } })), undefined);
  });
});
