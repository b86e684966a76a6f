import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { ControllerProcess } from '../support/chaos/controller-process.js';
import {
  APPSET,
  applicationSet,
  configMapYaml,
  getAppSet,
  getObject,
  IN_CLUSTER,
  isSyncedHealthy,
  listApps,
  waitForAppSet,
  waitForApps,
} from '../support/git/applicationset-harness.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

// `slipway controller` as it ships (every module, one process), stopped with SIGKILL and SIGTERM in
// the middle of ApplicationSet work: right after the first Application is created, and right after
// the spec changes. Each new process must carry on: every element has exactly one Application,
// owned once, synced; removed elements' Applications and resources are gone; the status is whole.

const NAME = 'fleet';

describe('applicationsets: the controller restarted (SIGKILL and SIGTERM) mid-scenario', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let tmp: string;
  let controller: ControllerProcess;

  const spec = (elements: readonly string[], round: string) => ({
    generators: [{ list: { elements: elements.map((e) => ({ e })) } }],
    template: {
      metadata: { name: 'app-{{e}}', labels: { round } },
      spec: {
        project: 'default',
        source: { repoURL: repo.url, targetRevision: 'HEAD', path: '{{e}}' },
        destination: { server: IN_CLUSTER, namespace: ns.name },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    },
  });
  const summary = (apps: Application[]) =>
    apps
      .map((a) => `${a.metadata.name}:${a.metadata.labels?.round}:${isSyncedHealthy(a) ? 'ok' : 'no'}`)
      .join(',');
  /** STYLE §19-like invariants over what the controller made. */
  const checkInvariants = async () => {
    const apps = await listApps(client, ns.name);
    const names = apps.map((a) => a.metadata.name);
    assert.equal(new Set(names).size, names.length, 'one Application per name');
    for (const a of apps) {
      const owners = (a.metadata.ownerReferences ?? []).filter((r) => r.controller === true);
      assert.equal(owners.length, 1, `${a.metadata.name}: one controller reference`);
      assert.equal(owners[0]?.name, NAME);
    }
    const s = await getAppSet(client, ns.name, NAME);
    const types = s.status?.conditions?.map((c) => c.type) ?? [];
    assert.equal(new Set(types).size, types.length, `conditions unique by type: ${types.join(',')}`);
  };

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'appset-restart');
    const files: Record<string, string> = {};
    for (const e of ['a', 'b', 'c', 'd']) files[`${e}/cm.yaml`] = configMapYaml(`cm-${e}`, { e });
    repo = TestRepo.create(files);
    tmp = mkdtempSync(join(tmpdir(), 'slipway-appset-restart-'));
    controller = new ControllerProcess({
      kubeconfigPath: testKubeconfigPath(),
      namespace: ns.name,
      runtime: { kind: 'tsx' },
      env: { TMPDIR: tmp, SLIPWAY_REPO_POLL_SECONDS: '1' },
      logPath: join(tmp, 'controller.log'),
    });
    await client.create(applicationSet(ns.name, NAME, spec(['a', 'b', 'c'], 'one')));
  });
  after(async () => {
    await controller?.dispose();
    await ns?.delete();
    repo?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('SIGKILL right after the first Application is created: the next process creates the rest and syncs', async () => {
    await controller.start();
    await eventually(
      'a first Application',
      async () => (await listApps(client, ns.name)).length > 0,
      120_000,
      50,
    );
    await controller.restart('SIGKILL');
    assert.ok(await controller.waitReady(120_000), 'the second process became ready');
    await waitForApps(
      client,
      ns.name,
      'a, b, c Synced and Healthy',
      (as) => summary(as) === 'app-a:one:ok,app-b:one:ok,app-c:one:ok',
    );
    await checkInvariants();
  });

  it('SIGTERM right after the spec changes: the next process applies the change', async () => {
    await client.patch(
      { ...APPSET, namespace: ns.name, name: NAME },
      [{ op: 'replace', path: '/spec', value: spec(['b', 'c', 'd'], 'two') }],
      { type: 'json' },
    );
    await controller.restart('SIGTERM');
    await waitForApps(
      client,
      ns.name,
      'b, c, d in round two, a gone',
      (as) => summary(as) === 'app-b:two:ok,app-c:two:ok,app-d:two:ok',
      180_000,
    );
    await eventually(
      "a's ConfigMap deleted with its Application",
      async () => (await getObject(client, 'v1', 'ConfigMap', ns.name, 'cm-a')) === undefined,
      120_000,
    );
    const s = await waitForAppSet(
      client,
      ns.name,
      NAME,
      'three resources, up to date',
      (a) =>
        a.status?.resourcesCount === 3 &&
        a.status.conditions?.some((c) => c.type === 'ResourcesUpToDate' && c.status === 'True') === true,
    );
    assert.deepEqual(
      s.status?.resources?.map((r) => `${r.name}:${r.status}:${r.health?.status}`),
      ['app-b:Synced:Healthy', 'app-c:Synced:Healthy', 'app-d:Synced:Healthy'],
    );
    await checkInvariants();
    const stats = controller.restartStats();
    assert.deepEqual(stats.crashes, [], readFileSync(join(tmp, 'controller.log'), 'utf8').slice(-3000));
  });
});
