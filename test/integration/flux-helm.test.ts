import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  HELM_CHART_GVK,
  HELM_RELEASE_GVK,
  HELM_REPOSITORY_GVK,
  type HelmRelease,
} from '../../src/flux/index.js';
import { isNotFound, type KubeObject } from '../../src/kube/index.js';
import { renderToolPaths } from '../../src/sync/render/index.js';
import { ChartRepoServer, type TestChart } from '../support/flux/chart-repo-server.js';
import { condition, FluxHarness, gitRepository } from '../support/flux/flux-harness.js';
import { GitHttpServer } from '../support/flux/git-http-server.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

// The seeds' HelmRepository + HelmRelease against a chart repository served on loopback, and a chart
// from a Git repository: install, values/valuesFrom, drift healed, upgrade with prune, an upgrade that
// fails its health check rolled back as configured until the retries run out, uninstall on delete.

const deployment = (extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: {{ .Release.Name }}-web}
spec:
  replicas: {{ .Values.replicaCount }}
  selector: {matchLabels: {app: {{ .Release.Name }}-web}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}-web}}
    spec:${extra}
      containers:
      - name: web
        image: nginx:1.27
        resources: {requests: {memory: 16Mi, cpu: 5m}}
`;
const settings = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-settings}
data:
  greeting: {{ .Values.greeting | quote }}
  token: {{ .Values.auth.token | default "none" | quote }}
  chart: {{ .Chart.Version | quote }}
`;
const chart = (version: string, files: Record<string, string>): TestChart => ({
  name: 'web',
  version,
  appVersion: '1.0',
  files: { 'values.yaml': 'replicaCount: 1\ngreeting: hello\n', ...files },
});
const v100 = chart('1.0.0', {
  'templates/settings.yaml': settings,
  'templates/deployment.yaml': deployment(),
  'templates/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-extra}\ndata: {a: b}\n',
});
const v110 = chart('1.1.0', {
  'templates/settings.yaml': settings,
  'templates/deployment.yaml': deployment(),
});
// pods that can never be scheduled: the Deployment never becomes available
const v120 = chart('1.2.0', {
  'templates/settings.yaml': settings,
  'templates/deployment.yaml': deployment('\n      nodeSelector: {slipway.dev/no-such-node: "true"}'),
});

