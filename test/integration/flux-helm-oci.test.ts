import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  HELM_CHART_CONTENT_MEDIA_TYPE,
  HELM_CHART_GVK,
  HELM_RELEASE_GVK,
  HELM_REPOSITORY_GVK,
  type HelmChart,
  type HelmRelease,
  type HelmRepository,
  OCI_REPOSITORY_GVK,
} from '../../src/flux/index.js';
import { isNotFound, type KubeObject } from '../../src/kube/index.js';
import type { TestChart } from '../support/flux/chart-repo-server.js';
import { condition, FluxHarness } from '../support/flux/flux-harness.js';
import { pushHelmChart } from '../support/flux/helm-oci-push.js';
import { OciRegistry } from '../support/flux/oci-registry.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// Helm charts from an OCI registry (Debian's docker-registry on loopback, charts pushed with `helm
// push`), both ways Flux supports: a HelmRepository `type: oci` whose HelmChart resolves a semver range
// over the registry's tags, and a HelmRelease `chartRef` OCIRepository whose chart version carries the
// artifact digest. Bad input is a condition with Flux's reason and a Warning Event.

const skip = OciRegistry.available()
  ? false
  : 'docker-registry is not installed (apt-get install docker-registry)';

const settings = `apiVersion: v1
kind: ConfigMap
metadata: {name: {{ .Release.Name }}-settings}
data:
  chart: {{ .Chart.Version | quote }}
  greeting: {{ .Values.greeting | quote }}
`;
const chart = (version: string, extra = false): TestChart => ({
  name: 'web',
  version,
  appVersion: '1.0',
  files: {
    'values.yaml': 'greeting: hello\n',
    'templates/settings.yaml': settings,
    ...(extra && {
      'templates/extra.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-extra}\ndata: {a: b}\n',
    }),
  },
});

