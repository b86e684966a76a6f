import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
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
