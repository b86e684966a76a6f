import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { hasErrorCode } from '../../../src/errors/index.js';
import {
  decideScan,
  filterOutTags,
  finalizeImageConditions,
  headManifestDigest,
  type ImageRepository,
  ImageTagStore,
  latestTagsOf,
  listTags,
  parseImageReference,
  ScanReason,
  sortTagsDescending,
  unsupportedImageRepositorySpec,
} from '../../../src/flux/index.js';

describe('ImageRepository image references (go-containerregistry name rules)', () => {
  const ok = (image: string, canonical: string, plainHttp: boolean, insecure = false) =>
    it(`${image} → ${canonical}`, () => {
      const r = parseImageReference(image, insecure);
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.ref.canonicalName, canonical);
      assert.equal(r.ref.plainHttp, plainHttp);
    });
  ok('alpine', 'index.docker.io/library/alpine', false);
  ok('docker.io/fluxcd/flux', 'index.docker.io/fluxcd/flux', false);
  ok('ghcr.io/org/app', 'ghcr.io/org/app', false);
  ok('ghcr.io/org/app', 'ghcr.io/org/app', true, true);
  ok('127.0.0.1:5000/app', '127.0.0.1:5000/app', true);
  ok('10.1.2.3:5000/team/app', '10.1.2.3:5000/team/app', true);
  ok('localhost:5000/app', 'localhost:5000/app', true);
  ok('registry.example.com:8443/a/b/c', 'registry.example.com:8443/a/b/c', false);
  const bad = (image: string, message: string) =>
    it(`refuses ${image}`, () => assert.deepEqual(parseImageReference(image, false), { ok: false, message }));
  bad(
    'https://ghcr.io/org/app',
    "image 'https://ghcr.io/org/app' should not include URL scheme; remove 'https://'",
  );
  bad('alpine:3.19', "image 'alpine:3.19' should not include a tag; remove ':3.19'");
  bad('127.0.0.1:5000/app:1.0', "image '127.0.0.1:5000/app:1.0' should not include a tag; remove ':1.0'");
  bad('Foo/Bar', 'could not parse reference: Foo/Bar');
  bad('a', 'could not parse reference: a');
});

const repo = (
  spec: Partial<ImageRepository['spec']>,
  status?: ImageRepository['status'],
): ImageRepository => ({
  apiVersion: 'image.toolkit.fluxcd.io/v1',
  kind: 'ImageRepository',
  metadata: { name: 'app', namespace: 'ns', generation: 1 },
  spec: { image: 'ghcr.io/org/app', interval: '5m', ...spec },
  ...(status && { status }),
});

describe('ImageRepository scan decisions (shouldScan)', () => {
  const scanned = {
    canonicalImageName: 'ghcr.io/org/app',
    observedExclusionList: ['^.*\\.sig$'],
    lastScanResult: { revision: '1', tagCount: 1, scanTime: '2026-12-06T10:00:00Z' },
  };
  const at = (iso: string) => Date.parse(iso);
  const inputs = { intervalMs: 300_000, canonicalName: 'ghcr.io/org/app', hasStoredTags: true };
  it('scans a repository never scanned', () =>
    assert.deepEqual(decideScan(repo({}), { ...inputs, nowMs: 0 }), {
      scan: true,
      reason: ScanReason.NeverScanned,
      nextMs: 300_000,
    }));
  it('waits out the interval from the last scan time', () =>
    assert.deepEqual(decideScan(repo({}, scanned), { ...inputs, nowMs: at('2026-12-06T10:01:00Z') }), {
      scan: false,
      nextMs: 240_000,
    }));
  it('scans when the interval is over', () =>
    assert.equal(
      decideScan(repo({}, scanned), { ...inputs, nowMs: at('2026-12-06T10:04:59.5Z') }).scan &&
        ScanReason.Interval,
      ScanReason.Interval,
    ));
  const reasonOf = (r: ImageRepository, extra: Partial<typeof inputs> & { requestedAt?: string } = {}) => {
    const d = decideScan(r, { ...inputs, nowMs: at('2026-12-06T10:01:00Z'), ...extra });
    return d.scan ? d.reason : undefined;
  };
  it('scans on a new reconcile request', () =>
    assert.equal(reasonOf(repo({}, scanned), { requestedAt: 'now' }), ScanReason.ReconcileRequested));
  it('scans a new image', () =>
    assert.equal(
      reasonOf(repo({}, scanned), { canonicalName: 'ghcr.io/org/other' }),
      ScanReason.NewImageName,
    ));
  it('scans on a new exclusion list', () =>
    assert.equal(reasonOf(repo({ exclusionList: ['^dev-'] }, scanned)), ScanReason.UpdatedExclusionList));
  it('scans when this process holds no tags (after a restart)', () =>
    assert.equal(reasonOf(repo({}, scanned), { hasStoredTags: false }), ScanReason.EmptyDatabase));
});

