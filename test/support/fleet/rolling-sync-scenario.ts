// Issue 17's RollingSync acceptance as one scenario, run with the regions placed in different ways
// (namespaces of the shared cluster, or clusters registered with `slipway cluster add`): one service in
// three regions by an ApplicationSet with a step per region, automated sync ON, each region holding a
// canary Rollout gated by a web analysis the scenario controls. A new commit goes region by region:
// region 2 starts only after region 1's canary finished its analysis; region 2's analysis fails, which
// stops region 3 and shows in the ApplicationSet's status, a Warning Event and Slack.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApplicationSet } from '../../../src/applicationsets/index.js';
import { startSlackServer } from '../../../src/dev/slack-server/index.js';
import { installCrds } from '../../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../../src/kube/index.js';
import type { Application } from '../../../src/sync/index.js';
import { ControllerProcess } from '../chaos/controller-process.js';
import { APP, applicationSet, getAppSet, listApps, waitForAppSet } from '../git/applicationset-harness.js';
import { TestRepo } from '../git/repo.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../local-http-server.js';
import {
  analysisRunPhases,
  appName,
  FLEET_REGIONS,
  fleetFiles,
  type PlacedRegion,
  type RolloutView,
  rollingSyncSpec,
  rolloutObject,
  rolloutView,
} from './regions.js';

const NAME = 'web-app-multi-region';
const CHANNEL = 'fleet-alerts';
const SLACK_TOKEN = 'xoxb-rolling-sync';

/** What a placement gets: the management cluster's client, the ApplicationSet's namespace, a temp dir. */
export interface FleetWorld {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly tmp: string;
}

export interface FleetPlacement {
  /** FLEET_REGIONS, in order, each with its destination and a client of its cluster. */
  readonly regions: readonly PlacedRegion[];
  /** Controllers running the regions' Rollouts in their own clusters (none may crash). */
  readonly workloadControllers: readonly ControllerProcess[];
  /** Log files worth printing when an assertion fails. */
  readonly logs: readonly string[];
  dispose(): Promise<void>;
}

export interface RollingSyncScenarioOptions {
  readonly title: string;
  /** Test namespace prefix and temp dir name. */
  readonly slug: string;
  /** Puts the regions somewhere once the ApplicationSet's namespace exists. */
  place(world: FleetWorld): Promise<FleetPlacement>;
  /** SIGKILL the central controller while region 1's canary runs, SIGTERM it once region 2 runs. */
  readonly restartCentral: boolean;
}

/**
 * The scenario as a `describe`: the central `slipway controller` (every module, `-n` the ApplicationSet's
 * namespace) runs the ApplicationSet, the Applications and their notifications, and the Rollouts of
 * any region placed in that namespace; a placement may run more controllers for other clusters.
 */
