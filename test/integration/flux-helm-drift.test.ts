import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  HELM_RELEASE_GVK,
  HELM_REPOSITORY_GVK,
  type HelmRelease,
  postRenderersDigest,
} from '../../src/flux/index.js';
import { isNotFound, type KubeObject } from '../../src/kube/index.js';
import { ChartRepoServer, type TestChart } from '../support/flux/chart-repo-server.js';
import { condition, FluxHarness } from '../support/flux/flux-harness.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// HelmRelease `postRenderers` (kustomize patches and images, applied before the release is stored and
// applied; a changed list upgrades the release) and `driftDetection` (helm-controller v1.6.4): a
// `kubectl edit` of a released Deployment corrected with `enabled` (no new release version), reported
// and left with `warn`, ignored on an ignored path, untouched with `disabled`; a deleted object
// recreated; a malformed patch fails the install with a clear message and a Warning Event.

const chart: TestChart = {
  name: 'site',
  version: '1.0.0',
  appVersion: '1.0',
  files: {
    'values.yaml': 'greeting: hello\n',
    'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: {{ .Release.Name }}-web, labels: {app: {{ .Release.Name }}-web}}
spec:
  replicas: 1
  selector: {matchLabels: {app: {{ .Release.Name }}-web}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}-web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources: {requests: {memory: 16Mi, cpu: 5m}}
`,
    'templates/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: {{ .Release.Name }}-settings}
data:
  greeting: {{ .Values.greeting | quote }}
`,
  },
};

type Deployment = KubeObject & {
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
};
type Event = KubeObject & {
  involvedObject?: { name?: string; kind?: string };
  reason?: string;
  message?: string;
  type?: string;
};

