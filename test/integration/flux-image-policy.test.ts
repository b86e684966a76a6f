import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  IMAGE_POLICY_GVK,
  IMAGE_REPOSITORY_GVK,
  type ImagePolicy,
  type ImageRepository,
  sortTagsDescending,
  tagsRevision,
} from '../../src/flux/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { condition, FluxHarness } from '../support/flux/flux-harness.js';
import { OciRegistry } from '../support/flux/oci-registry.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// ImageRepository + ImagePolicy against a real registry (Debian's docker-registry on loopback) holding
// small container images: the scan pages through the tags list (2 tags a page), a semver range picks
// the highest tag in range and moves when a new one is pushed, a filter with `extract: $ts` picks the
// newest timestamped build with its digest, bad input stalls with a Warning Event, an unreachable
// registry turns Ready False and recovers, and a restarted controller (empty tag memory) carries on.

const skip = OciRegistry.available()
  ? false
  : 'docker-registry is not installed (apt-get install docker-registry)';
const IMAGE_REPO = 'apps/web-app';
const TAGS = [
  '1.0.0',
  '1.2.4',
  '1.2.5',
  '2.0.0',
  'latest',
  'main-0a1b2c-1700000100',
  'main-9f8e7d-1700000300',
];
const SIGNATURE = 'sha256-0a1b2c.sig';
const WAIT = 120_000;

type Event = KubeObject & {
  reason?: string;
  type?: string;
  message?: string;
  involvedObject?: { name?: string };
};