/** A loopback port nothing listens on (one just closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  return typeof address === 'object' && address ? address.port : 0;
}

type Event = KubeObject & {
  type?: string;
  reason?: string;
  message?: string;
  involvedObject?: { name?: string };
};

describe('flux: Helm charts from an OCI registry', { skip, timeout: 600_000 }, () => {
  let h: FluxHarness;
  let ns: { name: string; delete(): Promise<void> };
  let registry: OciRegistry;
  const digests = new Map<string, string>();
  const get = <T extends KubeObject>(gvk: { apiVersion: string; kind: string }, name: string) =>
    h.client.get<T>({ ...gvk, namespace: ns.name, name });
  const getCm = async (name: string) => {
    try {
      return await get<KubeObject & { data?: Record<string, string> }>(
        { apiVersion: 'v1', kind: 'ConfigMap' },
        name,
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const waitFor = async <T extends KubeObject>(
    gvk: { apiVersion: string; kind: string },
    name: string,
    what: string,
    check: (o: T) => boolean,
    timeoutMs = 120_000,
  ): Promise<T> => {
    let last: T | undefined;
    try {
      return await eventually(
        what,
        async () => {
          last = await get<T>(gvk, name);
          return check(last) ? last : undefined;
        },
        timeoutMs,
        250,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last?.status)}`);
    }
  };
  const waitHr = (name: string, what: string, check: (o: HelmRelease) => boolean) =>
    waitFor<HelmRelease>(HELM_RELEASE_GVK, name, what, check);
  const waitChart = (name: string, what: string, check: (o: HelmChart) => boolean) =>
    waitFor<HelmChart>(HELM_CHART_GVK, name, what, check);
  const warnings = async (name: string) =>
    (await h.client.list<Event>({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name })).items.filter(
      (e) => e.involvedObject?.name === name && e.type === 'Warning',
    );
  const ociUrl = () => `oci://${registry.host}/charts`;

  before(async () => {
    ns = await testNamespace(testClient(), 'flux-helm-oci');
    registry = await OciRegistry.start();
    for (const v of ['1.0.0', '1.1.0-rc.1', '2.0.0'])
      digests.set(v, await pushHelmChart(registry.host, 'charts', chart(v, v === '1.0.0')));
    h = await FluxHarness.start(ns.name);
    await h.client.create({
      ...HELM_REPOSITORY_GVK,
      metadata: { name: 'charts', namespace: ns.name },
      spec: { type: 'oci', url: ociUrl(), insecure: true, interval: '1m' },
    } as KubeObject);
    await h.client.create({
      ...HELM_RELEASE_GVK,
      metadata: { name: 'web', namespace: ns.name },
      spec: {
        interval: '3s',
        timeout: '60s',
        chart: {
          spec: {
            chart: 'web',
            version: '1.x',
            interval: '2s',
            sourceRef: { kind: 'HelmRepository', name: 'charts' },
          },
        },
        values: { greeting: 'from-spec' },
      },
    } as KubeObject);
  });
  after(async () => {
    await h?.stop();
    await registry?.stop();
    await ns?.delete();
  });

  it('HelmRepository type oci: the range picks the highest stable tag and the release installs it', async () => {
    const hr = await waitHr('web', 'installed', (r) => condition(r, 'Ready')?.status === 'True');
    assert.equal(condition(hr, 'Ready')?.reason, 'InstallSucceeded');
    assert.equal(
      condition(hr, 'Ready')?.message,
      `Helm install succeeded for release ${ns.name}/web.v1 with chart web@1.0.0`,
    );
    assert.equal(
      hr.status?.lastAttemptedRevision,
      '1.0.0',
      '1.1.0-rc.1 is a pre-release, 2.0.0 is out of range',
    );
    assert.equal(hr.status?.lastAttemptedRevisionDigest, undefined);
    assert.equal(hr.status?.helmChart, `${ns.name}/${ns.name}-web`);
    assert.deepEqual(
      hr.status?.history?.map((s) => [s.version, s.chartName, s.chartVersion, s.status, s.ociDigest]),
      [[1, 'web', '1.0.0', 'deployed', undefined]],
    );
    assert.deepEqual((await getCm('web-settings'))?.data, { chart: '1.0.0', greeting: 'from-spec' });
    assert.ok(await getCm('web-extra'));

    const c = await get<HelmChart>(HELM_CHART_GVK, `${ns.name}-web`);
    assert.equal(c.status?.artifact?.revision, '1.0.0');
    assert.equal(condition(c, 'Ready')?.reason, 'ChartPullSucceeded');
    assert.equal(condition(c, 'Ready')?.message, "pulled 'web' chart with version '1.0.0'");
    assert.equal(condition(c, 'ArtifactInStorage')?.message, "stored artifact: revision '1.0.0'");
    assert.equal(c.status?.observedChartName, 'web');
    assert.equal(
      c.status?.observedSourceArtifactRevision,
      undefined,
      'an OCI HelmRepository has no artifact',
    );
    const repo = await get<HelmRepository>(HELM_REPOSITORY_GVK, 'charts');
    assert.equal(repo.status?.artifact, undefined, 'a type oci HelmRepository stays static');
  });

  it('a newer tag in range (`+` pushed as `_`) upgrades the release and prunes what left the chart', async () => {
    digests.set('1.0.1+build.7', await pushHelmChart(registry.host, 'charts', chart('1.0.1+build.7')));
    const hr = await waitHr(
      'web',
      'upgraded',
      (r) =>
        condition(r, 'Ready')?.reason === 'UpgradeSucceeded' &&
        r.status?.lastAttemptedRevision === '1.0.1+build.7',
    );
    assert.deepEqual(
      hr.status?.history?.map((s) => [s.version, s.chartVersion, s.status]),
      [
        [2, '1.0.1+build.7', 'deployed'],
        [1, '1.0.0', 'superseded'],
      ],
    );
    assert.equal((await getCm('web-settings'))?.data?.chart, '1.0.1+build.7');
    await eventually('web-extra pruned', async () => (await getCm('web-extra')) === undefined, 60_000, 250);
    const c = await get<HelmChart>(HELM_CHART_GVK, `${ns.name}-web`);
    assert.equal(c.status?.artifact?.revision, '1.0.1+build.7');
  });

  it('an exact version is pulled by its tag; an empty version is the latest stable', async () => {
    for (const [name, version] of [
      ['exact', '1.1.0-rc.1'],
      ['latest', undefined],
    ] as const)
      await h.client.create({
        ...HELM_CHART_GVK,
        metadata: { name, namespace: ns.name },
        spec: {
          chart: 'web',
          ...(version !== undefined && { version }),
          interval: '1m',
          sourceRef: { kind: 'HelmRepository', name: 'charts' },
        },
      } as KubeObject);
    const exact = await waitChart('exact', 'pulled', (c) => condition(c, 'Ready')?.status === 'True');
    assert.equal(exact.status?.artifact?.revision, '1.1.0-rc.1');
    const latest = await waitChart('latest', 'pulled', (c) => condition(c, 'Ready')?.status === 'True');
    assert.equal(latest.status?.artifact?.revision, '2.0.0');
  });

  it('chartRef OCIRepository (copy and extract): installs with the digest in the chart version, follows a new tag', async () => {
    for (const [name, operation] of [
      ['web-copy', 'copy'],
      ['web-extract', 'extract'],
    ] as const) {
      await h.client.create({
        ...OCI_REPOSITORY_GVK,
        metadata: { name, namespace: ns.name },
        spec: {
          interval: '2s',
          url: `${ociUrl()}/web`,
          insecure: true,
          ref: { tag: '1.0.0' },
          layerSelector: { mediaType: HELM_CHART_CONTENT_MEDIA_TYPE, operation },
        },
      } as KubeObject);
      await h.client.create({
        ...HELM_RELEASE_GVK,
        metadata: { name, namespace: ns.name },
        spec: { interval: '3s', timeout: '60s', chartRef: { kind: 'OCIRepository', name } },
      } as KubeObject);
    }
    const digest = digests.get('1.0.0') ?? '';
    const version = `1.0.0+${digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;
    for (const name of ['web-copy', 'web-extract']) {
      const hr = await waitHr(name, `${name} installed`, (r) => condition(r, 'Ready')?.status === 'True');
      assert.equal(condition(hr, 'Ready')?.reason, 'InstallSucceeded');
      assert.equal(
        condition(hr, 'Ready')?.message,
        `Helm install succeeded for release ${ns.name}/${name}.v1 with chart web@${version}`,
      );
      assert.equal(hr.status?.helmChart, undefined, 'no HelmChart for a chartRef OCIRepository');
      assert.equal(hr.status?.lastAttemptedRevision, version);
      assert.equal(hr.status?.lastAttemptedRevisionDigest, digest);
      assert.deepEqual(
        hr.status?.history?.map((s) => [s.version, s.chartName, s.chartVersion, s.status, s.ociDigest]),
        [[1, 'web', version, 'deployed', digest]],
      );
      assert.equal((await getCm(`${name}-settings`))?.data?.greeting, 'hello');
      assert.ok(await getCm(`${name}-extra`));
    }
    const copy = await get<KubeObject & { status?: { artifact?: { revision?: string; digest?: string } } }>(
      OCI_REPOSITORY_GVK,
      'web-copy',
    );
    assert.equal(copy.status?.artifact?.revision, `1.0.0@${digest}`);

    // a new tag: the OCIRepository's new artifact runs the HelmRelease again
    await h.client.patch(
      { ...OCI_REPOSITORY_GVK, namespace: ns.name, name: 'web-copy' },
      { spec: { ref: { tag: '1.0.1_build.7' } } },
      { type: 'merge' },
    );
    const next = digests.get('1.0.1+build.7') ?? '';
    const nextVersion = `1.0.1+${next.slice('sha256:'.length, 'sha256:'.length + 12)}`;
    const hr = await waitHr(
      'web-copy',
      'upgraded to the new tag',
      (r) =>
        condition(r, 'Ready')?.reason === 'UpgradeSucceeded' &&
        r.status?.lastAttemptedRevision === nextVersion,
    );
    assert.equal(hr.status?.lastAttemptedRevisionDigest, next);
    assert.deepEqual(
      hr.status?.history?.map((s) => [s.version, s.chartVersion, s.status, s.ociDigest]),
      [
        [2, nextVersion, 'deployed', next],
        [1, version, 'superseded', digest],
      ],
    );
    await eventually(
      'web-copy-extra pruned',
      async () => (await getCm('web-copy-extra')) === undefined,
      60_000,
      250,
    );
  });

  it('a new controller process (empty artifact store) carries on: new versions still roll out, once each', async () => {
    await h.stop();
    h = await FluxHarness.start(ns.name);
    digests.set('1.0.2', await pushHelmChart(registry.host, 'charts', chart('1.0.2')));
    await h.client.patch(
      { ...OCI_REPOSITORY_GVK, namespace: ns.name, name: 'web-copy' },
      { spec: { ref: { tag: '1.0.2' } } },
      { type: 'merge' },
    );
    const d = digests.get('1.0.2') ?? '';
    const ociVersion = `1.0.2+${d.slice('sha256:'.length, 'sha256:'.length + 12)}`;
    const copy = await waitHr(
      'web-copy',
      'upgraded after the restart',
      (r) =>
        condition(r, 'Ready')?.reason === 'UpgradeSucceeded' &&
        r.status?.lastAttemptedRevision === ociVersion,
    );
    assert.deepEqual(
      copy.status?.history?.map((s) => [s.version, s.status]),
      [
        [3, 'deployed'],
        [2, 'superseded'],
        [1, 'superseded'],
      ],
    );
    const web = await waitHr(
      'web',
      'upgraded after the restart',
      (r) =>
        condition(r, 'Ready')?.reason === 'UpgradeSucceeded' && r.status?.lastAttemptedRevision === '1.0.2',
    );
    assert.deepEqual(
      web.status?.history?.map((s) => [s.version, s.chartVersion, s.status]),
      [
        [3, '1.0.2', 'deployed'],
        [2, '1.0.1+build.7', 'superseded'],
        [1, '1.0.0', 'superseded'],
      ],
    );
  });

  it('bad input: a missing chart, no version in range, a missing tag, an unreachable registry, a missing source', async () => {
    const prefix = 'chart pull error: failed to get chart version for remote reference: ';
    const closed = await closedPort();
    await h.client.create({
      ...HELM_REPOSITORY_GVK,
      metadata: { name: 'nowhere', namespace: ns.name },
      spec: { type: 'oci', url: `oci://127.0.0.1:${closed}/charts`, insecure: true, interval: '1m' },
    } as KubeObject);
    const bad: [
      name: string,
      repo: string,
      chartName: string,
      version: string,
      message: (m: string) => boolean,
    ][] = [
      [
        'missing-chart',
        'charts',
        'missing',
        '1.x',
        (m) =>
          m.startsWith(
            `${prefix}could not get tags for "missing": could not fetch tags for "${ociUrl()}/missing": `,
          ) && m.includes('404'),
      ],
      [
        'no-match',
        'charts',
        'web',
        '9.x',
        (m) => m === `${prefix}could not locate a version matching provided version string 9.x`,
      ],
      [
        'missing-tag',
        'charts',
        'web',
        '9.9.9',
        (m) =>
          m.startsWith(
            `chart pull error: failed to download chart for remote reference: failed to get '${ociUrl()}/web:9.9.9': `,
          ) && m.includes('404'),
      ],
      [
        'unreachable',
        'nowhere',
        'web',
        '1.x',
        (m) =>
          m.startsWith(
            `${prefix}could not get tags for "web": could not fetch tags for "oci://127.0.0.1:${closed}/charts/web": `,
          ) && m.includes('ECONNREFUSED'),
      ],
    ];
    for (const [name, repo, chartName, version] of bad)
      await h.client.create({
        ...HELM_CHART_GVK,
        metadata: { name, namespace: ns.name },
        spec: {
          chart: chartName,
          version,
          interval: '1m',
          sourceRef: { kind: 'HelmRepository', name: repo },
        },
      } as KubeObject);
    for (const [name, , , , message] of bad) {
      const c = await waitChart(name, `${name} failed`, (x) => condition(x, 'Ready')?.status === 'False');
      assert.equal(condition(c, 'Ready')?.reason, 'ChartPullError', name);
      assert.equal(condition(c, 'FetchFailed')?.reason, 'ChartPullError', name);
      const text = condition(c, 'Ready')?.message ?? '';
      assert.ok(message(text), `${name}: ${text}`);
      await eventually(
        `${name}: a Warning Event`,
        async () => (await warnings(name)).find((e) => e.reason === 'ChartPullError' && e.message === text),
        60_000,
        250,
      );
    }

    await h.client.create({
      ...HELM_RELEASE_GVK,
      metadata: { name: 'no-source', namespace: ns.name },
      spec: { interval: '1m', chartRef: { kind: 'OCIRepository', name: 'absent' } },
    } as KubeObject);
    const hr = await waitHr('no-source', 'not ready', (r) => condition(r, 'Ready')?.status === 'False');
    assert.equal(condition(hr, 'Ready')?.reason, 'ArtifactFailed');
    assert.equal(
      condition(hr, 'Ready')?.message,
      'could not get Source object: ocirepositories.source.toolkit.fluxcd.io "absent" not found',
    );
    await eventually(
      'a Warning Event for the HelmRelease',
      async () => (await warnings('no-source')).find((e) => e.reason === 'ArtifactFailed'),
      60_000,
      250,
    );

    // the controllers carry on: the good release is still ready and in sync
    const web = await waitHr('web', 'still ready', (r) => condition(r, 'Ready')?.status === 'True');
    assert.equal(web.status?.lastAttemptedRevision, '1.0.2');
  });
});
