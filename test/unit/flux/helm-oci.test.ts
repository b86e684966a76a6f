import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  chartVersionsFromTags,
  chartVersionWithDigest,
  DefaultChartArchiveLimits,
  HELM_CHART_CONFIG_MEDIA_TYPE,
  HELM_CHART_CONTENT_MEDIA_TYPE,
  type HelmRelease,
  isExactChartVersion,
  matchChartVersion,
  type OciChartRequest,
  ociChartTag,
  pullOciHelmChart,
  releaseChartSource,
} from '../../../src/flux/index.js';
import { readGolden } from '../../support/golden.js';
import { type LocalHttpServer, startLocalHttpServer } from '../../support/local-http-server.js';

const HELM_LEGACY_MEDIA_TYPE = 'application/tar+gzip';

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
        hr({
          chart: {
            spec: { chart: 'web', sourceRef: { kind: 'HelmRepository', name: 'r', namespace: 'src' } },
          },
        }),
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

describe('flux: pulling a chart from an OCI registry (a fake registry on loopback)', () => {
  const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const chartTgz = (version: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-oci-chart-'));
    try {
      mkdirSync(join(dir, 'web', 'templates'), { recursive: true });
      writeFileSync(join(dir, 'web', 'Chart.yaml'), `apiVersion: v2\nname: web\nversion: ${version}\n`);
      writeFileSync(join(dir, 'web', 'templates', 'cm.yaml'), 'kind: ConfigMap\n');
      execFileSync('tar', ['-czf', join(dir, 'c.tgz'), '-C', dir, 'web']);
      return readFileSync(join(dir, 'c.tgz'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  /** tag → manifest; blobs by digest; `tags` as the registry lists them, two per page. */
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, Buffer>();
  const tags: string[] = [];
  const requests: string[] = [];
  let password = '';
  const push = (
    tag: string,
    layerType = HELM_CHART_CONTENT_MEDIA_TYPE,
    configType = HELM_CHART_CONFIG_MEDIA_TYPE,
  ) => {
    const layer = chartTgz(tag.replaceAll('_', '+'));
    const config = Buffer.from('{}');
    blobs.set(sha(layer), layer);
    blobs.set(sha(config), config);
    manifests.set(
      tag,
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: configType, digest: sha(config), size: config.length },
          layers: [{ mediaType: layerType, digest: sha(layer), size: layer.length }],
        }),
      ),
    );
    tags.push(tag);
  };
  let server: LocalHttpServer;
  before(async () => {
    push('1.0.0');
    push('1.1.0_build.3');
    push('1.2.0-rc.1');
    push('1.3.0', HELM_LEGACY_MEDIA_TYPE);
    push('2.0.0', 'application/vnd.cncf.flux.content.v1.tar+gzip');
    push('3.0.0', HELM_CHART_CONTENT_MEDIA_TYPE, 'application/vnd.oci.image.config.v1+json');
    server = await startLocalHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      if (
        password &&
        req.headers.authorization !== `Basic ${Buffer.from(`u:${password}`).toString('base64')}`
      )
        return void res.writeHead(401).end();
      const m = /^\/v2\/charts\/web\/(tags\/list|manifests\/(.+)|blobs\/(.+))$/.exec(url.pathname);
      if (!m)
        return void res
          .writeHead(404)
          .end('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}');
      if (m[1] === 'tags/list') {
        const last = url.searchParams.get('last');
        const from = last ? tags.indexOf(last) + 1 : 0;
        const page = tags.slice(from, from + 2);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (from + 2 < tags.length)
          headers.link = `</v2/charts/web/tags/list?n=2&last=${page.at(-1)}>; rel="next"`;
        return void res.writeHead(200, headers).end(JSON.stringify({ name: 'charts/web', tags: page }));
      }
      const body = m[2] ? manifests.get(m[2]) : blobs.get(m[3] ?? '');
      if (!body)
        return void res
          .writeHead(404)
          .end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    });
  });
  after(() => server.close());
  const pull = (version: string | undefined, extra: Partial<OciChartRequest> = {}) =>
    pullOciHelmChart({
      repositoryUrl: `oci://${server.base.slice('http://'.length)}/charts/`,
      chart: 'web',
      ...(version !== undefined && { version }),
      client: { insecure: true, timeoutMs: 10_000 },
      limits: DefaultChartArchiveLimits,
      ...extra,
    });

  it('resolves a range over every page of tags and pulls the `_` tag of a `+` version', async () => {
    requests.length = 0;
    const r = await pull('~1.1');
    assert.equal(r.kind, 'pulled');
    if (r.kind !== 'pulled') return;
    assert.equal(r.version, '1.1.0+build.3');
    assert.equal(r.name, 'web');
    assert.equal(r.manifestDigest, sha(manifests.get('1.1.0_build.3') ?? Buffer.alloc(0)));
    assert.deepEqual(r.files.map((f) => f.path).sort(), ['Chart.yaml', 'templates/cm.yaml']);
    assert.ok(
      requests.some((q) => q.includes('last=')),
      'the tags list was paged',
    );
    assert.ok(requests.includes('GET /v2/charts/web/manifests/1.1.0_build.3'));
  });

  it('pulls an exact version without listing tags; the legacy chart media type is accepted', async () => {
    requests.length = 0;
    const r = await pull('1.3.0');
    assert.equal(r.kind === 'pulled' && r.version, '1.3.0');
    assert.ok(!requests.some((q) => q.includes('tags/list')));
  });

  it('reports what Flux reports for a missing layer, a wrong config, no match, a missing tag', async () => {
    const url = `oci://${server.base.slice('http://'.length)}/charts/web`;
    assert.deepEqual(await pull('2.0.0'), {
      kind: 'failed',
      reason: 'ChartPullError',
      message: `chart pull error: failed to download chart for remote reference: failed to get '${url}:2.0.0': manifest does not contain a layer with mediatype ${HELM_CHART_CONTENT_MEDIA_TYPE}`,
    });
    assert.deepEqual(await pull('3.0.0'), {
      kind: 'failed',
      reason: 'ChartPullError',
      message: `chart pull error: failed to download chart for remote reference: failed to get '${url}:3.0.0': could not load config with mediatype ${HELM_CHART_CONFIG_MEDIA_TYPE}`,
    });
    assert.deepEqual(await pull('4.x'), {
      kind: 'failed',
      reason: 'ChartPullError',
      message:
        'chart pull error: failed to get chart version for remote reference: could not locate a version matching provided version string 4.x',
    });
    const missing = await pull('9.9.9');
    assert.equal(missing.kind, 'failed');
    assert.match(
      missing.kind === 'failed' ? missing.message : '',
      /^chart pull error: failed to download chart for remote reference: failed to get '.*:9\.9\.9': .*404.*MANIFEST_UNKNOWN/,
    );
  });

  it('reports an empty version as the latest stable and a 401 as an authentication failure', async () => {
    // the latest stable is 3.0.0 (whose config is not Helm's)
    const latest = await pull(undefined);
    assert.match(latest.kind === 'failed' ? latest.message : '', /web:3\.0\.0': could not load config/);
    password = 'secret';
    try {
      const denied = await pull('1.x');
      assert.equal(denied.kind === 'failed' && denied.reason, 'AuthenticationFailed');
      assert.match(
        denied.kind === 'failed' ? denied.message : '',
        /^failed to authenticate with the Helm repository: chart pull error: .*401/,
      );
      const allowed = await pull('1.x', {
        client: {
          insecure: true,
          timeoutMs: 10_000,
          authorization: `Basic ${Buffer.from('u:secret').toString('base64')}`,
        },
      });
      assert.equal(allowed.kind === 'pulled' && allowed.version, '1.3.0');
    } finally {
      password = '';
    }
  });

  it('refuses a chart layer over the size limit', async () => {
    const r = await pull('1.0.0', { limits: { maxBytes: 16, maxFiles: 10 } });
    assert.equal(r.kind, 'failed');
    assert.match(r.kind === 'failed' ? r.message : '', /over the 16 bytes limit/);
  });
});
