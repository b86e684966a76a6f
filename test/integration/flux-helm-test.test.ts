import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { HELM_RELEASE_GVK, HELM_REPOSITORY_GVK, type HelmRelease } from '../../src/flux/index.js';
import { isNotFound, type KubeObject } from '../../src/kube/index.js';
import { renderToolPaths } from '../../src/sync/render/index.js';
import { ChartRepoServer, type TestChart } from '../support/flux/chart-repo-server.js';
import { condition, FluxHarness } from '../support/flux/flux-harness.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

// HelmRelease `spec.test` (helm-controller v1.6.4 semantics) and `serviceAccountName`: a chart's test
// Pods run after a release and decide TestSuccess and Ready; a failing test is remediated (rolled back)
// as `upgrade.remediation` says until the retries run out; `ignoreFailures` keeps Ready; without
// `test.enable` the test hooks are never applied; a release applied as a ServiceAccount without rights
// fails with the API server's Forbidden message and a Warning Event.
//
// The local cluster's kubelets are kwok's: a bare Pod stays Running. This test plays the kubelet for
// the test Pods only (label `slipway.test/outcome`): once Running, their phase is set to Succeeded or
// Failed through the status subresource. The controller only watches the Pod's phase.

const OUTCOME = 'slipway.test/outcome';
const testPod = (name: string, outcome: 'pass' | 'fail' | 'hold', annotations: Record<string, string> = {}) =>
  `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${OUTCOME}: ${outcome}}
  annotations: ${JSON.stringify({ 'helm.sh/hook': 'test', ...annotations })}
spec:
  restartPolicy: Never
  containers:
  - name: check
    image: busybox:1.36
    command: [sh, -c, "wget -qO- http://web"]
`;
const settings = `apiVersion: v1
kind: ConfigMap
metadata: {name: tested-settings}
data: {chart: {{ .Chart.Version | quote }}}
`;
const tested = (version: string, files: Record<string, string>): TestChart => ({
  name: 'tested',
  version,
  files: { 'values.yaml': '{}\n', 'templates/settings.yaml': settings, ...files },
});
const v1 = tested('1.0.0', {
  'templates/tests/ok.yaml': testPod('tested-test-ok', 'pass'),
  'templates/tests/skipped.yaml': testPod('tested-test-skipped', 'fail'),
  // Helm 2's event name, deleted once it passed
  'templates/tests/legacy.yaml': testPod('tested-test-legacy', 'pass', {
    'helm.sh/hook': 'test-success',
    'helm.sh/hook-delete-policy': 'hook-succeeded',
    'helm.sh/hook-weight': '-1',
  }),
});
const v2 = tested('2.0.0', { 'templates/tests/ok.yaml': testPod('tested-test-ok', 'fail') });
// a test that runs until the test ends it
const slow: TestChart = {
  name: 'slow',
  version: '1.0.0',
  files: {
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: slow}\ndata: {a: b}\n',
    'templates/tests/slow.yaml': testPod('slow-test', 'hold'),
  },
};
const plain: TestChart = {
  name: 'plain',
  version: '1.0.0',
  files: {
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain}\ndata: {a: b}\n',
  },
};

type Pod = KubeObject & { status?: { phase?: string } };
type Event = KubeObject & {
  type?: string;
  reason?: string;
  message?: string;
  involvedObject?: { name?: string };
};