export function describeRollingSync(options: RollingSyncScenarioOptions): void {
  describe(options.title, () => {
    let client: KubeClient;
    let ns: { name: string; delete(): Promise<void> };
    let repo: TestRepo;
    let tmp: string;
    let metrics: LocalHttpServer;
    let slack: Awaited<ReturnType<typeof startSlackServer>>;
    let controller: ControllerProcess;
    let placement: FleetPlacement | undefined;
    let regions: readonly PlacedRegion[] = [];

    const progressOf = (s: ApplicationSet, r: PlacedRegion) =>
      s.status?.applicationStatus?.find((x) => x.application === appName(r));
    const log = () =>
      [join(tmp, 'controller.log'), ...(placement?.logs ?? [])]
        .filter((f) => existsSync(f))
        .map((f) => `== ${f}\n${readFileSync(f, 'utf8').slice(-3000)}`)
        .join('\n');
    const files = (version: string) => fleetFiles(FLEET_REGIONS, version, metrics.base);
    /** What the Applications and Rollouts said, for a failed wait's message. */
    const world = async () => {
      const apps = await listApps(client, ns.name).catch(() => []);
      const out: Record<string, unknown> = {};
      for (const r of regions) {
        const a = apps.find((x) => x.metadata.name === appName(r));
        out[r.cluster] = {
          operation: a?.operation !== undefined,
          op: a?.status?.operationState?.phase,
          opStarted: a?.status?.operationState?.startedAt,
          sync: a?.status?.sync?.status,
          rev: a?.status?.sync?.revision?.slice(0, 7),
          comparedTo: a?.status?.sync?.comparedTo?.destination,
          health: a?.status?.health,
          conditions: a?.status?.conditions?.map((c) => `${c.type}: ${c.message}`),
          rollout: await rolloutView(r),
        };
      }
      return JSON.stringify(out);
    };
    const waitForStatus = async (what: string, check: (a: ApplicationSet) => boolean) => {
      try {
        return await waitForAppSet(client, ns.name, NAME, what, check, 180_000);
      } catch (err) {
        throw new Error(`${(err as Error).message}; world: ${await world()}`);
      }
    };

    before(async () => {
      client = testClient();
      await installCrds(client);
      ns = await testNamespace(client, options.slug);
      tmp = mkdtempSync(join(tmpdir(), `slipway-${options.slug}-`));
      const verdict = new Map(FLEET_REGIONS.map((r) => [r.cluster, r.analysisPasses]));
      metrics = await startLocalHttpServer((req, res) => {
        const ok = verdict.get((req.url ?? '').slice(1)) ?? false;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { ok } }));
      });
      slack = await startSlackServer({ tokens: [SLACK_TOKEN] });
      repo = TestRepo.create(files('v1'));
      await client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'argocd-notifications-cm', namespace: ns.name },
        data: {
          'service.slack': `token: $slack-token\napiURL: ${slack.apiUrl}\nusername: slipway\n`,
          'trigger.on-health-degraded':
            "- description: Application has degraded\n  send: [app-health-degraded]\n  when: app.status.health.status == 'Degraded'\n",
          'template.app-health-degraded':
            'message: "Application {{.app.metadata.name}} has degraded: {{.app.status.health.message}}"\n',
        },
      });
      await client.create({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'argocd-notifications-secret', namespace: ns.name },
        type: 'Opaque',
        stringData: { 'slack-token': SLACK_TOKEN },
      });
      // the central controller starts while the regions are placed (it waits for the ApplicationSet)
      controller = new ControllerProcess({
        kubeconfigPath: testKubeconfigPath(),
        namespace: ns.name,
        runtime: { kind: 'tsx' },
        env: {
          TMPDIR: tmp,
          SLIPWAY_REPO_POLL_SECONDS: '1',
          SLIPWAY_NOTIFICATIONS_NAMESPACE: ns.name,
          SLIPWAY_SLACK_API_URL: slack.apiUrl,
        },
        logPath: join(tmp, 'controller.log'),
      });
      await controller.start();
      const placing = Date.now();
      placement = await options.place({ client, namespace: ns.name, tmp });
      regions = placement.regions;
      process.stderr.write(`[${options.slug}] regions placed in ${Date.now() - placing} ms\n`);
      assert.deepEqual(
        regions.map((r) => r.cluster),
        FLEET_REGIONS.map((r) => r.cluster),
      );
      await client.create(applicationSet(ns.name, NAME, rollingSyncSpec(regions, repo.url, CHANNEL)));
    });
    after(async () => {
      await controller?.dispose();
      await placement?.dispose();
      await ns?.delete();
      await metrics?.close();
      await slack?.stop();
      repo?.dispose();
      // SLIPWAY_KEEP_TEST_LOG=DIR keeps the controllers' logs as DIR/<slug>-<log>
      const keep = process.env.SLIPWAY_KEEP_TEST_LOG;
      if (keep && tmp) {
        mkdirSync(keep, { recursive: true });
        for (const f of [join(tmp, 'controller.log'), ...(placement?.logs ?? [])])
          if (existsSync(f)) copyFileSync(f, join(keep, `${options.slug}-${basename(f)}`));
      }
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it('the first deploy goes region by region with automated sync on, each synced by the ApplicationSet', async () => {
      const s = await waitForStatus(
        'every region Healthy in applicationStatus and the rollout complete',
        (a) =>
          regions.every((r) => progressOf(a, r)?.status === 'Healthy') &&
          a.status?.conditions?.some(
            (c) => c.type === 'RolloutProgressing' && c.reason === 'ApplicationSetRolloutComplete',
          ) === true,
      );
      assert.deepEqual(
        regions.map((r) => progressOf(s, r)?.step),
        regions.map((_, i) => String(i + 1)),
      );
      const apps = await listApps(client, ns.name);
      const started = regions.map((r) => {
        const a = apps.find((x) => x.metadata.name === appName(r));
        assert.equal(a?.spec.syncPolicy?.automated?.selfHeal, true, 'automated sync stays on');
        assert.equal(a?.status?.operationState?.operation.initiatedBy?.username, 'applicationset-controller');
        return Date.parse(a?.status?.operationState?.startedAt ?? '');
      });
      for (let i = 1; i < started.length; i++)
        assert.ok(
          started[i - 1]! <= started[i]!,
          `region ${i + 1} synced after region ${i}: ${started.join(', ')}`,
        );
      for (const r of regions) assert.equal((await rolloutView(r))?.phase, 'Healthy', log());
    });

    it(`a commit goes region by region; region 2 waits for region 1’s analysis; region 2 failing stops region 3${options.restartCentral ? ' (SIGKILL and SIGTERM mid-way)' : ''}`, async () => {
      const [r1, r2, r3] = regions as [PlacedRegion, PlacedRegion, PlacedRegion];
      // what each region runs, sampled while the release progresses
      const samples: { r1: RolloutView | undefined; r1Runs: string[]; r2: RolloutView | undefined }[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const s2 = await rolloutView(r2);
          const s1 = await rolloutView(r1);
          const runs = await analysisRunPhases(r1).catch(() => []);
          samples.push({ r1: s1, r1Runs: runs, r2: s2 });
          await new Promise((r) => setTimeout(r, 200));
        }
      })();

      // a failed wait must not leave the sampler running (the test process would never exit)
      let stopped: ApplicationSet;
      try {
        repo.write(files('v2'));
        repo.commit('web-app v2 everywhere');

        if (options.restartCentral) {
          // SIGKILL while region 1's canary runs
          await eventually(
            'region 1 running the v2 canary',
            async () => (await rolloutView(r1))?.image === 'web-app:v2',
            120_000,
            100,
          );
          await controller.restart('SIGKILL');
          assert.ok(await controller.waitReady(120_000), 'the second process became ready');

          // SIGTERM once region 2 has started
          await eventually(
            'region 2 running v2',
            async () => (await rolloutView(r2))?.image === 'web-app:v2',
            180_000,
            100,
          );
          await controller.restart('SIGTERM');
          assert.ok(await controller.waitReady(120_000), 'the third process became ready');
        }

        stopped = await waitForStatus(
          'the rollout stopped at region 2',
          (a) =>
            a.status?.conditions?.some(
              (c) =>
                c.type === 'RolloutProgressing' &&
                c.status === 'False' &&
                c.reason === 'ApplicationSetRolloutError',
            ) === true,
        );
      } finally {
        sampling = false;
        await sampler;
      }

      // region 2 started only after region 1 had finished its canary and its analysis. Each sample reads
      // region 2 first: region 1 "done" is monotonic, so region 1 not done in a sample where region 2 runs
      // v2 proves the order wrong; and the times say the same (Rollout Healthy ≤ region 2's sync start).
      const r1Done = (x: (typeof samples)[number]) =>
        x.r1?.image === 'web-app:v2' &&
        x.r1.phase === 'Healthy' &&
        x.r1.generationObserved &&
        x.r1Runs.includes('Successful') &&
        !x.r1Runs.includes('Running');
      const firstR2 = samples.findIndex((x) => x.r2?.image === 'web-app:v2');
      assert.ok(firstR2 > 0, 'region 2 was seen on v1 before v2');
      const early = samples.find((x) => x.r2?.image === 'web-app:v2' && !r1Done(x));
      assert.equal(early, undefined, `region 2 ran v2 before region 1 was done: ${JSON.stringify(early)}`);
      assert.ok(
        samples.slice(0, firstR2).some((x) => x.r1?.image === 'web-app:v2' && !r1Done(x)),
        'region 1 was seen mid-canary while region 2 was still on v1',
      );
      const r1Healthy = (await rolloutObject(r1))?.status?.conditions?.find(
        (c) => c.type === 'Healthy' && c.status === 'True',
      )?.lastTransitionTime;
      const app2 = await client.get<Application>({ ...APP, namespace: ns.name, name: appName(r2) });
      const r2Started = app2.status?.operationState?.startedAt;
      assert.ok(
        r1Healthy !== undefined && r2Started !== undefined && Date.parse(r1Healthy) <= Date.parse(r2Started),
        `region 1 Healthy at ${r1Healthy}, region 2's sync started at ${r2Started}`,
      );

      // the ApplicationSet's status says which application and step failed
      const rolloutCondition = stopped.status?.conditions?.find((c) => c.type === 'RolloutProgressing');
      assert.match(
        rolloutCondition?.message ?? '',
        /^ApplicationSet rollout stopped at step 2: Application web-app-ireland is Degraded/,
      );
      assert.equal(stopped.status?.health?.status, 'Degraded');
      const r2Progress = progressOf(stopped, r2);
      assert.equal(r2Progress?.status, 'Progressing');
      assert.match(r2Progress?.message ?? '', /is Degraded.*the rollout is stopped at step 2$/);
      assert.equal(progressOf(stopped, r1)?.status, 'Healthy');
      assert.equal(progressOf(stopped, r3)?.status, 'Waiting');

      // region 3 stays on v1 although automated sync is on and its Application is OutOfSync
      await new Promise((r) => setTimeout(r, 5_000));
      assert.equal((await rolloutView(r3))?.image, 'web-app:v1');
      assert.equal((await rolloutView(r2))?.phase, 'Degraded');
      const app3 = await client.get<Application>({ ...APP, namespace: ns.name, name: appName(r3) });
      assert.equal(app3.status?.sync?.status, 'OutOfSync');
      assert.equal(progressOf(await getAppSet(client, ns.name, NAME), r3)?.status, 'Waiting');

      // a Warning Event on the ApplicationSet, and Slack heard about the degraded region
      await eventually(
        'a Warning Event naming the failed Application',
        async () =>
          (
            await client.list<KubeObject & { reason?: string; type?: string; message?: string }>(
              { apiVersion: 'v1', kind: 'Event' },
              { namespace: ns.name, fieldSelector: `involvedObject.name=${NAME}` },
            )
          ).items.some(
            (e) =>
              e.type === 'Warning' &&
              e.reason === 'ApplicationSetRolloutError' &&
              e.message?.includes(appName(r2)),
          ),
        60_000,
      );
      await eventually(
        'a Slack message about the degraded region',
        () =>
          slack.server
            .allMessages()
            .find((m) => m.text.startsWith(`Application ${appName(r2)} has degraded`)),
        120_000,
      );
      assert.ok(
        !slack.server.allMessages().some((m) => m.text.includes(appName(r1)) || m.text.includes(appName(r3))),
        'no other region degraded',
      );
      assert.deepEqual(controller.restartStats().crashes, [], log());
      for (const w of placement?.workloadControllers ?? [])
        assert.deepEqual(w.restartStats().crashes, [], log());
    });
  });
}
