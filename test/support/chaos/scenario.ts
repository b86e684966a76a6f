// One chaos scenario engine for `bench/chaos.ts` and `test/integration/chaos.test.ts`: N subscribed
// Rollouts updated again and again, M Applications receiving commits and drift, ONE `slipway controller`
// process (every controller) killed at random intervals and restarted at once; then quiesce and check
// the end state and every step notification.
import { mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type SlackServer, startSlackServer } from '../../../src/dev/slack-server/index.js';
import { installCrds } from '../../../src/install/index.js';
import type { KubeClient } from '../../../src/kube/index.js';
import { TestRepo } from '../git/repo.js';
import { ControllerProcess, type ControllerRuntime, type RestartStats } from './controller-process.js';
import { between, DriftDriver, GitDriver, pick, RolloutUpdater, seededRandom } from './drivers.js';
import { checkApplications, checkRollouts, type EndState, isClean } from './invariants.js';
import {
  analysisTemplate,
  appName,
  chaosApplication,
  chaosRollout,
  ROLLOUT,
  rolloutImage,
  rolloutName,
  rolloutNotificationConfig,
  SLACK_TOKEN,
} from './manifests.js';
import { compareNotifications, type LedgerResult } from './notification-ledger.js';
import { RolloutObserver } from './rollout-observer.js';

type Range = readonly [number, number];