describe('flux: HelmRelease tests and ServiceAccounts', { timeout: 900_000 }, () => {
  let h: FluxHarness;
  let ns: { name: string; delete(): Promise<void> };
  let charts: ChartRepoServer;
  const targets: string[] = [];
  let kubelet: { stop(): Promise<void> } | undefined;
  const target = (suffix: string) => `${ns.name}-${suffix}`;
  const getHr = (name: string) =>
    h.client.get<HelmRelease>({ ...HELM_RELEASE_GVK, namespace: ns.name, name });
  const waitHr = async (
    name: string,
    what: string,
    check: (hr: HelmRelease) => boolean,
    timeoutMs = 180_000,
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
  const getObj = async <T extends KubeObject>(kind: string, namespace: string, name: string) => {
    try {
      return await h.client.get<T>({ apiVersion: 'v1', kind, namespace, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const events = async (name: string) =>
    (await h.client.list<Event>({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name })).items.filter(
      (e) => e.involvedObject?.name === name,
    );
  const helmRelease = (name: string, chart: string, version: string, spec: Record<string, unknown>) => {
    targets.push(target(name));
    return h.client.create({
      ...HELM_RELEASE_GVK,
      metadata: { name, namespace: ns.name },
      spec: {
        interval: '5s',
        timeout: '2m',
        chart: { spec: { chart, version, sourceRef: { kind: 'HelmRepository', name: 'charts' } } },
        targetNamespace: target(name),
        releaseName: name,
        install: { createNamespace: true },
        ...spec,
      },
    } as KubeObject);
  };

  /** Plays the kubelet for the test Pods: a Running one ends as its label says. */
  function startKubelet(): { stop(): Promise<void> } {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        try {
          const pods = await h.client.list<Pod>(
            { apiVersion: 'v1', kind: 'Pod' },
            { labelSelector: OUTCOME },
          );
          for (const p of pods.items) {
            if (!p.metadata.namespace?.startsWith(ns.name) || p.status?.phase !== 'Running') continue;
            if (p.metadata.deletionTimestamp) continue;
            const outcome = p.metadata.labels?.[OUTCOME];
            if (outcome === 'hold') continue; // the test ends it
            const phase = outcome === 'pass' ? 'Succeeded' : 'Failed';
            await h.client
              .patch(
                {
                  apiVersion: 'v1',
                  kind: 'Pod',
                  namespace: p.metadata.namespace,
                  name: p.metadata.name ?? '',
                },
                { status: { phase } },
                { type: 'merge', subresource: 'status' },
              )
              .catch(() => {});
          }
        } catch {
          // the next round looks again
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await loop;
      },
    };
  }

  before(async () => {
    const client = testClient();
    ns = await testNamespace(client, 'flux-hrtest');
    charts = await ChartRepoServer.start([v1, v2, plain, slow]);
    h = await FluxHarness.start(ns.name);
    kubelet = startKubelet();
    await client.create({
      ...HELM_REPOSITORY_GVK,
      metadata: { name: 'charts', namespace: ns.name },
      spec: { interval: '1m', url: charts.url },
    } as KubeObject);
  });
  after(async () => {
    await kubelet?.stop();
    await h?.stop();
    await charts?.close();
    await ns?.delete();
    for (const t of targets)
      await h?.client
        .delete({ apiVersion: 'v1', kind: 'Namespace', name: t }, { propagationPolicy: 'Background' })
        .catch(() => {});
  });

  it('runs the selected test hooks after the install: TestSuccess and Ready True', async () => {
    await helmRelease('tested', 'tested', '1.0.0', {
      test: { enable: true, filters: [{ name: 'tested-test-skipped', exclude: true }] },
      upgrade: { remediation: { retries: 1 } },
    });
    const t = target('tested');
    const hr = await waitHr('tested', 'tests passed', (r) => condition(r, 'TestSuccess')?.status === 'True');
    assert.equal(condition(hr, 'TestSuccess')?.reason, 'TestSucceeded');
    const message = `Helm test succeeded for release ${t}/tested.v1 with chart tested@1.0.0: 2 test hooks completed successfully`;
    assert.equal(condition(hr, 'TestSuccess')?.message, message);
    assert.deepEqual(
      [condition(hr, 'Ready')?.status, condition(hr, 'Ready')?.reason, condition(hr, 'Ready')?.message],
      ['True', 'TestSucceeded', message],
    );
    assert.equal(condition(hr, 'Released')?.reason, 'InstallSucceeded');
    const hooks = hr.status?.history?.[0]?.testHooks ?? {};
    assert.deepEqual(Object.keys(hooks).sort(), ['tested-test-legacy', 'tested-test-ok']);
    for (const s of Object.values(hooks)) {
      assert.equal(s.phase, 'Succeeded');
      assert.ok(s.lastStarted && s.lastCompleted && s.lastCompleted >= s.lastStarted);
    }
    assert.equal((await getObj<Pod>('Pod', t, 'tested-test-ok'))?.status?.phase, 'Succeeded');
    assert.equal(await getObj('Pod', t, 'tested-test-skipped'), undefined, 'excluded by the filter');
    await eventually(
      'hook-succeeded deletes the legacy test',
      async () => ((await getObj('Pod', t, 'tested-test-legacy')) === undefined ? true : undefined),
      60_000,
    );
    const ids = (hr.status?.inventory?.entries ?? []).map((e) => e.id);
    assert.deepEqual(ids, [`${t}_tested-settings__ConfigMap`], 'test hooks are not part of the release');
    assert.ok((await events('tested')).some((e) => e.reason === 'TestSucceeded' && e.message === message));
    // Helm itself reads the test hooks from the release Secret
    const out = execFileSync(
      renderToolPaths().helm,
      ['get', 'hooks', 'tested', '--namespace', t, '--kubeconfig', testKubeconfigPath()],
      { encoding: 'utf8', timeout: 60_000 },
    );
    for (const name of ['tested-test-ok', 'tested-test-skipped', 'tested-test-legacy'])
      assert.match(out, new RegExp(`name: ${name}`));
  });

  it('rolls an upgrade whose test fails back, as upgrade.remediation says, until the retries run out', async () => {
    const t = target('tested');
    await h.client.patch(
      { ...HELM_RELEASE_GVK, namespace: ns.name, name: 'tested' },
      { spec: { chart: { spec: { version: '2.0.0' } } } },
      { type: 'merge' },
    );
    const hr = await waitHr(
      'tested',
      'stalled after the retries',
      (r) => condition(r, 'Stalled')?.status === 'True',
      300_000,
    );
    assert.equal(condition(hr, 'Stalled')?.reason, 'RetriesExceeded');
    assert.equal(condition(hr, 'Stalled')?.message, 'Failed to upgrade after 2 attempt(s)');
    assert.equal(condition(hr, 'Remediated')?.reason, 'RollbackSucceeded');
    assert.equal(condition(hr, 'Ready')?.status, 'False');
    assert.equal(hr.status?.upgradeFailures, 2);
    const [latest] = hr.status?.history ?? [];
    assert.deepEqual(
      [latest?.chartVersion, latest?.status, latest?.action],
      ['1.0.0', 'deployed', 'rollback'],
    );
    const failedTests = (hr.status?.history ?? []).filter(
      (s) => s.chartVersion === '2.0.0' && s.testHooks?.['tested-test-ok']?.phase === 'Failed',
    );
    assert.ok(failedTests.length >= 1, 'the failed test is kept on the upgrade it judged');
    assert.equal(
      (await getObj<KubeObject & { data?: Record<string, string> }>('ConfigMap', t, 'tested-settings'))?.data
        ?.chart,
      '1.0.0',
    );
    const failed = (await events('tested')).find((e) => e.type === 'Warning' && e.reason === 'TestFailed');
    assert.match(
      failed?.message ?? '',
      new RegExp(
        `^Helm test failed for release ${t}/tested\\.v\\d+ with chart tested@2\\.0\\.0: resource Pod/${t}/tested-test-ok not ready\\. status: Failed, message: pod tested-test-ok failed$`,
      ),
    );
  });

  it('with ignoreFailures a failing test leaves Ready True and the release in place', async () => {
    await helmRelease('ignored', 'tested', '2.0.0', {
      test: { enable: true, ignoreFailures: true },
      install: { createNamespace: true, remediation: { retries: 1 } },
    });
    const hr = await waitHr('ignored', 'test failed', (r) => condition(r, 'TestSuccess')?.status === 'False');
    assert.equal(condition(hr, 'TestSuccess')?.reason, 'TestFailed');
    assert.deepEqual(
      [condition(hr, 'Ready')?.status, condition(hr, 'Ready')?.reason],
      ['True', 'InstallSucceeded'],
    );
    // a few intervals later: still one release, not remediated
    await new Promise((r) => setTimeout(r, 12_000));
    const later = await getHr('ignored');
    assert.equal(condition(later, 'Ready')?.status, 'True');
    assert.equal(condition(later, 'Remediated'), undefined);
    assert.deepEqual(
      later.status?.history?.map((s) => [s.version, s.status]),
      [[1, 'deployed']],
    );
    assert.equal(later.status?.installFailures ?? 0, 0);
  });

  it('without test.enable never applies the test hooks', async () => {
    await helmRelease('untested', 'tested', '1.0.0', {});
    const t = target('untested');
    const hr = await waitHr('untested', 'installed', (r) => condition(r, 'Ready')?.status === 'True');
    assert.equal(condition(hr, 'TestSuccess'), undefined);
    assert.equal(hr.status?.history?.[0]?.testHooks, undefined);
    assert.deepEqual(
      (hr.status?.inventory?.entries ?? []).map((e) => e.id),
      [`${t}_tested-settings__ConfigMap`],
    );
    const pods = await h.client.list<Pod>({ apiVersion: 'v1', kind: 'Pod' }, { namespace: t });
    assert.deepEqual(
      pods.items.map((p) => p.metadata.name),
      [],
    );
  });

  it('applies as its ServiceAccount: allowed where the account may, Forbidden with a Warning Event where not', async () => {
    const allowed = target('tenant');
    const refused = target('limited');
    for (const n of [allowed, refused]) {
      targets.push(n);
      await h.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
    }
    await h.client.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'deployer', namespace: ns.name },
    });
    await h.client.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'configmaps', namespace: allowed },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }],
    });
    await h.client.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'deployer', namespace: allowed },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmaps' },
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: ns.name }],
    });
    const common = { serviceAccountName: 'deployer', install: {} };
    await helmRelease('tenant', 'plain', '1.0.0', common);
    await helmRelease('limited', 'plain', '1.0.0', common);

    const ok = await waitHr('tenant', 'tenant installed', (r) => condition(r, 'Ready')?.status === 'True');
    assert.equal(condition(ok, 'Ready')?.reason, 'InstallSucceeded');
    const cm = await getObj<KubeObject & { data?: Record<string, string> }>('ConfigMap', allowed, 'plain');
    assert.deepEqual(cm?.data, { a: 'b' });

    const no = await waitHr(
      'limited',
      'limited refused',
      (r) => condition(r, 'Ready')?.reason === 'InstallFailed',
    );
    assert.equal(condition(no, 'Ready')?.status, 'False');
    const message = condition(no, 'Ready')?.message ?? '';
    assert.match(
      message,
      new RegExp(`^Helm install failed for release ${refused}/limited with chart plain@1\\.0\\.0: `),
    );
    assert.match(message, /\(Forbidden\)/);
    assert.match(message, new RegExp(`User "system:serviceaccount:${ns.name}:deployer" cannot`));
    assert.equal(await getObj('ConfigMap', refused, 'plain'), undefined);
    await eventually(
      'a Warning Event',
      async () => (await events('limited')).find((e) => e.type === 'Warning' && e.reason === 'InstallFailed'),
      60_000,
    );
  });
  it('carries a running test on after a controller restart: the same Pod, its start and its deadline', async () => {
    await helmRelease('slow', 'slow', '1.0.0', { test: { enable: true, timeout: '5m' } });
    const t = target('slow');
    const running = await waitHr(
      'slow',
      'the test Pod running',
      (r) => r.status?.history?.[0]?.testHooks?.['slow-test']?.phase === 'Running',
    );
    const started = running.status?.history?.[0]?.testHooks?.['slow-test']?.lastStarted;
    const pod = await eventually(
      'the test Pod Running',
      async () => {
        const p = await getObj<Pod>('Pod', t, 'slow-test');
        return p?.status?.phase === 'Running' ? p : undefined;
      },
      60_000,
    );
    await h.stop();
    h = await FluxHarness.start(ns.name);
    // the kubelet's verdict arrives while the new process runs
    await h.client.patch(
      { apiVersion: 'v1', kind: 'Pod', namespace: t, name: 'slow-test' },
      { status: { phase: 'Succeeded' } },
      { type: 'merge', subresource: 'status' },
    );
    const hr = await waitHr('slow', 'tests passed', (r) => condition(r, 'TestSuccess')?.status === 'True');
    const hook = hr.status?.history?.[0]?.testHooks?.['slow-test'];
    assert.deepEqual([hook?.phase, hook?.lastStarted], ['Succeeded', started]);
    assert.equal(condition(hr, 'Ready')?.reason, 'TestSucceeded');
    assert.equal((await getObj('Pod', t, 'slow-test'))?.metadata.uid, pod.metadata.uid, 'not created again');
  });
});
