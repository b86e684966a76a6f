import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  chartDownloadUrl,
  decideRelease,
  decodeRelease,
  encodeRelease,
  type HelmRelease,
  mergeValues,
  ociRevision,
  parseChartIndex,
  parseOciUrl,
  readChartArchive,
  releaseNameOf,
  resolveOciRef,
  type Snapshot,
  type StoredRelease,
  selectChartVersion,
  setValueAtPath,
} from '../../../src/flux/index.js';
import { readGolden } from '../../support/golden.js';

describe('flux golden: Helm repository index and chart version selection', () => {
  const g = readGolden<{
    index: string;
    repository: string;
    cases: { name: string; chart: string; version: string | null; want?: string; error?: string }[];
    urls: { chart: string; version: string; want: string }[];
  }>('flux/helm-index.json');
  const index = parseChartIndex(g.index);
  for (const c of g.cases) {
    it(c.name, () => {
      const sel = selectChartVersion(index, c.chart, c.version ?? undefined);
      if (c.error !== undefined) assert.deepEqual(sel, { kind: 'error', message: c.error });
      else assert.equal(sel.kind === 'found' ? sel.entry.version : sel.message, c.want);
    });
  }
  for (const u of g.urls) {
    it(`download URL of ${u.chart} ${u.version}`, () => {
      const sel = selectChartVersion(index, u.chart, u.version);
      assert.equal(sel.kind === 'found' ? chartDownloadUrl(g.repository, sel.entry) : undefined, u.want);
    });
  }
});

describe('flux golden: HelmRelease values', () => {
  const g = readGolden<{
    merge: { name: string; a: Record<string, unknown>; b: Record<string, unknown>; want: unknown }[];
    targetPath: {
      name: string;
      values: Record<string, unknown>;
      path: string;
      value: string;
      want: unknown;
    }[];
  }>('flux/helm-values.json');
  for (const c of g.merge) it(c.name, () => assert.deepEqual(mergeValues(c.a, c.b), c.want));
  for (const c of g.targetPath)
    it(`targetPath: ${c.name}`, () => assert.deepEqual(setValueAtPath(c.values, c.path, c.value), c.want));
});

describe('flux golden: the HelmRelease release decision', () => {
  const g = readGolden<{
    desired: { chartName: string; chartVersion: string; configDigest: string };
    cases: {
      name: string;
      spec: Record<string, unknown>;
      history: [string, string, string][];
      counts: [number, number];
      want: { kind: string; version?: number; to?: number; action?: string; attempts?: number };
    }[];
  }>('flux/helm-release-plan.json');
  for (const c of g.cases) {
    it(c.name, () => {
      const n = c.history.length;
      const history: Snapshot[] = c.history.map(([chartVersion, status, action], i) => ({
        name: 'web',
        namespace: 'apps',
        version: n - i,
        chartName: 'web',
        chartVersion,
        configDigest: 'sha256:c',
        digest: 'sha256:d',
        firstDeployed: '2026-01-01T00:00:00Z',
        lastDeployed: '2026-01-01T00:00:00Z',
        status,
        action,
      }));
      const spec = { interval: '1m', ...c.spec } as HelmRelease['spec'];
      const a = decideRelease(spec, history, g.desired, {
        installFailures: c.counts[0],
        upgradeFailures: c.counts[1],
      });
      const got: Record<string, unknown> = { kind: a.kind };
      if (a.kind === 'in-sync' || a.kind === 'wait') got.version = a.release.version;
      if (a.kind === 'uninstall' || a.kind === 'rollback') got.version = a.failed.version;
      if (a.kind === 'rollback') got.to = a.to.version;
      if (a.kind === 'stalled') Object.assign(got, { action: a.action, attempts: a.attempts });
      assert.deepEqual(got, c.want);
    });
  }
});

