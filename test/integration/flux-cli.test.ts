import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runFluxGet } from '../../src/cli/commands/flux-get.js';
import { fluxCliPath } from '../../src/dev/flux-cli/index.js';
import { HELM_RELEASE_GVK, HELM_REPOSITORY_GVK, type HelmRelease } from '../../src/flux/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { ChartRepoServer } from '../support/flux/chart-repo-server.js';
import {
  condition,
  FluxHarness,
  gitRepository,
  kustomization,
  waitForKustomization,
} from '../support/flux/flux-harness.js';
import { GitHttpServer } from '../support/flux/git-http-server.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

// The upstream `flux` CLI reads the status Slipway writes. Building it takes tens of minutes on a cold
// Go cache, so this runs only once it is cached: `bash src/dev/flux-cli/build-flux-cli.sh`.
const cli = fluxCliPath();
const skip = existsSync(cli) ? false : `the flux CLI is not built (bash src/dev/flux-cli/build-flux-cli.sh)`;

describe('flux: `flux get` reads Slipway status', { skip, timeout: 300_000 }, () => {
  let h: FluxHarness;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let server: GitHttpServer;
  let charts: ChartRepoServer;
  const flux = (...args: string[]) =>
    execFileSync(cli, [...args, '--namespace', ns.name, '--kubeconfig', testKubeconfigPath()], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  before(async () => {
    ns = await testNamespace(testClient(), 'flux-cli');
    repo = TestRepo.create({
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hello}\ndata: {a: b}\n',
    });
    server = await GitHttpServer.start(repo);
    h = await FluxHarness.start(ns.name);
    await h.client.create(
      gitRepository(ns.name, 'repo', { interval: '1m', url: server.url, ref: { branch: 'main' } }),
    );
    await h.client.create(
      kustomization(ns.name, 'apps', {
        sourceRef: { kind: 'GitRepository', name: 'repo' },
        path: './apps',
        interval: '1m',
        prune: true,
        targetNamespace: ns.name,
      }),
    );
    await waitForKustomization(
      h.client,
      ns.name,
      'apps',
      'Ready',
      (k) => condition(k, 'Ready')?.status === 'True',
    );
    charts = await ChartRepoServer.start([
      {
        name: 'hello',
        version: '0.2.0',
        files: { 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hello-chart}\n' },
      },
    ]);
    await h.client.create({
      ...HELM_REPOSITORY_GVK,
      metadata: { name: 'charts', namespace: ns.name },
      spec: { interval: '1m', url: charts.url },
    } as KubeObject);
    await h.client.create({
      ...HELM_RELEASE_GVK,
      metadata: { name: 'hello', namespace: ns.name },
      spec: {
        interval: '1m',
        chart: {
          spec: { chart: 'hello', version: '0.x', sourceRef: { kind: 'HelmRepository', name: 'charts' } },
        },
      },
    } as KubeObject);
    // a Kustomization that fails, a suspended one (--status-selector, Suspended), labelled objects for -A -l
    const label = { 'slipway.test/flux-cli': ns.name };
    await h.client.create({
      ...kustomization(ns.name, 'broken', {
        sourceRef: { kind: 'GitRepository', name: 'repo' },
        path: './missing',
        interval: '1m',
        prune: true,
        targetNamespace: ns.name,
      }),
      metadata: { name: 'broken', namespace: ns.name, labels: label },
    } as KubeObject);
    await h.client.create({
      ...kustomization(ns.name, 'paused', {
        sourceRef: { kind: 'GitRepository', name: 'repo' },
        path: './apps',
        interval: '1m',
        prune: true,
        suspend: true,
      }),
    } as KubeObject);
    // image automation objects with a status as their controllers write it (printed from status only)
    const conditions = [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Succeeded',
        message: 'successful scan: found 3 tags',
        lastTransitionTime: '2026-12-06T20:00:00Z',
      },
    ];
    const images: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [
        'ImageRepository',
        { image: 'registry.example/web', interval: '1m' },
        { lastScanResult: { scanTime: '2026-12-06T20:00:05Z', tagCount: 3 }, conditions },
      ],
      [
        'ImagePolicy',
        { imageRepositoryRef: { name: 'web' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } } },
        { latestRef: { name: 'registry.example/web', tag: '1.2.5' }, conditions },
      ],
      [
        'ImageUpdateAutomation',
        {
          interval: '30m',
          sourceRef: { kind: 'GitRepository', name: 'repo' },
          git: { commit: { author: { email: 'bot@example.com', name: 'bot' } } },
          update: { path: './', strategy: 'Setters' },
        },
        { lastAutomationRunTime: '2026-12-06T20:01:00Z', conditions },
      ],
    ];
    for (const [kind, spec, status] of images) {
      const ref = { apiVersion: 'image.toolkit.fluxcd.io/v1', kind, namespace: ns.name, name: 'web' };
      await h.client.create({
        ...ref,
        metadata: { name: 'web', namespace: ns.name, labels: label },
        spec,
      } as KubeObject);
      await h.client.patch(ref, { status }, { type: 'merge', subresource: 'status' });
    }
    await waitForKustomization(
      h.client,
      ns.name,
      'broken',
      'broken not Ready',
      (k) => condition(k, 'Ready')?.status === 'False',
    );
    await eventually(
      'HelmRelease ready',
      async () =>
        condition(
          await h.client.get<HelmRelease>({ ...HELM_RELEASE_GVK, namespace: ns.name, name: 'hello' }),
          'Ready',
        )?.status === 'True',
      120_000,
      250,
    );
  });
  after(async () => {
    await h?.stop();
    await ns?.delete();
    await server?.close();
    await charts?.close();
    repo?.dispose();
  });

  const row = (out: string, name: string) => {
    const line = out.split('\n').find((l) => l.startsWith(name));
    assert.ok(line, out);
    return { line, cells: line.split('\t').map((c) => c.trim()) };
  };

  it('flux get helmreleases shows Ready, the chart version and the release message', () => {
    const out = flux('get', 'helmreleases');
    const { line, cells } = row(out, 'hello');
    assert.ok(cells.includes('True'), out);
    assert.ok(cells.includes('0.2.0'), out);
    assert.match(line, /Helm install succeeded for release .*\/hello\.v1 with chart hello@0\.2\.0/);
  });

  it('flux get sources helm and sources chart show their artifacts', () => {
    const helm = flux('get', 'sources', 'helm');
    const h1 = row(helm, 'charts');
    assert.ok(h1.cells.includes('True'), helm);
    assert.match(h1.line, /stored artifact: revision 'sha256:/);
    const chart = flux('get', 'sources', 'chart');
    const c1 = row(chart, `${ns.name}-hello`);
    assert.ok(c1.cells.includes('True'), chart);
    assert.ok(c1.cells.includes('0.2.0'), chart);
    assert.match(c1.line, /pulled 'hello' chart with version '0\.2\.0'/);
  });

  it('flux get kustomizations shows Ready and the applied revision', () => {
    const out = flux('get', 'kustomizations');
    const line = out.split('\n').find((l) => l.startsWith('apps'));
    assert.ok(line, out);
    const cells = line.split('\t').map((c) => c.trim());
    assert.ok(cells.includes('True'), out);
    assert.ok(
      cells.some((c) => c.includes(`main@sha1:${repo.head().slice(0, 8)}`)),
      out,
    );
    assert.match(line, /Applied revision: main@sha1:/);
  });

  // Both CLIs on the same objects: stdout byte for byte, stderr and exit code. A controller may write a
  // status between the two runs, so a difference is retried a few times before it counts.
  const compare = async (args: readonly string[]) => {
    const kubeconfig = ['--kubeconfig', testKubeconfigPath()];
    let last = '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const theirs = spawnSync(cli, [...args, ...kubeconfig], { encoding: 'utf8', timeout: 60_000 });
      const ours = await runFluxGet([...args.slice(1), ...kubeconfig]);
      const a = { code: theirs.status, stdout: theirs.stdout, stderr: theirs.stderr };
      const b = ours;
      if (JSON.stringify(a) === JSON.stringify(b)) return b;
      last = `flux ${args.join(' ')}\n--- flux:\n${JSON.stringify(a, null, 1)}\n--- slipway:\n${JSON.stringify(b, null, 1)}`;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    assert.fail(last);
  };

  it('slipway flux get prints what flux get prints, for every kind and option', async () => {
    const n = ['-n', ns.name];
    const l = ['-A', '-l', `slipway.test/flux-cli=${ns.name}`];
    const cases: string[][] = [
      ['get', 'kustomizations', ...n],
      ['get', 'kustomizations', 'apps', ...n],
      ['get', 'kustomizations', 'nope', ...n],
      ['get', 'kustomizations', '--status-selector', 'ready=false', ...n],
      ['get', 'kustomizations', '--status-selector', 'ready!=false', ...n],
      ['get', 'kustomizations', '--show-source', '--no-header', ...n],
      ['get', 'kustomizations', ...l],
      ['get', 'helmreleases', ...n],
      ['get', 'helmreleases', '--show-source', ...n],
      ['get', 'sources', 'git', ...n],
      ['get', 'sources', 'helm', ...n],
      ['get', 'sources', 'chart', ...n],
      ['get', 'sources', 'oci', ...n],
      ['get', 'sources', 'all', ...n],
      ['get', 'images', 'repository', ...n],
      ['get', 'images', 'policy', ...n],
      ['get', 'images', 'update', ...n],
      ['get', 'images', 'all', ...n],
      ['get', 'images', 'all', ...l],
      ['get', 'all', ...n],
      ['get', 'all', 'web', ...n],
      ['get', 'all', '--status-selector', 'ready=false', ...n],
      ['get', 'all', ...l],
    ];
    for (const c of cases) await compare(c);
    const out = await compare(['get', 'all', ...n]);
    assert.match(out.stdout, /kustomization\/apps/);
    assert.match(out.stdout, /imagepolicy\/web/);
  });

  it('flux get sources git shows Ready and the stored artifact', () => {
    const out = flux('get', 'sources', 'git');
    const line = out.split('\n').find((l) => l.startsWith('repo'));
    assert.ok(line, out);
    assert.ok(
      line
        .split('\t')
        .map((c) => c.trim())
        .includes('True'),
      out,
    );
    assert.match(line, /stored artifact for revision 'main@sha1:/);
  });
});
