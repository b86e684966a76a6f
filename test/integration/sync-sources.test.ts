import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { TestRepo } from '../support/git/repo.js';
import { application, SyncHarness } from '../support/git/sync-harness.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

/**
 * `spec.sources`: a Helm chart from one repository with value files from another (`ref`), a plain
 * directory next to a Kustomize overlay, and a `$ref` value file that tries to climb out of the
 * referenced checkout (refused with a ComparisonError, nothing applied).
 */
const chart = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'chart/values.yaml': 'greeting: from-chart\ncolor: grey\n',
  'chart/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-web}\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  color: {{ .Values.color | quote }}\n',
};
const cm = (name: string, v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {v: ${v}}\n`;

describe('sync: multiple sources', () => {
  let h: SyncHarness;
  let ns: { name: string; delete(): Promise<void> };
  let charts: TestRepo;
  let values: TestRepo;
  let mixed: TestRepo;
  const conditionOf = (a: Application, type: string) =>
    a.status?.conditions?.find((c) => c.type === type)?.message ?? '';
  const configMap = (name: string) =>
    h.client
      .get<KubeObject & { data?: Record<string, string> }>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: ns.name,
        name,
      })
      .catch(() => undefined);
  /** The chart from `charts` with one value file, and the values repository as `ref: values`. */
  const chartWithValueFile = (valueFile: string) => [
    { repoURL: charts.url, targetRevision: 'HEAD', path: 'chart', helm: { valueFiles: [valueFile] } },
    { repoURL: values.url, targetRevision: 'HEAD', ref: 'values' },
  ];
  const syncedAndSucceeded = (name: string) =>
    h.waitForApp(
      ns.name,
      name,
      'Synced and succeeded',
      (a) => a.status?.sync?.status === 'Synced' && a.status?.operationState?.phase === 'Succeeded',
      120_000,
    );

  before(async () => {
    ns = await testNamespace(testClient(), 'sync-sources');
    h = await SyncHarness.start(ns.name);
    charts = TestRepo.create(chart);
    values = TestRepo.create({ 'env/prod.yaml': 'greeting: from-values-repo\n' });
    mixed = TestRepo.create({
      'plain/a.yaml': cm('plain-a', 'one'),
      'kust/kustomization.yaml': 'namePrefix: k-\nresources: [b.yaml]\n',
      'kust/b.yaml': cm('b', 'two'),
    });
  });
  after(async () => {
    await h?.stop();
    await ns?.delete();
  });

  it('renders a Helm chart from one repo with value files from another (ref) and records each revision', async () => {
    await h.client.create(
      application(ns.name, 'helm-ref', {
        sources: chartWithValueFile('$values/env/prod.yaml'),
        syncPolicy: { automated: { prune: true } },
      }),
    );
    const app = await syncedAndSucceeded('helm-ref');
    const rendered = await configMap('helm-ref-web');
    assert.equal(rendered?.data?.greeting, 'from-values-repo');
    assert.equal(rendered?.data?.color, 'grey');
    const revisions = [charts.head(), values.head()];
    assert.deepEqual(app.status?.sync?.revisions, revisions);
    assert.equal(app.status?.sync?.revision, undefined);
    assert.equal(app.status?.sync?.comparedTo?.sources?.length, 2);
    assert.deepEqual(app.status?.operationState?.syncResult?.revisions, revisions);
    assert.equal(app.status?.operationState?.syncResult?.sources?.length, 2);
    assert.deepEqual(app.status?.history?.at(-1)?.revisions, revisions);
    assert.equal(app.status?.history?.at(-1)?.sources?.length, 2);
    assert.deepEqual(app.status?.sourceTypes, ['Helm']);

    // A commit to the values repository alone changes the render.
    values.write({ 'env/prod.yaml': 'greeting: second\n' });
    const second = values.commit('new greeting');
    await h.client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ns.name, name: 'helm-ref' },
      { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
      { type: 'merge' },
    );
    await eventually(
      'the ConfigMap carries the second greeting',
      async () => (await configMap('helm-ref-web'))?.data?.greeting === 'second',
      120_000,
      250,
    );
    await h.waitForApp(
      ns.name,
      'helm-ref',
      'revisions name the new values commit',
      (a) => (a.status?.sync?.revisions ?? [])[1] === second && a.status?.sync?.status === 'Synced',
    );
  });

  it('combines a plain directory and a Kustomize overlay', async () => {
    await h.client.create(
      application(ns.name, 'dir-kust', {
        sources: [
          { repoURL: mixed.url, targetRevision: 'HEAD', path: 'plain' },
          { repoURL: mixed.url, targetRevision: 'HEAD', path: 'kust' },
        ],
        syncPolicy: { automated: { prune: true } },
      }),
    );
    const app = await syncedAndSucceeded('dir-kust');
    assert.equal((await configMap('plain-a'))?.data?.v, 'one');
    assert.equal((await configMap('k-b'))?.data?.v, 'two');
    assert.deepEqual(app.status?.sourceTypes, ['Directory', 'Kustomize']);
    assert.deepEqual(
      (app.status?.resources ?? []).map((r) => r.name),
      ['k-b', 'plain-a'],
    );
  });

  it('refuses a $ref value file that leaves the referenced repository', async () => {
    await h.client.create(
      application(ns.name, 'hostile', {
        sources: chartWithValueFile('$values/../../etc/passwd'),
        syncPolicy: { automated: { prune: true } },
      }),
    );
    const app = await h.waitForApp(
      ns.name,
      'hostile',
      'ComparisonError naming the file',
      (a) =>
        /\$values\/\.\.\/\.\.\/etc\/passwd.*outside repository root/.test(conditionOf(a, 'ComparisonError')),
      120_000,
    );
    assert.equal(app.status?.sync?.status, 'Unknown');
    assert.equal(app.status?.operationState, undefined);
    assert.equal(await configMap('hostile-web'), undefined);
    await eventually(
      'Warning Event ComparisonError on hostile',
      async () =>
        (
          await h.client.list<
            KubeObject & { reason?: string; type?: string; involvedObject?: { name?: string } }
          >({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name })
        ).items.some(
          (e) =>
            e.involvedObject?.name === 'hostile' && e.reason === 'ComparisonError' && e.type === 'Warning',
        ),
      60_000,
      250,
    );
  });

  it('names an unknown $ref as Argo CD does', async () => {
    await h.client.create(
      application(ns.name, 'unknown-ref', {
        sources: chartWithValueFile('$other/env/prod.yaml'),
      }),
    );
    await h.waitForApp(ns.name, 'unknown-ref', 'ComparisonError naming the ref', (a) =>
      conditionOf(a, 'ComparisonError').includes(
        'source referenced "$other", which is not one of the available sources ($values)',
      ),
    );
  });
});
