import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/kube/index.js';
import { TestRepo } from '../support/git/repo.js';
import { application, SyncHarness } from '../support/git/sync-harness.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

const SEED = fileURLToPath(new URL('../support/fixtures/sync-seed/', import.meta.url));
const SECRET = 'webhook-test-secret';
const APP = 'api-server';
type Deployment = KubeObject & {
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
};

describe('sync: the seed layout (Kustomize overlays) kept equal to Git', () => {
  let h: SyncHarness;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  const deployment = () =>
    h.client.get<Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: ns.name,
      name: 'api-server',
    });
  const configMap = () =>
    h.client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name, name: 'api-server-config' });
  const patchApp = (patch: unknown) =>
    h.client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ns.name, name: APP },
      patch,
      { type: 'merge' },
    );
  const push = async () => {
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      after: repo.head(),
      repository: { clone_url: repo.url, html_url: repo.url },
    });
    const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const res = await fetch(`http://127.0.0.1:${h.webhookServer.port}/api/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': sig },
      body,
    });
    assert.equal(res.status, 200, await res.text());
  };

  before(async () => {
    repo = TestRepo.create({}, SEED);
    ns = await testNamespace(testClient(), 'sync-seed');
    h = await SyncHarness.start(ns.name, { webhookSecret: SECRET });
    await h.client.create(
      application(ns.name, APP, {
        source: { repoURL: repo.url, targetRevision: 'main', path: 'apps/api-server/overlays/production' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          syncOptions: ['CreateNamespace=true', 'PrunePropagationPolicy=foreground'],
          retry: { limit: 3, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
        },
        ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      }),
    );
  });
  after(async () => {
    await h?.stop();
    await ns?.delete();
    repo?.dispose();
  });

  it('creates the objects of the production overlay and reports Synced and Healthy', async () => {
    const app = await h.waitForApp(
      ns.name,
      APP,
      'Synced and Healthy',
      (a) => a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy',
      90_000,
    );
    const d = await deployment();
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.spec.template.spec.containers[0]?.image, 'myorg/api-server:1.4.0');
    assert.equal(d.metadata.labels?.['app.kubernetes.io/instance'], APP);
    assert.equal(app.status?.sync?.revision, repo.head());
    assert.equal(app.status?.operationState?.phase, 'Succeeded');
    assert.equal(app.status?.history?.length, 1);
    assert.equal(app.status?.sourceType, 'Kustomize');
    assert.deepEqual(app.status?.summary?.images, ['myorg/api-server:1.4.0']);
    assert.deepEqual(
      app.status?.resources?.map((r) => `${r.kind}/${r.name}:${r.status}:${r.health?.status ?? '-'}`),
      [
        'ConfigMap/api-server-config:Synced:-',
        'Service/api-server:Synced:Healthy',
        'Deployment/api-server:Synced:Healthy',
      ],
    );
    assert.equal(app.operation, undefined);
  });

  it('applies an image-tag commit within 5 s of a webhook call', async () => {
    const file = 'apps/api-server/overlays/production/kustomization.yaml';
    repo.write({
      [file]: readFileSync(`${repo.dir}/${file}`, 'utf8').replace('newTag: 1.4.0', 'newTag: 1.4.1'),
    });
    const sha = repo.commit('bump api-server to 1.4.1');
    const started = Date.now();
    await push();
    await eventually(
      'the new image',
      async () => (await deployment()).spec.template.spec.containers[0]?.image === 'myorg/api-server:1.4.1',
      5_000,
      100,
    );
    const elapsed = Date.now() - started;
    const app = await h.waitForApp(
      ns.name,
      APP,
      'synced to the new commit',
      (a) => a.status?.sync?.revision === sha && a.status.operationState?.syncResult?.revision === sha,
    );
    assert.ok(elapsed <= 5_000, `applied after ${elapsed} ms`);
    assert.equal(app.status?.history?.at(-1)?.revision, sha);
  });

  it('reverts a manual edit with selfHeal and records it as a self-heal sync', async () => {
    await h.waitForApp(ns.name, APP, 'Synced', (a) => a.status?.sync?.status === 'Synced');
    await h.client.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns.name, name: 'api-server' },
      { spec: { template: { spec: { containers: [{ name: 'api', image: 'evil/api:latest' }] } } } },
      { type: 'strategic', fieldManager: 'kubectl-edit' },
    );
    await eventually(
      'the edit to be reverted',
      async () => (await deployment()).spec.template.spec.containers[0]?.image === 'myorg/api-server:1.4.1',
      15_000,
    );
    const app = await h.waitForApp(
      ns.name,
      APP,
      'Synced after self-heal',
      (a) =>
        a.status?.sync?.status === 'Synced' &&
        (a.status.operationState?.operation.sync?.selfHealAttemptsCount ?? 0) >= 1,
    );
    assert.equal(app.status?.operationState?.operation.initiatedBy?.automated, true);
  });

  it('only reports drift without selfHeal', async () => {
    await patchApp({ spec: { syncPolicy: { automated: { selfHeal: false } } } });
    await h.client.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name, name: 'api-server-config' },
      { data: { LOG_LEVEL: 'debug' } },
      { type: 'merge', fieldManager: 'kubectl-edit' },
    );
    const app = await h.waitForApp(ns.name, APP, 'OutOfSync', (a) => a.status?.sync?.status === 'OutOfSync');
    assert.equal(app.status?.resources?.find((r) => r.kind === 'ConfigMap')?.status, 'OutOfSync');
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(
      ((await configMap()) as KubeObject & { data: Record<string, string> }).data.LOG_LEVEL,
      'debug',
    );
  });

  it('prunes a file deleted from Git only with prune: true', async () => {
    await patchApp({ spec: { syncPolicy: { automated: { prune: false, selfHeal: true } } } });
    await h.waitForApp(
      ns.name,
      APP,
      'Synced after re-enabling selfHeal',
      (a) => a.status?.sync?.status === 'Synced',
      30_000,
    );
    repo.remove('apps/api-server/base/configmap.yaml');
    repo.write({
      'apps/api-server/base/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n- service.yaml\n',
    });
    repo.commit('drop the config map');
    await push();
    const app = await h.waitForApp(
      ns.name,
      APP,
      'requires pruning',
      (a) => a.status?.resources?.some((r) => r.kind === 'ConfigMap' && r.requiresPruning === true) === true,
    );
    assert.equal(app.status?.sync?.status, 'OutOfSync');
    await new Promise((r) => setTimeout(r, 2_000));
    assert.ok(await configMap(), 'not pruned without prune: true');
    await patchApp({
      spec: { syncPolicy: { automated: { prune: true } } },
      operation: { sync: { prune: true }, initiatedBy: { username: 'test' } },
    });
    await eventually(
      'the config map to be pruned',
      async () => {
        try {
          await configMap();
          return false;
        } catch {
          return true;
        }
      },
      30_000,
    );
    await h.waitForApp(ns.name, APP, 'Synced after prune', (a) => a.status?.sync?.status === 'Synced');
  });
});
