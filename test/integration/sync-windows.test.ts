import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { captureOutput } from '../support/captured-output.js';
import { TestRepo } from '../support/git/repo.js';
import { application, SyncHarness } from '../support/git/sync-harness.js';
import { testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

/**
 * AppProject sync windows: a deny window that is open now (`* * * * *` for 1h) keeps automated sync
 * from starting and says so in status and in `slipway app get`; with `manualSync: true` a
 * `slipway app sync` goes through; removing the window lets automated sync run.
 */
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {k: v}\n`;

describe('sync: AppProject sync windows', () => {
  let h: SyncHarness;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  const PROJECT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject' } as const;
  const conditionOf = (a: Application, type: string) =>
    a.status?.conditions?.find((c) => c.type === type)?.message ?? '';
  const exists = (name: string) =>
    h.client
      .get<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name, name })
      .then(() => true)
      .catch(() => false);
  const slipway = async (...args: string[]) => {
    const { result, out } = await captureOutput(() =>
      main([...args, '-n', ns.name, '--kubeconfig', testKubeconfigPath()]),
    );
    assert.equal(result, 0, `slipway ${args.join(' ')} exited ${result}`);
    return out;
  };
  const setWindows = (name: string, syncWindows: unknown[]) =>
    h.client.patch({ ...PROJECT, namespace: ns.name, name }, { spec: { syncWindows } }, { type: 'merge' });

  before(async () => {
    ns = await testNamespace(testClient(), 'sync-windows');
    h = await SyncHarness.start(ns.name);
    repo = TestRepo.create({ 'app/cm.yaml': cm('windowed'), 'manual/cm.yaml': cm('manual-only') });
    for (const [name, manualSync] of [
      ['night-freeze', false],
      ['manual-ok', true],
    ] as const) {
      await h.client.create({
        ...PROJECT,
        metadata: { name, namespace: ns.name },
        spec: {
          sourceRepos: ['*'],
          destinations: [{ server: '*', namespace: '*' }],
          syncWindows: [
            { kind: 'deny', schedule: '* * * * *', duration: '1h', applications: ['*'], manualSync },
          ],
        },
      } as KubeObject);
    }
  });
  after(async () => {
    await h?.stop();
    await ns?.delete();
  });

  it('a deny window blocks automated sync and says so; removing it lets the sync run', async () => {
    await h.client.create(
      application(ns.name, 'frozen', {
        project: 'night-freeze',
        source: { repoURL: repo.url, targetRevision: 'HEAD', path: 'app' },
        syncPolicy: { automated: { prune: true } },
      }),
    );
    const app = await h.waitForApp(
      ns.name,
      'frozen',
      'SyncError: blocked by sync window',
      (a) =>
        a.status?.sync?.status === 'OutOfSync' &&
        conditionOf(a, 'SyncError') === 'Sync operation blocked by sync window',
      120_000,
    );
    assert.equal(app.status?.operationState, undefined);
    assert.equal(app.operation, undefined);
    assert.equal(await exists('windowed'), false);
    const shown = await slipway('app', 'get', 'frozen');
    assert.match(shown, /^SyncWindow: +Sync Denied$/m);
    assert.match(shown, /^Assigned Windows: deny:\* \* \* \* \*:1h$/m);

    await setWindows('night-freeze', []);
    await h.waitForApp(
      ns.name,
      'frozen',
      'Synced once the window is gone',
      (a) =>
        a.status?.sync?.status === 'Synced' &&
        a.status?.operationState?.phase === 'Succeeded' &&
        conditionOf(a, 'SyncError') === '',
      120_000,
    );
    assert.equal(await exists('windowed'), true);
    assert.match(await slipway('app', 'get', 'frozen'), /^SyncWindow: +Sync Allowed$/m);
  });

  it('manualSync lets `slipway app sync` through a deny window; without it the operation waits', async () => {
    await h.client.create(
      application(ns.name, 'manual', {
        project: 'manual-ok',
        source: { repoURL: repo.url, targetRevision: 'HEAD', path: 'manual' },
        syncPolicy: { automated: { prune: true } },
      }),
    );
    await h.waitForApp(
      ns.name,
      'manual',
      'automated sync blocked',
      (a) => conditionOf(a, 'SyncError') === 'Sync operation blocked by sync window',
      120_000,
    );
    assert.match(await slipway('app', 'get', 'manual'), /^SyncWindow: +Manual Allowed$/m);
    assert.equal(await exists('manual-only'), false);
    await slipway('app', 'sync', 'manual');
    await h.waitForApp(
      ns.name,
      'manual',
      'the manual sync succeeded',
      (a) => a.status?.operationState?.phase === 'Succeeded' && !a.operation,
      120_000,
    );
    assert.equal(await exists('manual-only'), true);

    // Without manualSync the same request stays Running and says why.
    await setWindows('manual-ok', [
      { kind: 'deny', schedule: '* * * * *', duration: '1h', applications: ['*'], manualSync: false },
    ]);
    repo.write({ 'manual/cm2.yaml': cm('manual-two') });
    repo.commit('second object');
    await slipway('app', 'refresh', 'manual');
    await h.waitForApp(
      ns.name,
      'manual',
      'OutOfSync at the new commit',
      (a) => a.status?.sync?.status === 'OutOfSync',
    );
    await slipway('app', 'sync', 'manual');
    await h.waitForApp(
      ns.name,
      'manual',
      'operation blocked by the window',
      (a) =>
        a.status?.operationState?.phase === 'Running' &&
        a.status.operationState.message === 'Sync operation blocked by sync window',
      120_000,
    );
    assert.equal(await exists('manual-two'), false);
    assert.match(await slipway('app', 'get', 'manual'), /^SyncWindow: +Sync Denied$/m);
  });
});