describe('flux: ImageRepository and ImagePolicy against a real registry', { skip, timeout: 600_000 }, () => {
  let h: FluxHarness;
  let ns: { name: string; delete(): Promise<void> };
  let registry: OciRegistry;
  let image: string;
  const digests = new Map<string, string>();
  const startHarness = () =>
    FluxHarness.start(ns.name, { imageScanLimits: { maxTags: 1_000, maxBytes: 1024 * 1024, pageSize: 2 } });
  const getRepo = (name: string) =>
    h.client.get<ImageRepository>({ ...IMAGE_REPOSITORY_GVK, namespace: ns.name, name });
  const getPolicy = (name: string) =>
    h.client.get<ImagePolicy>({ ...IMAGE_POLICY_GVK, namespace: ns.name, name });
  const waitFor = async <T extends { status?: unknown }>(
    what: string,
    read: () => Promise<T>,
    check: (o: T) => boolean,
  ): Promise<T> => {
    let last: T | undefined;
    try {
      return await eventually(
        what,
        async () => {
          last = await read();
          return check(last) ? last : undefined;
        },
        WAIT,
        250,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last?.status)}`);
    }
  };
  const events = async (name: string) =>
    (await h.client.list<Event>({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name })).items.filter(
      (e) => e.involvedObject?.name === name,
    );
  const createPolicy = (name: string, spec: Record<string, unknown>) =>
    h.client.create({
      ...IMAGE_POLICY_GVK,
      metadata: { name, namespace: ns.name },
      spec: { imageRepositoryRef: { name: 'web-app' }, ...spec },
    } as KubeObject);
  const createRepo = (name: string, spec: Record<string, unknown>) =>
    h.client.create({
      ...IMAGE_REPOSITORY_GVK,
      metadata: { name, namespace: ns.name },
      spec: { interval: '2s', ...spec },
    } as KubeObject);

  before(async () => {
    ns = await testNamespace(testClient(), 'flux-image');
    registry = await OciRegistry.start();
    image = `${registry.host}/${IMAGE_REPO}`;
    for (const tag of [...TAGS, SIGNATURE]) digests.set(tag, await registry.pushImage(IMAGE_REPO, tag));
    h = await startHarness();
    await createRepo('web-app', { image, insecure: true });
  });
  after(async () => {
    await h?.stop();
    await registry?.stop();
    await ns?.delete();
  });

  it('scans every tag page by page, without the excluded signature tag', async () => {
    const repo = await waitFor(
      'scanned',
      () => getRepo('web-app'),
      (r) => condition(r, 'Ready')?.status === 'True',
    );
    const sorted = sortTagsDescending(TAGS);
    const revision = tagsRevision(sorted);
    assert.equal(condition(repo, 'Ready')?.reason, 'Succeeded');
    assert.equal(
      condition(repo, 'Ready')?.message,
      `successful scan: found ${TAGS.length} tags with checksum ${revision}`,
    );
    assert.equal(repo.status?.lastScanResult?.tagCount, TAGS.length);
    assert.equal(repo.status?.lastScanResult?.revision, revision);
    assert.deepEqual(repo.status?.lastScanResult?.latestTags, sorted.slice(0, 10));
    assert.equal(repo.status?.canonicalImageName, image);
    assert.deepEqual(repo.status?.observedExclusionList, ['^.*\\.sig$']);
    assert.equal(repo.status?.observedGeneration, repo.metadata.generation);
    assert.equal(condition(repo, 'Reconciling'), undefined);
    // the registry really pages at 2 tags (what the scan above followed)
    const page = await fetch(`http://${image.replace(`/${IMAGE_REPO}`, '')}/v2/${IMAGE_REPO}/tags/list?n=2`);
    assert.match(page.headers.get('link') ?? '', /rel="next"/);
    assert.equal(((await page.json()) as { tags: string[] }).tags.length, 2);
  });

  it('resolves the highest tag in range, and moves when a newer one is pushed', async () => {
    await createPolicy('semver', { policy: { semver: { range: '>=1.0.0 <2.0.0' } } });
    let p = await waitFor(
      '1.2.5',
      () => getPolicy('semver'),
      (x) => x.status?.latestRef?.tag === '1.2.5',
    );
    assert.deepEqual(p.status?.latestRef, { name: image, tag: '1.2.5' });
    assert.equal(condition(p, 'Ready')?.status, 'True');
    assert.equal(condition(p, 'Ready')?.message, `Latest image tag for ${image} resolved to 1.2.5`);
    await eventually(
      'a Normal event for the resolution',
      async () =>
        (await events('semver')).some(
          (e) => e.type === 'Normal' && e.message === `Latest image tag for ${image} resolved to 1.2.5`,
        ),
      WAIT,
      250,
    );
    digests.set('1.2.6', await registry.pushImage(IMAGE_REPO, '1.2.6'));
    p = await waitFor(
      '1.2.6',
      () => getPolicy('semver'),
      (x) => x.status?.latestRef?.tag === '1.2.6',
    );
    assert.deepEqual(p.status?.observedPreviousRef, { name: image, tag: '1.2.5' });
    const moved = `Latest image tag for ${image} resolved to 1.2.6 (previously ${image}:1.2.5)`;
    assert.equal(condition(p, 'Ready')?.message, moved);
    await eventually(
      'an event for the move',
      async () => (await events('semver')).some((e) => e.message === moved),
      WAIT,
      250,
    );
    // a tag outside the range changes nothing
    await registry.pushImage(IMAGE_REPO, '2.1.0');
    await waitFor(
      '2.1.0 scanned',
      () => getRepo('web-app'),
      (r) => r.status?.lastScanResult?.tagCount === TAGS.length + 2,
    );
    assert.equal((await getPolicy('semver')).status?.latestRef?.tag, '1.2.6');
  });

  it('filters timestamped builds, extracts $ts, orders numerically and reflects the digest', async () => {
    await createPolicy('builds', {
      filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' },
      policy: { numerical: { order: 'asc' } },
      digestReflectionPolicy: 'IfNotPresent',
    });
    const want = 'main-9f8e7d-1700000300';
    const p = await waitFor(
      'newest build',
      () => getPolicy('builds'),
      (x) => x.status?.latestRef?.tag === want,
    );
    assert.deepEqual(p.status?.latestRef, { name: image, tag: want, digest: digests.get(want) });
    assert.equal(
      condition(p, 'Ready')?.message,
      `Latest image tag for ${image} resolved to ${want} with digest ${digests.get(want)}`,
    );
  });

  it('stalls on a bad range with a clear message and a Warning Event', async () => {
    await createPolicy('bad-range', { policy: { semver: { range: '>=1.0.0 <2.0.0 banana' } } });
    const p = await waitFor(
      'stalled',
      () => getPolicy('bad-range'),
      (x) => condition(x, 'Stalled')?.status === 'True',
    );
    assert.equal(condition(p, 'Stalled')?.reason, 'InvalidPolicy');
    assert.equal(condition(p, 'Ready')?.status, 'False');
    assert.equal(condition(p, 'Ready')?.reason, 'InvalidPolicy');
    assert.match(condition(p, 'Ready')?.message ?? '', /^invalid policy: improper constraint: ".*banana"$/);
    assert.equal(p.status?.latestRef, undefined);
    await eventually(
      'a Warning event',
      async () =>
        (await events('bad-range')).some((e) => e.type === 'Warning' && e.reason === 'InvalidPolicy'),
      WAIT,
      250,
    );
    // fixing the spec recovers
    await h.client.patch(
      { ...IMAGE_POLICY_GVK, namespace: ns.name, name: 'bad-range' },
      { spec: { policy: { semver: { range: '~1.2' } } } },
      { type: 'merge' },
    );
    const fixed = await waitFor(
      'fixed',
      () => getPolicy('bad-range'),
      (x) => condition(x, 'Ready')?.status === 'True',
    );
    assert.equal(fixed.status?.latestRef?.tag, '1.2.6');
    assert.equal(condition(fixed, 'Stalled'), undefined);
  });

  it('stalls on an image with a scheme and on a provider Slipway does not implement', async () => {
    await createRepo('with-scheme', { image: `http://${image}` });
    await createRepo('aws', { image, provider: 'aws' });
    const a = await waitFor(
      'url stalled',
      () => getRepo('with-scheme'),
      (x) => condition(x, 'Stalled')?.status === 'True',
    );
    assert.equal(condition(a, 'Ready')?.reason, 'ImageURLInvalid');
    assert.equal(
      condition(a, 'Ready')?.message,
      `image 'http://${image}' should not include URL scheme; remove 'http://'`,
    );
    const b = await waitFor(
      'aws stalled',
      () => getRepo('aws'),
      (x) => condition(x, 'Stalled')?.status === 'True',
    );
    assert.equal(condition(b, 'Ready')?.reason, 'UnsupportedSpec');
    assert.match(condition(b, 'Ready')?.message ?? '', /provider 'aws' is not supported/);
  });

  it('reports an unreachable registry as Ready False and recovers when it is back', async () => {
    await registry.pause();
    try {
      const r = await waitFor(
        'scan failed',
        () => getRepo('web-app'),
        (x) => condition(x, 'Ready')?.status === 'False',
      );
      assert.equal(condition(r, 'Ready')?.reason, 'ReadOperationFailed');
      assert.match(
        condition(r, 'Ready')?.message ?? '',
        /^scan failed: GET \/v2\/apps\/web-app\/tags\/list: fetch failed/,
      );
      assert.equal(condition(r, 'Reconciling')?.reason, 'ProgressingWithRetry');
      await eventually(
        'a Warning event',
        async () =>
          (await events('web-app')).some((e) => e.type === 'Warning' && e.reason === 'ReadOperationFailed'),
        WAIT,
        250,
      );
      // the policies keep the tags of the last good scan, as Flux's do
      assert.equal(condition(await getPolicy('semver'), 'Ready')?.status, 'True');
    } finally {
      await registry.resume();
    }
    const back = await waitFor(
      'recovered',
      () => getRepo('web-app'),
      (x) => condition(x, 'Ready')?.status === 'True',
    );
    assert.match(
      condition(back, 'Ready')?.message ?? '',
      /^successful scan: found \d+ tags with checksum \d+$/,
    );
    assert.equal(condition(back, 'Reconciling'), undefined);
  });

  it('carries on after a restart that empties the tag memory', async () => {
    await h.stop();
    h = await startHarness();
    assert.equal(h.handle.imageTags.get(`${ns.name}/web-app`), undefined);
    await registry.pushImage(IMAGE_REPO, '1.2.7');
    const p = await waitFor(
      '1.2.7 after restart',
      () => getPolicy('semver'),
      (x) => x.status?.latestRef?.tag === '1.2.7',
    );
    assert.deepEqual(p.status?.observedPreviousRef, { name: image, tag: '1.2.6' });
    assert.ok(h.handle.imageTags.get(`${ns.name}/web-app`)?.tags.includes('1.2.7'));
  });
});