describe('flux: HelmRelease post-renderers and drift detection', { timeout: 900_000 }, () => {
  let h: FluxHarness;
  let ns: { name: string; delete(): Promise<void> };
  let charts: ChartRepoServer;
  const getHr = (name: string) =>
    h.client.get<HelmRelease>({ ...HELM_RELEASE_GVK, namespace: ns.name, name });
  const getDeployment = (name: string) =>
    h.client.get<Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns.name, name });
  const getCm = async (name: string) => {
    try {
      return await h.client.get<KubeObject & { data?: Record<string, string> }>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: ns.name,
        name,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const waitHr = async (name: string, what: string, check: (hr: HelmRelease) => boolean) => {
    let last: HelmRelease | undefined;
    try {
      return await eventually(
        what,
        async () => {
          last = await getHr(name);
          return check(last) ? last : undefined;
        },
        120_000,
        250,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last?.status)}`);
    }
  };
  const events = async (name: string) =>
    (await h.client.list<Event>({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name })).items.filter(
      (e) => e.involvedObject?.kind === 'HelmRelease' && e.involvedObject.name === name,
    );
  const waitEvent = (name: string, what: string, match: (e: Event) => boolean) =>
    eventually(what, async () => (await events(name)).find(match), 120_000, 500);
  /** Asks for a reconcile and waits until one has run after the request (so after everything before it). */
  let requests = 0;
  const reconciled = async (name: string) => {
    const token = `drift-test-${++requests}`;
    await h.client.patch(
      { ...HELM_RELEASE_GVK, namespace: ns.name, name },
      { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': token } } },
      { type: 'merge' },
    );
    return waitHr(
      name,
      `reconcile request ${token} handled`,
      (r) => r.status?.lastHandledReconcileAt === token,
    );
  };
  /** `kubectl edit`: a strategic merge patch from another field manager. */
  const editImage = (deployment: string, image: string) =>
    h.client.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns.name, name: deployment },
      { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } },
      { type: 'strategic', fieldManager: 'kubectl-edit' },
    );
  const imageOf = async (deployment: string) =>
    (await getDeployment(deployment)).spec.template.spec.containers[0]?.image;
  const release = (name: string, spec: Record<string, unknown>) =>
    h.client.create({
      ...HELM_RELEASE_GVK,
      metadata: { name, namespace: ns.name },
      spec: {
        interval: '3s',
        chart: {
          spec: { chart: 'site', version: '1.x', sourceRef: { kind: 'HelmRepository', name: 'charts' } },
        },
        install: { disableWait: true },
        upgrade: { disableWait: true },
        ...spec,
      },
    } as KubeObject);
  const installed = (name: string) =>
    waitHr(name, `${name} installed`, (r) => condition(r, 'Ready')?.reason === 'InstallSucceeded');

  const postRenderers = (tag: string) => [
    {
      kustomize: {
        patches: [
          {
            patch:
              'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: any, labels: {patched: "yes"}}\nspec: {replicas: 2}\n',
            target: { kind: 'Deployment', labelSelector: 'app=post-web' },
          },
          {
            patch: '- op: add\n  path: /data/extra\n  value: from-json6902\n',
            target: { version: 'v1', kind: 'ConfigMap', name: '.*-settings' },
          },
        ],
        images: [{ name: 'nginx', newTag: tag }],
      },
    },
  ];

  before(async () => {
    const client = testClient();
    ns = await testNamespace(client, 'flux-hrdrift');
    charts = await ChartRepoServer.start([chart]);
    h = await FluxHarness.start(ns.name);
    await client.create({
      ...HELM_REPOSITORY_GVK,
      metadata: { name: 'charts', namespace: ns.name },
      spec: { interval: '10s', url: charts.url },
    } as KubeObject);
    await release('post', { postRenderers: postRenderers('1.28') });
    await release('enabled', {
      driftDetection: {
        mode: 'enabled',
        ignore: [{ paths: ['/spec/replicas'], target: { kind: 'Deployment' } }],
      },
    });
    await release('warn', { driftDetection: { mode: 'warn' } });
    await release('disabled', {});
    await release('badrule', {
      driftDetection: { mode: 'warn', ignore: [{ paths: ['/spec'], target: { name: 'web(' } }] },
    });
    await release('bad', {
      postRenderers: [{ kustomize: { patches: [{ patch: '- op: replace\n  path: [not a pointer\n' }] } }],
    });
  });
  after(async () => {
    await h?.stop();
    await charts?.close();
    await ns?.delete();
  });

  it('applies the post-renderers’ patches and images before the release is applied', async () => {
    const hr = await installed('post');
    const d = await getDeployment('post-web');
    assert.equal(d.spec.replicas, 2, 'strategic-merge patch');
    assert.equal(d.metadata.labels?.patched, 'yes');
    assert.equal(d.spec.template.spec.containers[0]?.image, 'nginx:1.28', 'images');
    assert.equal((await getCm('post-settings'))?.data?.extra, 'from-json6902', 'JSON6902 patch');
    assert.equal(hr.status?.observedPostRenderersDigest, postRenderersDigest(hr.spec.postRenderers));
    assert.deepEqual(
      hr.status?.history?.map((s) => [s.version, s.status]),
      [[1, 'deployed']],
    );
  });

  it('upgrades the release when the post-renderers change', async () => {
    await h.client.patch(
      { ...HELM_RELEASE_GVK, namespace: ns.name, name: 'post' },
      { spec: { postRenderers: postRenderers('1.29') } },
      { type: 'merge' },
    );
    const hr = await waitHr(
      'post',
      'upgraded for the new post-renderers',
      (r) =>
        condition(r, 'Ready')?.reason === 'UpgradeSucceeded' &&
        r.status?.observedGeneration === r.metadata.generation,
    );
    assert.deepEqual(
      hr.status?.history?.map((s) => [s.version, s.status]),
      [
        [2, 'deployed'],
        [1, 'superseded'],
      ],
    );
    assert.equal(hr.status?.observedPostRenderersDigest, postRenderersDigest(hr.spec.postRenderers));
    assert.equal(await imageOf('post-web'), 'nginx:1.29');
  });

  it('enabled: corrects a kubectl edit without a new release version', async () => {
    await installed('enabled');
    await waitHr(
      'enabled',
      'no drift at first',
      (r) => condition(r, 'Drifted')?.reason === 'NoDriftDetected',
    );
    await editImage('enabled-web', 'nginx:edited');
    await eventually(
      'edit corrected',
      async () => (await imageOf('enabled-web')) === 'nginx:1.27',
      120_000,
      250,
    );
    const full = `${ns.name}/enabled.v1`;
    const detected = await waitEvent('enabled', 'DriftDetected event', (e) => e.reason === 'DriftDetected');
    assert.equal(detected.type, 'Warning');
    assert.equal(
      detected.message,
      `Cluster state of release ${full} has drifted from the desired state:\nDeployment/${ns.name}/enabled-web changed (0 additions, 1 changes, 0 removals)`,
    );
    const corrected = await waitEvent(
      'enabled',
      'DriftCorrected event',
      (e) => e.reason === 'DriftCorrected',
    );
    assert.equal(corrected.type, 'Normal');
    assert.equal(
      corrected.message,
      `Cluster state of release ${full} has been corrected:\nDeployment/${ns.name}/enabled-web configured`,
    );
    const hr = await reconciled('enabled');
    assert.deepEqual(
      hr.status?.history?.map((s) => [s.version, s.status]),
      [[1, 'deployed']],
    );
    assert.equal(condition(hr, 'Ready')?.status, 'True');
    assert.equal(condition(hr, 'Drifted')?.status, 'False');
  });

  it('enabled: leaves an ignored path as the cluster has it', async () => {
    await h.client.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns.name, name: 'enabled-web' },
      { spec: { replicas: 3 } },
      { type: 'merge', fieldManager: 'kubectl-scale' },
    );
    await reconciled('enabled');
    const hr = await reconciled('enabled');
    assert.equal((await getDeployment('enabled-web')).spec.replicas, 3);
    assert.equal(condition(hr, 'Drifted')?.reason, 'NoDriftDetected');
  });

  it('enabled: recreates a deleted object', async () => {
    await h.client.delete({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: ns.name,
      name: 'enabled-settings',
    });
    await eventually(
      'ConfigMap recreated',
      async () => (await getCm('enabled-settings'))?.data?.greeting === 'hello',
      120_000,
      250,
    );
    await waitEvent(
      'enabled',
      'DriftCorrected event for the deleted ConfigMap',
      (e) =>
        e.reason === 'DriftCorrected' &&
        e.message ===
          `Cluster state of release ${ns.name}/enabled.v1 has been corrected:\nConfigMap/${ns.name}/enabled-settings created`,
    );
    const hr = await getHr('enabled');
    assert.equal(hr.status?.history?.length, 1);
  });

  it('warn: reports the drift and leaves it', async () => {
    await installed('warn');
    await editImage('warn-web', 'nginx:edited');
    const message = `Cluster state of release ${ns.name}/warn.v1 has drifted from the desired state:\nDeployment/${ns.name}/warn-web changed (0 additions, 1 changes, 0 removals)`;
    const hr = await waitHr('warn', 'Drifted', (r) => condition(r, 'Drifted')?.status === 'True');
    assert.equal(condition(hr, 'Drifted')?.reason, 'DriftDetected');
    assert.equal(condition(hr, 'Drifted')?.message, message);
    assert.equal(condition(hr, 'Ready')?.status, 'True');
    assert.equal(condition(hr, 'Ready')?.reason, 'InstallSucceeded');
    const e = await waitEvent('warn', 'DriftDetected event', (x) => x.reason === 'DriftDetected');
    assert.equal(e.type, 'Warning');
    assert.equal(e.message, message);
    await reconciled('warn');
    assert.equal(await imageOf('warn-web'), 'nginx:edited');
    assert.ok(!(await events('warn')).some((x) => x.reason === 'DriftCorrected'));
  });

  it('disabled: leaves the cluster alone', async () => {
    await installed('disabled');
    await h.client.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name, name: 'disabled-settings' },
      { data: { greeting: 'edited by hand' } },
      { type: 'merge', fieldManager: 'kubectl-edit' },
    );
    await editImage('disabled-web', 'nginx:edited');
    await reconciled('disabled');
    const hr = await reconciled('disabled');
    assert.equal((await getCm('disabled-settings'))?.data?.greeting, 'edited by hand');
    assert.equal(await imageOf('disabled-web'), 'nginx:edited');
    assert.equal(condition(hr, 'Drifted'), undefined);
    assert.ok(!(await events('disabled')).some((x) => x.reason?.startsWith('Drift')));
  });

  it('an ignore rule with an invalid target is a StateError and a Warning Event, not a crash', async () => {
    const hr = await waitHr('badrule', 'StateError', (r) => condition(r, 'Ready')?.reason === 'StateError');
    assert.equal(condition(hr, 'Ready')?.status, 'False');
    assert.match(
      condition(hr, 'Ready')?.message ?? '',
      /^Could not determine release state: unable to determine cluster state: failed to create ignore rule selector: invalid name regex: /,
    );
    await waitEvent('badrule', 'StateError event', (x) => x.type === 'Warning' && x.reason === 'StateError');
    // fixing the rule brings it back
    await h.client.patch(
      { ...HELM_RELEASE_GVK, namespace: ns.name, name: 'badrule' },
      { spec: { driftDetection: { mode: 'warn', ignore: [{ paths: ['/spec'], target: { name: 'web' } }] } } },
      { type: 'merge' },
    );
    await waitHr(
      'badrule',
      'ready again',
      (r) =>
        condition(r, 'Drifted')?.reason === 'NoDriftDetected' && condition(r, 'Ready')?.status === 'True',
    );
  });

  it('a malformed post-renderer patch fails the install with a clear message and a Warning Event', async () => {
    const hr = await waitHr(
      'bad',
      'install failed',
      (r) =>
        condition(r, 'Ready')?.status === 'False' && condition(r, 'Released')?.reason === 'InstallFailed',
    );
    const ready = condition(hr, 'Ready');
    assert.match(
      ready?.message ?? '',
      new RegExp(
        `^Helm install failed for release ${ns.name}/bad with chart site@1\\.0\\.0: error while running post render on files: `,
      ),
    );
    const e = await waitEvent('bad', 'InstallFailed event', (x) => x.reason === 'InstallFailed');
    assert.equal(e.type, 'Warning');
    assert.match(e.message ?? '', /error while running post render on files/);
    assert.equal(await getCm('bad-settings'), undefined, 'nothing applied');
  });
});