describe('flux: HelmRepository, HelmChart and HelmRelease on the sync engine', { timeout: 600_000 }, () => {
  let h: FluxHarness;
  let ns: { name: string; delete(): Promise<void> };
  let target: string;
  let charts: ChartRepoServer;
  let git: GitHttpServer;
  const getHr = (name: string) =>
    h.client.get<HelmRelease>({ ...HELM_RELEASE_GVK, namespace: ns.name, name });
  const getCm = async (namespace: string, name: string) => {
    try {
      return await h.client.get<KubeObject & { data?: Record<string, string> }>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace,
        name,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const waitHr = async (
    name: string,
    what: string,
    check: (hr: HelmRelease) => boolean,
    timeoutMs = 120_000,
  ) => {
    let last: HelmRelease | undefined;
    try {
      return await eventually(
        what,
        async () => {
          last = await getHr(name);
          return check(last) ? last : undefined;
        },
        timeoutMs,
        250,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last?.status)}`);
    }
  };
  const patchSpec = (name: string, spec: Record<string, unknown>) =>
    h.client.patch({ ...HELM_RELEASE_GVK, namespace: ns.name, name }, { spec }, { type: 'merge' });

  before(async () => {
    const client = testClient();
    ns = await testNamespace(client, 'flux-helm');
    target = `${ns.name}-apps`;
    charts = await ChartRepoServer.start([v100, v110]);
    const repo = TestRepo.create({
      'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.3.0\n',
      'charts/app/values.yaml': 'greeting: from-git\n',
      'charts/app/values-prod.yaml': 'greeting: from-prod-values\n',
      'charts/app/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: git-chart}\ndata: {greeting: {{ .Values.greeting | quote }}}\n',
    });
    git = await GitHttpServer.start(repo);
    h = await FluxHarness.start(ns.name);
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-values', namespace: ns.name },
      data: { 'values.yaml': 'replicaCount: 2\ngreeting: from-configmap\n' },
    });
    await client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-token', namespace: ns.name },
      stringData: { token: 's3cr3t' },
    });
    await client.create({
      ...HELM_REPOSITORY_GVK,
      metadata: { name: 'web-charts', namespace: ns.name },
      spec: { interval: '2s', url: charts.url },
    } as KubeObject);
    await client.create({
      ...HELM_RELEASE_GVK,
      metadata: { name: 'web', namespace: ns.name },
      spec: {
        interval: '3s',
        timeout: '90s',
        chart: {
          spec: { chart: 'web', version: '1.0.x', sourceRef: { kind: 'HelmRepository', name: 'web-charts' } },
        },
        targetNamespace: target,
        install: { createNamespace: true },
        upgrade: { remediation: { retries: 1 } },
        // drift is corrected only when asked (helm-controller's default mode is disabled)
        driftDetection: { mode: 'enabled' },
        valuesFrom: [
          { kind: 'ConfigMap', name: 'web-values' },
          { kind: 'Secret', name: 'web-token', valuesKey: 'token', targetPath: 'auth.token' },
          { kind: 'ConfigMap', name: 'absent', optional: true },
        ],
        values: { greeting: 'from-spec' },
      },
    } as KubeObject);
  });
  after(async () => {
    await h?.stop();
    await charts?.close();
    await git?.close();
    await ns?.delete();
    await h?.client.delete({ apiVersion: 'v1', kind: 'Namespace', name: target }).catch(() => {});
  });

  it('installs the chart version the range picks, with values in Flux order, into a created namespace', async () => {
    const hr = await waitHr('web', 'installed', (r) => condition(r, 'Ready')?.status === 'True');
    assert.equal(condition(hr, 'Ready')?.reason, 'InstallSucceeded');
    assert.equal(condition(hr, 'Released')?.reason, 'InstallSucceeded');
    assert.equal(
      condition(hr, 'Ready')?.message,
      `Helm install succeeded for release ${target}/${target}-web.v1 with chart web@1.0.0`,
    );
    assert.equal(hr.status?.observedGeneration, hr.metadata.generation);
    assert.equal(hr.status?.lastAttemptedRevision, '1.0.0');
    assert.equal(hr.status?.helmChart, `${ns.name}/${ns.name}-web`);
    assert.deepEqual(
      hr.status?.history?.map((s) => [s.version, s.chartName, s.chartVersion, s.status]),
      [[1, 'web', '1.0.0', 'deployed']],
    );
    const cm = await getCm(target, 'web-settings');
    assert.deepEqual(cm?.data, { greeting: 'from-spec', token: 's3cr3t', chart: '1.0.0' });
    assert.equal(cm?.metadata.labels?.['helm.toolkit.fluxcd.io/name'], 'web');
    assert.equal(cm?.metadata.annotations?.['meta.helm.sh/release-name'], `${target}-web`);
    const dep = await h.client.get<KubeObject & { spec: { replicas: number } }>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: target,
      name: `${target}-web-web`,
    });
    assert.equal(dep.spec.replicas, 2, 'replicaCount from the valuesFrom ConfigMap');
    const chartObj = await h.client.get<KubeObject & { status?: { artifact?: { revision: string } } }>({
      ...HELM_CHART_GVK,
      namespace: ns.name,
      name: `${ns.name}-web`,
    });
    assert.equal(chartObj.status?.artifact?.revision, '1.0.0');
    assert.ok((hr.status?.inventory?.entries ?? []).length === 3);
  });

  it('keeps Helm release Secrets that `helm list` reads', async () => {
    const out = execFileSync(
      renderToolPaths().helm,
      ['list', '--namespace', target, '--kubeconfig', testKubeconfigPath(), '--output', 'json'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const list = JSON.parse(out) as { name: string; chart: string; status: string; revision: string }[];
    assert.deepEqual(
      list.map((r) => [r.name, r.chart, r.status, r.revision]),
      [[`${target}-web`, 'web-1.0.0', 'deployed', '1']],
    );
  });

  it('heals drift on its interval (driftDetection enabled)', async () => {
    await h.client.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: target, name: 'web-settings' },
      { data: { greeting: 'edited by hand' } },
      { type: 'merge' },
    );
    await eventually(
      'drift healed',
      async () => (await getCm(target, 'web-settings'))?.data?.greeting === 'from-spec',
      60_000,
      250,
    );
  });

  it('upgrades to a new chart version and prunes what left the chart', async () => {
    await patchSpec('web', { chart: { spec: { version: '1.x' } } });
    const hr = await waitHr(
      'web',
      'upgraded',
      (r) =>
        condition(r, 'Ready')?.reason === 'UpgradeSucceeded' && r.status?.lastAttemptedRevision === '1.1.0',
    );
    assert.deepEqual(
      hr.status?.history?.map((s) => [s.version, s.chartVersion, s.status]),
      [
        [2, '1.1.0', 'deployed'],
        [1, '1.0.0', 'superseded'],
      ],
    );
    await eventually(
      'web-extra pruned',
      async () => (await getCm(target, 'web-extra')) === undefined,
      60_000,
      250,
    );
    assert.equal((await getCm(target, 'web-settings'))?.data?.chart, '1.1.0');
  });

  it('rolls a failing upgrade back and stops after its retries', async () => {
    await patchSpec('web', { timeout: '8s' });
    await waitHr(
      'web',
      'the new timeout observed',
      (r) => r.status?.observedGeneration === r.metadata.generation,
    );
    charts.add(v120);
    // the HelmRepository sees the new index on its interval; the HelmChart then pulls 1.2.0
    const hr = await waitHr(
      'web',
      'stalled after the retries',
      (r) => condition(r, 'Stalled')?.status === 'True',
      240_000,
    );
    assert.equal(condition(hr, 'Stalled')?.reason, 'RetriesExceeded');
    assert.equal(condition(hr, 'Stalled')?.message, 'Failed to upgrade after 2 attempt(s)');
    assert.equal(condition(hr, 'Remediated')?.reason, 'RollbackSucceeded');
    assert.equal(condition(hr, 'Ready')?.status, 'False');
    assert.equal(hr.status?.upgradeFailures, 2);
    assert.equal(
      hr.status?.history?.[0]?.chartVersion,
      '1.1.0',
      'the latest release is the rollback to 1.1.0',
    );
    assert.equal(hr.status?.history?.[0]?.status, 'deployed');
    assert.ok(hr.status?.history?.some((s) => s.chartVersion === '1.2.0' && s.status === 'failed'));
    assert.equal((await getCm(target, 'web-settings'))?.data?.chart, '1.1.0');
  });

  it('installs a chart from a GitRepository with merged valuesFiles', async () => {
    await h.client.create(
      gitRepository(ns.name, 'charts-git', { interval: '5s', url: git.url, ref: { branch: 'main' } }),
    );
    await h.client.create({
      ...HELM_RELEASE_GVK,
      metadata: { name: 'app', namespace: ns.name },
      spec: {
        interval: '5s',
        chart: {
          spec: {
            chart: './charts/app',
            sourceRef: { kind: 'GitRepository', name: 'charts-git' },
            valuesFiles: ['charts/app/values.yaml', 'charts/app/values-prod.yaml'],
          },
        },
      },
    } as KubeObject);
    const hr = await waitHr('app', 'git chart installed', (r) => condition(r, 'Ready')?.status === 'True');
    assert.equal(hr.status?.history?.[0]?.chartVersion, '0.3.0');
    assert.equal((await getCm(ns.name, 'git-chart'))?.data?.greeting, 'from-prod-values');
    const chartObj = await h.client.get<
      KubeObject & { status?: { conditions?: { type: string; reason: string }[] } }
    >({
      ...HELM_CHART_GVK,
      namespace: ns.name,
      name: `${ns.name}-app`,
    });
    assert.equal(
      chartObj.status?.conditions?.find((c) => c.type === 'Ready')?.reason,
      'ChartPackageSucceeded',
    );
  });

  it('uninstalls on delete: objects, release Secrets and the HelmChart go', async () => {
    await h.client.delete({ ...HELM_RELEASE_GVK, namespace: ns.name, name: 'app' });
    await eventually(
      'git-chart removed',
      async () => (await getCm(ns.name, 'git-chart')) === undefined,
      60_000,
      250,
    );
    await eventually(
      'release Secret removed',
      async () => {
        try {
          await h.client.get({
            apiVersion: 'v1',
            kind: 'Secret',
            namespace: ns.name,
            name: 'sh.helm.release.v1.app.v1',
          });
          return false;
        } catch (err) {
          return isNotFound(err);
        }
      },
      60_000,
      250,
    );
  });
});