describe('flux: chart archives are read within bounds', () => {
  const pack = (files: Record<string, string>): Buffer => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-chart-unit-'));
    try {
      for (const [p, text] of Object.entries(files)) {
        mkdirSync(join(dir, 'web', p, '..'), { recursive: true });
        writeFileSync(join(dir, 'web', p), text);
      }
      execFileSync('tar', ['-czf', join(dir, 'c.tgz'), '-C', dir, 'web']);
      return readFileSync(join(dir, 'c.tgz'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  /** A one-file tar with a name tar itself would refuse to write. */
  const hostile = (name: string): Buffer => {
    const header = Buffer.alloc(512);
    header.write(name, 0, 'utf8');
    header.write('0000644\0', 100);
    header.write('00000000003\0', 124);
    header[156] = '0'.charCodeAt(0);
    const body = Buffer.alloc(512);
    body.write('abc');
    return gzipSync(Buffer.concat([header, body, Buffer.alloc(1024)]));
  };

  it('strips the chart folder and keeps regular files', () => {
    const files = readChartArchive(
      pack({ 'Chart.yaml': 'name: web\nversion: 1.0.0\n', 'templates/a.yaml': 'a: 1\n' }),
    );
    assert.deepEqual(files.map((f) => f.path).sort(), ['Chart.yaml', 'templates/a.yaml']);
  });
  it('refuses a path leaving the chart', () => {
    assert.throws(() => readChartArchive(hostile('web/../../etc/passwd')), /illegal path/);
    assert.throws(() => readChartArchive(hostile('/etc/passwd')), /illegal path/);
  });
  it('refuses an archive over the size or file limits', () => {
    const big = pack({ 'Chart.yaml': 'name: web\nversion: 1.0.0\n', 'big.txt': 'x'.repeat(100_000) });
    assert.throws(() => readChartArchive(big, { maxBytes: 10_000, maxFiles: 100 }), /chart archive/);
    const many = pack(
      Object.fromEntries([
        ['Chart.yaml', 'name: web\n'],
        ...Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x']),
      ]),
    );
    assert.throws(() => readChartArchive(many, { maxBytes: 1_000_000, maxFiles: 10 }), /more than 10 files/);
  });
  it('refuses an archive without Chart.yaml', () => {
    assert.throws(() => readChartArchive(pack({ 'values.yaml': 'a: 1\n' })), /Chart.yaml file is missing/);
  });
});

describe('flux: Helm release storage and names', () => {
  it('round-trips a release through Helm’s encoding', () => {
    const r: StoredRelease = {
      name: 'web',
      namespace: 'apps',
      version: 3,
      status: 'deployed',
      description: 'Upgrade complete',
      firstDeployed: '2026-01-01T00:00:00Z',
      lastDeployed: '2026-01-02T00:00:00Z',
      chartName: 'web',
      chartVersion: '1.1.0',
      appVersion: '1.0',
      config: { a: { b: 1 } },
      manifest: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    };
    assert.deepEqual(decodeRelease(encodeRelease(r)), r);
    assert.equal(decodeRelease('not a release'), undefined);
  });
  it('names the release as helm-controller does', () => {
    const hr = (spec: Record<string, unknown>) =>
      ({
        metadata: { name: 'web', namespace: 'flux-system' },
        spec: { interval: '1m', ...spec },
      }) as HelmRelease;
    assert.equal(releaseNameOf(hr({})), 'web');
    assert.equal(releaseNameOf(hr({ targetNamespace: 'apps' })), 'apps-web');
    assert.equal(releaseNameOf(hr({ targetNamespace: 'apps', releaseName: 'custom' })), 'custom');
  });
});

describe('flux golden: OCIRepository ref resolution', () => {
  const g = readGolden<{
    tags: string[];
    cases: { name: string; ref: Record<string, string> | null; want: unknown }[];
  }>('flux/oci-ref.json');
  for (const c of g.cases)
    it(c.name, () => assert.deepEqual(resolveOciRef(c.ref ?? undefined, g.tags), c.want));
  it('formats the revision as Flux does', () => {
    assert.equal(ociRevision('1.2.5', 'sha256:ab'), '1.2.5@sha256:ab');
    assert.equal(ociRevision(undefined, 'sha256:ab'), 'sha256:ab');
  });
  it('parses oci:// URLs and refuses others', () => {
    assert.deepEqual(parseOciUrl('oci://127.0.0.1:5000/manifests/app'), {
      host: '127.0.0.1:5000',
      repository: 'manifests/app',
    });
    assert.throws(() => parseOciUrl('https://example.com/app'), /oci:\/\/<domain>/);
  });
});