export interface ChaosOptions {
  readonly client: KubeClient;
  readonly kubeconfigPath: string;
  /** An existing, empty namespace holding everything of the run. */
  readonly namespace: string;
  /** Logs, the controller's TMPDIR and Git cache. Left for the caller to remove. */
  readonly workDir: string;
  readonly runtime: ControllerRuntime;
  readonly rollouts: number;
  readonly rolloutReplicas: number;
  readonly applications: number;
  /** Restarts during the chaos phase. */
  readonly kills: number;
  /** Every k-th restart is a SIGTERM (a clean shutdown) instead of a SIGKILL; 0 = never. */
  readonly sigtermEvery: number;
  /** Milliseconds an incarnation runs after it is ready (caches synced) before it is killed. */
  readonly killIntervalMs: Range;
  /** Milliseconds between two Rollout image updates / Git commits / live drifts. */
  readonly updateGapMs: Range;
  readonly commitGapMs: Range;
  readonly driftGapMs: Range;
  /** Deadline for the initial deploy and again for convergence after the chaos. */
  readonly settleTimeoutMs: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

export interface ChaosReport {
  readonly seed: number;
  readonly kills: { readonly sigkill: number; readonly sigterm: number };
  readonly chaosMs: number;
  readonly settleMs: number;
  readonly converged: boolean;
  readonly restarts: RestartStats;
  readonly rollouts: number;
  readonly rolloutUpdates: number;
  readonly applications: number;
  readonly commits: number;
  readonly drifts: number;
  readonly notifications: LedgerResult;
  /** Step messages Slack stored in the second before a kill (counted like any other). */
  readonly messagesJustBeforeKills: number;
  readonly endState: EndState;
  /** Entries left in the controllers' TMPDIR after the final clean stop (informational). */
  readonly tmpLeftovers: number;
  readonly observerRelists: number;
  readonly logPath: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

async function until(deadlineMs: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(2_000);
  }
  return false;
}

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const random = seededRandom(o.seed);
  const { client, namespace: ns } = o;
  const tmp = join(o.workDir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  mkdirSync(join(o.workDir, 'sync'), { recursive: true });
  const logPath = join(o.workDir, 'controller.log');
  await installCrds(client);

  const slack = await startSlackServer({ tokens: [SLACK_TOKEN] });
  const health = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { ok: true } }));
  });
  await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
  const healthUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}/health`;
  const rolloutNames = Array.from({ length: o.rollouts }, (_, i) => rolloutName(i));
  const appNames = Array.from({ length: o.applications }, (_, i) => appName(i));
  const updater = new RolloutUpdater(client, ns, rolloutNames);
  let repo: TestRepo | undefined;
  let controller: ControllerProcess | undefined;
  const observer = new RolloutObserver(client, ns);
  try {
    for (const obj of rolloutNotificationConfig(ns, slack.apiUrl)) await client.create(obj);
    await client.create(analysisTemplate(ns, healthUrl));
    repo = TestRepo.create();
    const git = new GitDriver(repo, appNames);
    repo.write(git.allFiles());
    repo.commit('all apps');
    const drifter = new DriftDriver(client, ns, git.desired);
    observer.start();
    for (const name of rolloutNames)
      await client.create(chaosRollout(ns, name, o.rolloutReplicas, rolloutImage(name, 0)));
    for (const name of appNames) await client.create(chaosApplication(ns, name, repo.url));

    controller = new ControllerProcess({
      kubeconfigPath: o.kubeconfigPath,
      namespace: ns,
      runtime: o.runtime,
      logPath,
      env: {
        TMPDIR: tmp,
        SLIPWAY_SYNC_DIR: join(o.workDir, 'sync'),
        SLIPWAY_NOTIFICATIONS_NAMESPACE: ns,
        SLIPWAY_SLACK_API_URL: slack.apiUrl,
        SLIPWAY_REPO_POLL_SECONDS: '2',
      },
    });
    await controller.start();
    const settled = async () => {
      const r = await checkRollouts(client, ns, updater.lastImages);
      const apps = await checkApplications(client, ns, git.desired, git.everExtras, repo?.head() ?? '');
      return isClean({ ...r, applications: apps });
    };
    o.log(`initial deploy: ${o.rollouts} Rollouts, ${o.applications} Applications`);
    if (!(await until(o.settleTimeoutMs, settled)))
      o.log('initial deploy did not settle within the deadline; starting the chaos anyway');

    // ---- chaos: kills, updates, commits and drifts at once
    o.log(
      `chaos: ${o.kills} restarts every ${o.killIntervalMs[0]}-${o.killIntervalMs[1]} ms (seed ${o.seed})`,
    );
    const started = Date.now();
    const done = new AbortController();
    const killTimes: number[] = [];
    const kills = { sigkill: 0, sigterm: 0 };
    const killLoop = async () => {
      for (let i = 1; i <= o.kills; i++) {
        // on a loaded machine a start takes seconds: count the interval from readiness, so every
        // incarnation does some work before it dies
        await controller?.waitReady(60_000);
        await sleep(between(random, o.killIntervalMs));
        const signal = o.sigtermEvery > 0 && i % o.sigtermEvery === 0 ? 'SIGTERM' : 'SIGKILL';
        killTimes.push(Date.now());
        await controller?.restart(signal);
        kills[signal === 'SIGKILL' ? 'sigkill' : 'sigterm'] += 1;
        if (i % 10 === 0) o.log(`${i}/${o.kills} restarts, ${slack.server.allMessages().length} messages`);
      }
      done.abort();
    };
    const every = async (gap: Range, act: () => Promise<unknown> | unknown) => {
      while (!done.signal.aborted) {
        await sleep(between(random, gap), done.signal);
        if (!done.signal.aborted) await act();
      }
    };
    await Promise.all([
      killLoop(),
      every(o.updateGapMs, () => updater.update(pick(random, rolloutNames))),
      every(o.commitGapMs, () => git.commit(random, pick(random, appNames))),
      every(o.driftGapMs, () => drifter.drift(random, pick(random, appNames))),
    ]);
    const chaosMs = Date.now() - started;

    // ---- quiesce: the last incarnation runs undisturbed
    o.log(`chaos over after ${(chaosMs / 1000).toFixed(0)} s; waiting for the end state`);
    const settleStart = Date.now();
    const converged = await until(o.settleTimeoutMs, settled);
    await until(Math.max(10_000, o.settleTimeoutMs - (Date.now() - settleStart)), async () => {
      const before = slack.server.allMessages().length;
      await sleep(5_000);
      const { items } = await client.listAll(ROLLOUT, { namespace: ns });
      const pending = items.some((r) =>
        Object.keys(r.metadata.annotations ?? {}).some((k) => k.startsWith('outbox.notifications.')),
      );
      return !pending && slack.server.allMessages().length === before;
    });
    const settleMs = Date.now() - settleStart;
    const rollouts = await checkRollouts(client, ns, updater.lastImages);
    const endState: EndState = {
      ...rollouts,
      applications: await checkApplications(client, ns, git.desired, git.everExtras, repo.head()),
    };
    await observer.stop();
    await controller.dispose();
    const restarts = controller.restartStats();
    controller = undefined;
    const texts = slack.server.allMessages().map((m) => m.text);
    return {
      seed: o.seed,
      kills,
      chaosMs,
      settleMs,
      converged,
      restarts,
      rollouts: o.rollouts,
      rolloutUpdates: updater.updates,
      applications: o.applications,
      commits: git.commits,
      drifts: drifter.drifts,
      notifications: compareNotifications(observer.truth(), texts, killTimes.at(-1)),
      messagesJustBeforeKills: countBeforeKills(slack.server, killTimes),
      endState,
      // tsx keeps its compile cache in TMPDIR (tsx-<uid>): the harness's, not the controller's
      tmpLeftovers: readdirSync(tmp).filter((f) => !f.startsWith('tsx-')).length,
      observerRelists: observer.relists,
      logPath,
    };
  } finally {
    await observer.stop();
    await controller?.dispose();
    await slack.stop();
    health.closeAllConnections();
    await new Promise((r) => health.close(r));
    repo?.dispose();
  }
}

/** Messages whose Slack `ts` (the server's clock) falls in the second before a kill. */
function countBeforeKills(server: SlackServer, killTimes: readonly number[]): number {
  return server
    .allMessages()
    .map((m) => Number(m.ts) * 1000)
    .filter((at) => killTimes.some((k) => at <= k && at > k - 1000)).length;
}
