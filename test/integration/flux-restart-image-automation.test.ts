import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installFluxCrds } from '../../src/dev/flux-crds/index.js';
import {
  IMAGE_POLICY_GVK,
  IMAGE_UPDATE_AUTOMATION_GVK,
  type ImageUpdateAutomation,
} from '../../src/flux/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { spawnControllerFixture, whenStarted } from '../support/fixtures/fixture-process.js';
import {
  condition,
  gitRepository,
  imagePolicy,
  imageUpdateAutomation,
} from '../support/flux/flux-harness.js';
import { GitHttpServer } from '../support/flux/git-http-server.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

// ImageUpdateAutomation stopped between its `git push` and the status write that records it
// (`lastPushCommit`, `lastPushTime`, `lastAutomationRunTime`): the Flux controllers run in a fixture
// process that signals itself at exactly that point (SIGKILL: the write never happens; SIGTERM: the
// write is held until the graceful shutdown gives up on it). After the restart the automation must
// not push the same change again, and its status must name the commit that was pushed.

const manifest = (ns: string, image: string) =>
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: web
        image: ${image} # {"$imagepolicy": "${ns}:web"}
        resources: {}
`;

const template = `Update images

{{ range $resource, $changes := .Changed.Objects -}}
- {{ $resource.Kind }} {{ $resource.Name }}
{{- range $_, $change := $changes }}
    - {{ $change.OldValue }} -> {{ $change.NewValue }}
{{- end }}
{{ end -}}`;

type Event = KubeObject & {
  type?: string;
  message?: string;
  involvedObject?: { kind?: string; name?: string };
};

const exited = (proc: ChildProcess, timeoutMs: number): Promise<string> =>
  new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null)
      return resolve(proc.signalCode ?? `exit ${proc.exitCode}`);
    const timer = setTimeout(() => resolve('running'), timeoutMs);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? `exit ${code}`);
    });
  });

describe('flux: ImageUpdateAutomation stopped between its push and the status write', {
  timeout: 600_000,
}, () => {
  let proc: ChildProcess | undefined;
  let repo: TestRepo;
  let server: GitHttpServer;
  let workDir: string;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    proc?.kill('SIGKILL');
    if (proc) await exited(proc, 30_000);
    await server?.close();
    repo?.dispose();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });
  const { client, ns } = useTestNamespace('flux-iua-restart', { crds: true });

  const auto = () =>
    client.get<ImageUpdateAutomation>({ ...IMAGE_UPDATE_AUTOMATION_GVK, namespace: ns.name, name: 'web' });
  /** The automation's commits on main, newest first. */
  const botCommits = () =>
    repo
      .git('log', '--format=%H %ae', 'main')
      .trim()
      .split('\n')
      .filter((l) => l.endsWith(' fluxbot@example.com'))
      .map((l) => l.split(' ')[0] ?? '');
  const setPolicy = (tag: string) =>
    client.patch(
      { ...IMAGE_POLICY_GVK, namespace: ns.name, name: 'web' },
      { status: { latestRef: { name: 'ghcr.io/org/web', tag } } },
      { type: 'merge', subresource: 'status' },
    );
  const start = async (env: Record<string, string> = {}) => {
    proc = await whenStarted(spawnControllerFixture('flux-controller-process', ns.name, env, [workDir]));
  };
  const pushEvents = async (commit: string) =>
    (await client.list<Event>({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name })).items.filter(
      (e) =>
        e.involvedObject?.kind === 'ImageUpdateAutomation' &&
        e.message?.startsWith(`pushed commit '${commit.slice(0, 7)}' to branch 'main'\nUpdate images`),
    );

  before(async () => {
    await installFluxCrds(client);
    workDir = mkdtempSync(join(tmpdir(), 'slipway-flux-iua-restart-'));
    repo = TestRepo.create({ 'apps/web.yaml': manifest(ns.name, 'ghcr.io/org/web:1.0.0') });
    server = await GitHttpServer.start(repo, undefined, { push: true });
    const apps = { url: server.url, interval: '10m', ref: { branch: 'main' } };
    await client.create(gitRepository(ns.name, 'apps', apps));
    const follow = { imageRepositoryRef: { name: 'web' }, policy: { semver: { range: '1.x' } } };
    await client.create(imagePolicy(ns.name, 'web', follow));
    // the automation's own commits: this author, this template, on main
    const bot = { author: { name: 'Flux Bot', email: 'fluxbot@example.com' }, messageTemplate: template };
    const git = { checkout: { ref: { branch: 'main' } }, commit: bot, push: { branch: 'main' } };
    const update = { path: './apps', strategy: 'Setters' };
    const sourceRef = { kind: 'GitRepository', name: 'apps' };
    await client.create(imageUpdateAutomation(ns.name, 'web', { interval: '10m', sourceRef, git, update }));
  });

  for (const [round, signal] of [
    [1, 'SIGKILL'],
    [2, 'SIGTERM'],
  ] as const) {
    it(`round ${round}: stopped with ${signal} after the push, the restart records the push and pushes nothing more`, async () => {
      const tag = `1.0.${round}`;
      const before = await auto();
      const recorded = before.status?.lastPushCommit;
      await setPolicy(tag);
      await start({ SLIPWAY_TEST_STOP_AFTER_PUSH: signal });
      const how = await exited(proc as ChildProcess, 180_000);
      assert.equal(how, signal === 'SIGKILL' ? 'SIGKILL' : 'exit 0', 'stopped right after the push');

      // the push reached Git; the status does not know it
      const pushed = botCommits();
      assert.equal(pushed.length, round, pushed.join('\n'));
      const commit = repo.head();
      assert.equal(pushed[0], commit);
      assert.ok(
        readFileSync(join(repo.dir, 'apps/web.yaml'), 'utf8').includes(`image: ghcr.io/org/web:${tag} #`),
      );
      const lost = await auto();
      assert.equal(lost.status?.lastPushCommit, recorded, 'the status write was cut off');

      await start();
      let last: ImageUpdateAutomation | undefined;
      try {
        await eventually(
          'the status names the pushed commit',
          async () => {
            last = await auto();
            return (
              last.status?.lastPushCommit === commit &&
              last.status.observedPolicies?.web?.tag === tag &&
              condition(last, 'Ready')?.status === 'True'
            );
          },
          120_000,
          250,
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last?.status)}`);
      }
      assert.equal(last?.status?.observedSourceRevision, `main@sha1:${commit}`);
      assert.ok(last?.status?.lastPushTime && last.status.lastAutomationRunTime);
      // the run that found the push is done (its status is written): nothing else was pushed
      assert.deepEqual(botCommits(), pushed);
      assert.equal(repo.head(), commit);
      // the push's Event, which the stopped process never sent, once
      await eventually('the push Event', async () => (await pushEvents(commit)).length === 1, 60_000, 250);
      // a requested run afterwards still finds nothing to push
      await client.patch(
        { ...IMAGE_UPDATE_AUTOMATION_GVK, namespace: ns.name, name: 'web' },
        { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': `after-${round}` } } },
        { type: 'merge' },
      );
      await eventually(
        'the requested run handled',
        async () => (await auto()).status?.lastHandledReconcileAt === `after-${round}`,
        120_000,
        250,
      );
      assert.deepEqual(botCommits(), pushed);
      assert.equal((await auto()).status?.lastPushCommit, commit);

      proc?.kill('SIGTERM');
      await exited(proc as ChildProcess, 60_000);
    });
  }
});
