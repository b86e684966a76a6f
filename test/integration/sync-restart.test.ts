import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installCrds } from '../../src/install/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { ShippedControllerProcess } from '../support/fixtures/shipped-controller-process.js';
import { TestRepo } from '../support/git/repo.js';
import { application } from '../support/git/sync-harness.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// The Application controller as it ships (`slipway controller`), in its own process, stopped with
// SIGTERM and SIGKILL between and in the middle of syncs, while Git moves and live objects drift.
// After every restart it must carry on: every commit applied, drift healed, pruned objects gone,
// no inventory entry without a kind, and nothing left on disk by the killed processes.

const APPS = ['app-0', 'app-1', 'app-2', 'app-3'];
const APP_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;

const configMap = (name: string, data: Record<string, string>, wave?: number) =>
  `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${wave !== undefined ? `  annotations: {argocd.argoproj.io/sync-wave: "${wave}"}\n` : ''}data: ${JSON.stringify(data)}
`;
const deployment = (tag: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:${tag}"}]}
`;

/** Round `r` of the repository: settings say r, one extra ConfigMap per round (the previous one is pruned). */
function layout(r: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (const app of APPS) {
    // app-0 waits for a Deployment (wave 0) before its ConfigMaps (wave 1): syncs that take a while.
    const wave = app === 'app-0' ? 1 : undefined;
    files[`${app}/settings.yaml`] = configMap(`${app}-settings`, { round: String(r) }, wave);
    files[`${app}/extra.yaml`] = configMap(`${app}-extra-${r}`, { round: String(r) }, wave);
  }
  files['app-0/web.yaml'] = deployment(`1.${r}`);
  return files;
}

/** The shipped `slipway controller --controllers sync`; `syncDir`: SLIPWAY_SYNC_DIR (default none: a work dir in the temp dir). */
function startController(
  namespace: string,
  tmp: string,
  syncDir?: string,
): Promise<ShippedControllerProcess> {
  // TMPDIR: the controller's default work dir lands where this test can count what is left.
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, SLIPWAY_REPO_POLL_SECONDS: '1' };
  delete env.SLIPWAY_SYNC_DIR;
  if (syncDir !== undefined) env.SLIPWAY_SYNC_DIR = syncDir;
  return ShippedControllerProcess.start('sync', namespace, env);
}

describe('sync: the Application controller restarted (SIGTERM and SIGKILL) while it works', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let tmp: string;
  let controller: ShippedControllerProcess | undefined;

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'sync-restart');
    repo = TestRepo.create(layout(0));
    tmp = mkdtempSync(join(tmpdir(), 'slipway-sync-restart-test-'));
    for (const name of APPS) {
      await client.create(
        application(ns.name, name, {
          source: { repoURL: repo.url, targetRevision: 'HEAD', path: name },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        }),
      );
    }
  });
  after(async () => {
    for (const p of ShippedControllerProcess.all) await p.stop('SIGKILL');
    await ns?.delete();
    repo?.dispose();
    rmSync(tmp, { recursive: true, force: true });
    client?.close();
  });

  const getApp = (name: string) => client.get<Application>({ ...APP_GVK, namespace: ns.name, name });
  const getCm = async (name: string) => {
    try {
      return await client.get<KubeObject & { data?: Record<string, string> }>({
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
  const summary = (a: Application) =>
    JSON.stringify({
      sync: a.status?.sync?.status,
      rev: a.status?.sync?.revision?.slice(0, 7),
      health: a.status?.health?.status,
      op: a.status?.operationState && {
        phase: a.status.operationState.phase,
        rev: a.status.operationState.syncResult?.revision?.slice(0, 7),
        message: a.status.operationState.message,
      },
      conditions: a.status?.conditions?.map((c) => c.message),
    });
  const settledAt = (a: Application, sha: string) =>
    a.status?.sync?.status === 'Synced' &&
    a.status.sync.revision === sha &&
    a.status.health?.status === 'Healthy' &&
    a.status.operationState?.phase === 'Succeeded' &&
    a.status.operationState.syncResult?.revision === sha &&
    a.operation === undefined;
  /** Waits until every app is Synced and Healthy at `sha`, its objects as Git says (drift healed, prunes done). */
  const waitSettled = async (sha: string, round: number, what: string) => {
    const last = new Map<string, string>();
    try {
      await eventually(
        what,
        async () => {
          for (const name of APPS) {
            const a = await getApp(name);
            last.set(name, summary(a));
            if (!settledAt(a, sha)) return false;
            if ((await getCm(`${name}-settings`))?.data?.round !== String(round)) return false;
            if (!(await getCm(`${name}-extra-${round}`))) return false;
            if (round > 0 && (await getCm(`${name}-extra-${round - 1}`))) return false;
          }
          return true;
        },
        120_000,
        250,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(Object.fromEntries(last))}`);
    }
  };
  const workDirs = () => readdirSync(tmp).filter((n) => n.startsWith('slipway-'));

  it('applies every commit, heals drift and prunes across ≥ 8 restarts, and leaves no work dir behind', async () => {
    controller = await startController(ns.name, tmp);
    await waitSettled(repo.head(), 0, 'the first sync');

    // How each round ends the running controller: right after the commit (before it is seen),
    // in the middle of the sync it starts, or once everything settled; with SIGTERM or SIGKILL.
    const plan: { signal: 'SIGTERM' | 'SIGKILL'; when: 'immediately' | 'mid-sync' | 'settled' }[] = [
      { signal: 'SIGKILL', when: 'settled' },
      { signal: 'SIGKILL', when: 'mid-sync' },
      { signal: 'SIGTERM', when: 'mid-sync' },
      { signal: 'SIGKILL', when: 'immediately' },
      { signal: 'SIGTERM', when: 'settled' },
      { signal: 'SIGKILL', when: 'mid-sync' },
      { signal: 'SIGKILL', when: 'settled' },
      { signal: 'SIGTERM', when: 'immediately' },
    ];
    let sha = repo.head();
    const midSyncSeen: boolean[] = [];
    for (const [i, step] of plan.entries()) {
      const round = i + 1;
      repo.write(layout(round));
      sha = repo.commit(`round ${round}`);
      if (step.when === 'mid-sync') {
        // Kill once some app runs an operation to the new commit (or after 15 s regardless).
        const seen = await eventually(
          'an operation running to the new commit',
          async () => {
            for (const name of APPS) {
              const op = (await getApp(name)).status?.operationState;
              if (op?.phase === 'Running' && op.operation.sync?.revision === sha) return true;
            }
            return false;
          },
          15_000,
          20,
        ).catch(() => false);
        midSyncSeen.push(seen);
      } else if (step.when === 'settled') await waitSettled(sha, round, `round ${round} before the restart`);
      await controller.stop(step.signal);

      // While no controller runs: drift one app's live object, and (once) write the kind-less
      // inventory entry an older version left behind.
      const drifted = APPS[i % APPS.length]!;
      const live = await getCm(`${drifted}-settings`);
      if (live) {
        await client.patch(
          { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns.name, name: `${drifted}-settings` },
          { data: { round: 'drifted' } },
          { type: 'merge' },
        );
      }
      if (round === 2) {
        await client.patch(
          { ...APP_GVK, namespace: ns.name, name: 'app-1' },
          [
            {
              op: 'add',
              path: '/status/resources/-',
              value: {
                group: '',
                version: 'v1',
                kind: '',
                namespace: ns.name,
                name: 'app-1-settings',
                status: 'OutOfSync',
                requiresPruning: true,
              },
            },
          ],
          { type: 'json' },
        );
      }
      controller = await startController(ns.name, tmp);
    }

    await waitSettled(sha, plan.length, 'every app at the last commit');
    for (const name of APPS) {
      const a = await getApp(name);
      const kindless = (a.status?.resources ?? []).filter((r) => !r.kind);
      assert.deepEqual(kindless, [], `${name}: no inventory entry without a kind`);
      assert.ok(
        (a.status?.resources ?? []).every((r) => !r.requiresPruning),
        `${name}: nothing left to prune`,
      );
      for (let r = 0; r < plan.length; r++) assert.equal(await getCm(`${name}-extra-${r}`), undefined);
    }
    process.stdout.write(
      `# ${plan.length} restarts (${plan.filter((p) => p.signal === 'SIGKILL').length} SIGKILL); operations caught mid-sync: ${midSyncSeen.filter(Boolean).length}/${midSyncSeen.length}\n`,
    );

    // Only the running controller's work dir exists; the killed ones' are gone.
    const running = workDirs();
    assert.equal(running.length, 1, `one work dir (the live controller's), found ${running.join(', ')}`);
    assert.match(running[0]!, /^slipway-sync-/);
    await controller.stop('SIGTERM');
    assert.deepEqual(workDirs(), [], 'a stopped controller removes its own work dir');
  });
  it('with SLIPWAY_SYNC_DIR keeps the Git cache across a SIGKILL and removes only the dead run dir', async () => {
    const cache = join(tmp, 'persistent-cache');
    const runDirs = () => readdirSync(join(cache, 'run'));
    // Independent of the first case: a controller it left running is stopped (SIGTERM: it removes its
    // work dir), and the rounds here never repeat a tree it may have committed (an identical tree is
    // Synced without an operation).
    for (const p of ShippedControllerProcess.all) await p.stop('SIGTERM');
    controller = await startController(ns.name, tmp, cache);
    let round = 100;
    repo.write(layout(round));
    let sha = repo.commit(`round ${round}`);
    await waitSettled(sha, round, 'a sync with a persistent cache');
    const repos = readdirSync(join(cache, 'repos'));
    assert.equal(repos.length, 1, 'one bare Git cache');
    const marker = join(cache, 'repos', repos[0]!, 'slipway-test-marker');
    writeFileSync(marker, 'kept');
    const [killedRun] = runDirs();
    await controller.stop('SIGKILL');
    assert.deepEqual(runDirs(), [killedRun], 'the killed process left its run dir');

    controller = await startController(ns.name, tmp, cache);
    round++;
    repo.write(layout(round));
    sha = repo.commit(`round ${round}`);
    await waitSettled(sha, round, 'a sync after the restart');
    assert.equal(runDirs().length, 1, 'only the live controller has a run dir');
    assert.notEqual(runDirs()[0], killedRun, 'the dead run dir is gone');
    assert.ok(existsSync(marker), 'the Git cache survived the restart');
    assert.deepEqual(workDirs(), [], 'nothing of a persistent-cache controller lands in the temp dir');
    await controller.stop('SIGTERM');
    assert.deepEqual(runDirs(), [], 'a stopped controller removes its run dir');
    assert.deepEqual(readdirSync(join(cache, 'repos')), repos, 'and keeps the Git cache');
  });
});
