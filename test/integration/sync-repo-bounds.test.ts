import assert from 'node:assert/strict';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { TestRepo } from '../support/git/repo.js';
import { application, SyncHarness } from '../support/git/sync-harness.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

/**
 * Repository content is untrusted: symlinks out of the checkout (a directory app's path, a
 * kustomize generator file, a Helm chart file read with .Files.Get) and a 50 MB file must end in a
 * ComparisonError condition plus a Warning Event, with nothing from the controller's disk applied;
 * a fix commit then syncs normally.
 */
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {k: v}\n`;

describe('sync: repository content stays inside the checkout and within size limits', () => {
  let h: SyncHarness;
  let ns: { name: string; delete(): Promise<void> };
  let outside: string;
  const repos: TestRepo[] = [];
  const conditionOf = (a: Application, type: string) =>
    a.status?.conditions?.find((c) => c.type === type)?.message ?? '';

  const create = (name: string, repo: TestRepo, path: string, extra: Record<string, unknown> = {}) =>
    h.client.create(
      application(ns.name, name, {
        source: { repoURL: repo.url, targetRevision: 'HEAD', path, ...extra },
        syncPolicy: { automated: { prune: true } },
      }),
    );
  const refresh = (name: string) =>
    h.client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ns.name, name },
      { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
      { type: 'merge' },
    );
  const configMaps = async () =>
    (
      await h.client.list<KubeObject & { data?: Record<string, string> }>(
        { apiVersion: 'v1', kind: 'ConfigMap' },
        { namespace: ns.name },
      )
    ).items;
  /** Nothing in the namespace carries the host's /etc/passwd or the planted file. */
  const assertNothingLeaked = async () => {
    for (const c of await configMaps()) {
      const text = JSON.stringify(c.data ?? {});
      assert.doesNotMatch(text, /root:/, `ConfigMap ${c.metadata.name} holds /etc/passwd`);
      assert.doesNotMatch(
        text,
        /planted-outside/,
        `ConfigMap ${c.metadata.name} holds a file outside the repo`,
      );
    }
    assert.ok(!(await configMaps()).some((c) => c.metadata.name === 'leaked-from-disk'));
  };
  const waitForComparisonError = async (name: string, re: RegExp) => {
    const app = await h.waitForApp(
      ns.name,
      name,
      `ComparisonError matching ${re}`,
      (a) => re.test(conditionOf(a, 'ComparisonError')),
      120_000,
    );
    await eventually(
      `Warning Event ComparisonError on ${name}`,
      async () =>
        (
          await h.client.list<
            KubeObject & { reason?: string; type?: string; involvedObject?: { name?: string } }
          >({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name })
        ).items.some(
          (e) => e.involvedObject?.name === name && e.reason === 'ComparisonError' && e.type === 'Warning',
        ),
      60_000,
      250,
    );
    return app;
  };
  const waitForSynced = (name: string) =>
    h.waitForApp(
      ns.name,
      name,
      'Synced after the fix',
      (a) =>
        a.status?.sync?.status === 'Synced' &&
        a.status?.operationState?.phase === 'Succeeded' &&
        conditionOf(a, 'ComparisonError') === '',
      120_000,
    );

  before(async () => {
    outside = mkdtempSync(join(tmpdir(), 'slipway-outside-'));
    mkdirSync(join(outside, 'manifests'));
    writeFileSync(
      join(outside, 'manifests', 'leak.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leaked-from-disk}\ndata: {k: planted-outside}\n',
    );
    mkdirSync(join(outside, 'kbase'));
    writeFileSync(join(outside, 'kbase', 'kustomization.yaml'), 'resources: [leak.yaml]\n');
    writeFileSync(
      join(outside, 'kbase', 'leak.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leaked-from-disk}\ndata: {k: planted-outside}\n',
    );
    ns = await testNamespace(testClient(), 'sync-bounds');
    h = await SyncHarness.start(ns.name);
  });
  after(async () => {
    await h?.stop();
    await ns?.delete();
    for (const r of repos) r.dispose();
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  it('refuses a directory app whose path is a symlink out of the checkout', async () => {
    const repo = TestRepo.create({ 'good/cm.yaml': cm('dir-good') });
    repos.push(repo);
    symlinkSync(join(outside, 'manifests'), join(repo.dir, 'escape'));
    repo.commit('app path leaves the repository');
    await create('dir-escape', repo, 'escape');
    const app = await waitForComparisonError(
      'dir-escape',
      /repository contains out-of-bounds symlinks\. file: escape$/,
    );
    assert.equal(app.status?.sync?.status, 'Unknown');
    await assertNothingLeaked();

    repo.remove('escape');
    repo.write({ 'escape/cm.yaml': cm('dir-fixed') });
    repo.commit('fix: a real directory');
    await refresh('dir-escape');
    await waitForSynced('dir-escape');
    assert.ok((await configMaps()).some((c) => c.metadata.name === 'dir-fixed'));
    await assertNothingLeaked();
  });

  it('refuses a kustomize base and a generator file symlinked out of the checkout', async () => {
    const repo = TestRepo.create({
      'kust/kustomization.yaml':
        'resources: [cm.yaml, base]\nconfigMapGenerator:\n- name: kust-passwd\n  files: [passwd]\n',
      'kust/cm.yaml': cm('kust-good'),
    });
    repos.push(repo);
    // A base directory elsewhere on the controller's disk (kustomize loads any directory as a new root),
    // and a generator file reading the host's /etc/passwd.
    symlinkSync(join(outside, 'kbase'), join(repo.dir, 'kust', 'base'));
    symlinkSync('/etc/passwd', join(repo.dir, 'kust', 'passwd'));
    repo.commit('kustomization reads the host');
    await create('kust-escape', repo, 'kust');
    const app = await waitForComparisonError('kust-escape', /out-of-bounds symlinks\. file: kust\/base$/);
    assert.doesNotMatch(conditionOf(app, 'ComparisonError'), /root:/);
    assert.ok(!(await configMaps()).some((c) => c.metadata.name === 'kust-good'), 'nothing applied');
    await assertNothingLeaked();

    repo.remove('kust/base');
    repo.commit('fix: drop the outside base');
    await refresh('kust-escape');
    await waitForComparisonError('kust-escape', /out-of-bounds symlinks\. file: kust\/passwd$/);
    await assertNothingLeaked();

    repo.remove('kust/passwd');
    repo.write({ 'kust/passwd': 'not a secret\n', 'kust/base/kustomization.yaml': 'resources: [cm.yaml]\n' });
    repo.write({ 'kust/base/cm.yaml': cm('kust-base') });
    repo.commit('fix: real files');
    await refresh('kust-escape');
    await waitForSynced('kust-escape');
    const names = (await configMaps()).map((c) => c.metadata.name);
    assert.ok(names.includes('kust-good') && names.includes('kust-base'), names.join(','));
    await assertNothingLeaked();
  });

  it('refuses a Helm chart whose .Files.Get reads /etc/passwd through a symlink', async () => {
    const repo = TestRepo.create({
      'chart/Chart.yaml': 'apiVersion: v2\nname: leak\nversion: 1.0.0\n',
      'chart/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: helm-files}\ndata:\n  p: {{ .Files.Get "files/p" | quote }}\n',
    });
    repos.push(repo);
    mkdirSync(join(repo.dir, 'chart', 'files'));
    symlinkSync('/etc/passwd', join(repo.dir, 'chart', 'files', 'p'));
    repo.commit('chart reads the host');
    await create('helm-escape', repo, 'chart');
    await waitForComparisonError('helm-escape', /out-of-bounds symlinks\. file: chart\/files\/p$/);
    assert.ok(!(await configMaps()).some((c) => c.metadata.name === 'helm-files'), 'nothing applied');
    await assertNothingLeaked();

    repo.remove('chart/files/p');
    repo.write({ 'chart/files/p': 'harmless\n' });
    repo.commit('fix: a real chart file');
    await refresh('helm-escape');
    await waitForSynced('helm-escape');
    const files = (await configMaps()).find((c) => c.metadata.name === 'helm-files');
    assert.equal(files?.data?.p, 'harmless\n');
    await assertNothingLeaked();
  });

  it('refuses a 50 MB manifest file by its size, then syncs once it is gone', async () => {
    const repo = TestRepo.create({ 'big/cm.yaml': cm('big-good') });
    repos.push(repo);
    // A real 50 MB ConfigMap manifest, written in chunks.
    const fd = openSync(join(repo.dir, 'big', 'huge.yaml'), 'w');
    writeSync(fd, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  k: "');
    const chunk = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 50; i++) writeSync(fd, chunk);
    writeSync(fd, '"\n');
    closeSync(fd);
    repo.commit('a 50 MB file');
    await create('big', repo, 'big');
    const app = await waitForComparisonError(
      'big',
      /big\/huge\.yaml is \d+ bytes, over the \d+-byte limit per file/,
    );
    assert.match(conditionOf(app, 'ComparisonError'), /SLIPWAY_MAX_MANIFEST_FILE_BYTES/);
    assert.ok(!(await configMaps()).some((c) => c.metadata.name === 'big-good'), 'nothing applied');

    repo.remove('big/huge.yaml');
    repo.commit('fix: drop the big file');
    await refresh('big');
    await waitForSynced('big');
    assert.ok((await configMaps()).some((c) => c.metadata.name === 'big-good'));
  });
});