describe('ImageRepository tags: exclusion, order, latest tags, store', () => {
  it('drops the default signature tags', () =>
    assert.deepEqual(filterOutTags(['1.0', 'sha256-ab.sig', 'x.sig.old'], ['^.*\\.sig$']), {
      ok: true,
      tags: ['1.0', 'x.sig.old'],
    }));
  it('reports a bad exclusion pattern', () => {
    const r = filterOutTags(['a'], ['(']);
    assert.ok(!r.ok && r.message.startsWith('failed to compile regex (: '));
  });
  it('keeps the 10 highest tags by byte order', () => {
    const tags = sortTagsDescending(Array.from({ length: 12 }, (_, i) => `v${i}`).concat(['V9', 'latest']));
    assert.deepEqual(latestTagsOf(tags), ['v9', 'v8', 'v7', 'v6', 'v5', 'v4', 'v3', 'v2', 'v11', 'v10']);
    assert.equal(latestTagsOf([]), undefined);
  });
  it('tells listeners about new revisions only', () => {
    const store = new ImageTagStore();
    const heard: string[] = [];
    store.onChange((k) => heard.push(k));
    store.set('ns/a', { canonicalName: 'r/a', tags: ['1'], revision: '1' });
    store.set('ns/a', { canonicalName: 'r/a', tags: ['1'], revision: '1' });
    store.set('ns/a', { canonicalName: 'r/a', tags: ['1', '2'], revision: '2' });
    store.delete('ns/a');
    store.delete('ns/a');
    assert.deepEqual(heard, ['ns/a', 'ns/a', 'ns/a']);
  });
  it('names what Slipway does not implement', () => {
    assert.match(
      unsupportedImageRepositorySpec(repo({ provider: 'gcp' })) ?? '',
      /provider 'gcp' is not supported/,
    );
    assert.match(
      unsupportedImageRepositorySpec(repo({ serviceAccountName: 'sa' })) ?? '',
      /serviceAccountName/,
    );
    assert.equal(unsupportedImageRepositorySpec(repo({ provider: 'generic' })), undefined);
  });
});

describe('image conditions (Flux result finalizer)', () => {
  const now = '2026-12-06T10:00:00Z';
  it('a retry keeps Reconciling with ProgressingWithRetry and drops Stalled', () => {
    const c = finalizeImageConditions(
      [{ type: 'Stalled', status: 'True', reason: 'X', message: 'x', lastTransitionTime: now }],
      {
        kind: 'failed',
        reason: 'ReadOperationFailed',
        message: 'scan failed: boom',
        progress: 'scanning: first scan',
      },
      3,
      now,
    );
    assert.deepEqual(
      c.map((x) => [x.type, x.status, x.reason, x.message, x.observedGeneration]),
      [
        ['Reconciling', 'True', 'ProgressingWithRetry', 'scanning: first scan', 3],
        ['Ready', 'False', 'ReadOperationFailed', 'scan failed: boom', 3],
      ],
    );
  });
  it('a stall sets Stalled and Ready with the same reason and drops Reconciling', () => {
    const c = finalizeImageConditions(
      [{ type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'p', lastTransitionTime: now }],
      { kind: 'stalled', reason: 'InvalidPolicy', message: 'invalid policy: x' },
      1,
      now,
    );
    assert.deepEqual(
      c.map((x) => [x.type, x.status, x.reason]),
      [
        ['Stalled', 'True', 'InvalidPolicy'],
        ['Ready', 'False', 'InvalidPolicy'],
      ],
    );
  });
});

describe('registry client: tags pagination, limits, bearer tokens, digests', () => {
  let server: Server;
  let host: string;
  const all = Array.from({ length: 7 }, (_, i) => `t${i}`);
  const seen: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    seen.push(`${req.method} ${url.pathname}${url.search} ${req.headers.authorization ?? '-'}`);
    if (url.pathname === '/token') {
      const ok = req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { token: `tok-${url.searchParams.get('scope')}` } : {}));
      return;
    }
    if (
      url.pathname.startsWith('/v2/private/') &&
      req.headers.authorization !== 'Bearer tok-repository:private:pull'
    ) {
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${host}/token",service="test",scope="repository:private:pull"`,
      });
      res.end();
      return;
    }
    if (url.pathname === '/v2/app/tags/list' || url.pathname === '/v2/private/app/tags/list') {
      const n = Number(url.searchParams.get('n') ?? '1000');
      const last = url.searchParams.get('last');
      const from = last ? all.indexOf(last) + 1 : 0;
      const page = all.slice(from, from + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (from + n < all.length)
        headers.link = `<${url.pathname}?n=${n}&last=${page[page.length - 1]}>; rel="next"`;
      res.writeHead(200, headers);
      res.end(JSON.stringify({ name: 'x', tags: page }));
      return;
    }
    if (url.pathname === '/v2/app/manifests/t1' && req.method === 'HEAD') {
      res.writeHead(200, { 'docker-content-digest': `sha256:${'a'.repeat(64)}` });
      res.end();
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }],
      }),
    );
  };
  before(async () => {
    server = createServer(handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    host = `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  const o = { insecure: true, timeoutMs: 5_000 };

  it('follows Link headers page by page', async () => {
    seen.length = 0;
    assert.deepEqual(await listTags({ host, repository: 'app' }, o, { pageSize: 3 }), all);
    assert.deepEqual(
      seen.map((s) => s.split(' ')[1]),
      ['/v2/app/tags/list?n=3', '/v2/app/tags/list?n=3&last=t2', '/v2/app/tags/list?n=3&last=t5'],
    );
  });
  it('refuses more tags than the limit with a coded error', async () => {
    await assert.rejects(
      listTags({ host, repository: 'app' }, o, { pageSize: 3, maxTags: 5 }),
      (err) => hasErrorCode(err, 'FLUX_IMAGE_TAGS_LIMIT') && /more than 5 tags/.test((err as Error).message),
    );
  });
  it('refuses more bytes than the limit', async () => {
    await assert.rejects(listTags({ host, repository: 'app' }, o, { pageSize: 3, maxBytes: 60 }), (err) =>
      hasErrorCode(err, 'FLUX_IMAGE_TAGS_LIMIT'),
    );
  });
  it('trades Basic credentials for a bearer token on a challenge', async () => {
    seen.length = 0;
    const authorization = `Basic ${Buffer.from('u:p').toString('base64')}`;
    assert.deepEqual(
      await listTags({ host, repository: 'private/app' }, { ...o, authorization }, { pageSize: 4 }),
      all,
    );
    assert.equal(seen.filter((s) => s.startsWith('GET /token')).length, 1);
    assert.ok(seen.at(-1)?.endsWith('Bearer tok-repository:private:pull'));
  });
  it('says what the registry said on an error', async () => {
    await assert.rejects(
      listTags({ host, repository: 'missing' }, o),
      /^Error: GET \/v2\/missing\/tags\/list: unexpected status code 404 Not Found: NAME_UNKNOWN: repository name not known to registry$/,
    );
  });
  it('reads a tag digest from a HEAD request', async () => {
    assert.equal(await headManifestDigest({ host, repository: 'app' }, 't1', o), `sha256:${'a'.repeat(64)}`);
  });
  it('names the network failure', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const a = closed.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(
      listTags({ host: `127.0.0.1:${port}`, repository: 'app' }, { ...o, timeoutMs: 2_000 }),
      new RegExp(`fetch failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}`),
    );
  });
});
