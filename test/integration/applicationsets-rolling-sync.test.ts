import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { ApplicationSet } from '../../src/applicationsets/index.js';
import { startSlackServer } from '../../src/dev/slack-server/index.js';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { ControllerProcess } from '../support/chaos/controller-process.js';
import {
  APP,
  applicationSet,
  getAppSet,
  listApps,
  waitForAppSet,
} from '../support/git/applicationset-harness.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';

// Issue 17's RollingSync acceptance: one service in three regions by an ApplicationSet with a step per
// region, automated sync ON, each region holding a canary Rollout gated by a web analysis this test
// controls. A new commit goes region by region: region 2 starts only after region 1's canary finished
// its analysis; region 2's analysis fails, which stops region 3 and shows in the ApplicationSet's status,
// a Warning Event and Slack. `slipway controller` (every module, one process) is SIGKILLed and SIGTERMed
// in the middle of the progression and carries on.
//
// REGIONS is the destination table: today three destinations in the test's namespace of the shared
// cluster (the controller runs with --namespace); once registered clusters exist, swap `server` (and
// `namespace`) for each cluster's URL.

interface Region {
  readonly cluster: string;
  readonly region: string;
  readonly server: string;
  /** Destination namespace; undefined: the test namespace. */
  readonly namespace?: string;
  /** Whether its canary analysis passes. */
  readonly analysisPasses: boolean;
}

const REGIONS: readonly Region[] = [
  {
    cluster: 'tokyo',
    region: 'ap-northeast-1',
    server: 'https://kubernetes.default.svc',
    analysisPasses: true,
  },
  {
    cluster: 'ireland',
    region: 'eu-west-1',
    server: 'https://kubernetes.default.svc',
    analysisPasses: false,
  },
  {
    cluster: 'virginia',
    region: 'us-east-1',
    server: 'https://kubernetes.default.svc',
    analysisPasses: true,
  },
];

const NAME = 'web-app-multi-region';
const CHANNEL = 'fleet-alerts';
const SLACK_TOKEN = 'xoxb-rolling-sync';
const ROLLOUT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;
const ANALYSIS_RUN = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;

const appName = (r: Region) => `web-app-${r.cluster}`;
const rolloutName = (r: Region) => `web-${r.cluster}`;

interface RolloutView {
  readonly image: string;
  readonly phase: string;
  readonly generationObserved: boolean;
}

describe('applicationsets: RollingSync region by region, each gated by its Rollout analysis', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let tmp: string;
  let metrics: LocalHttpServer;
  let slack: Awaited<ReturnType<typeof startSlackServer>>;
  let controller: ControllerProcess;
  const destination = (r: Region) => r.namespace ?? ns.name;

  /** One region's overlay: its Rollout (a canary with an analysis step) and AnalysisTemplate. */
  const regionFiles = (r: Region, version: string): Record<string, string> => ({
    [`production/web-app/overlays/${r.region}/rollout.yaml`]: stringify({
      ...ROLLOUT,
      metadata: { name: rolloutName(r) },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: rolloutName(r) } },
        template: {
          metadata: { labels: { app: rolloutName(r) } },
          spec: { containers: [{ name: 'web', image: `web-app:${version}` }] },
        },
        strategy: {
          canary: {
            steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: `check-${r.cluster}` }] } }],
          },
        },
      },
    }),
    [`production/web-app/overlays/${r.region}/analysis.yaml`]: stringify({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: `check-${r.cluster}` },
      spec: {
        metrics: [
          {
            name: 'error-budget',
            count: 2,
            interval: '2s',
            successCondition: 'result.ok == true',
            provider: {
              web: { url: `${metrics.base}/${r.cluster}`, jsonPath: '{$.data}', timeoutSeconds: 5 },
            },
          },
        ],
      },
    }),
  });
  const allFiles = (version: string) =>
    Object.assign({}, ...REGIONS.map((r) => regionFiles(r, version))) as Record<string, string>;

  const appSetSpec = () => ({
    generators: [
      {
        list: {
          elements: REGIONS.map((r) => ({
            cluster: r.cluster,
            url: r.server,
            region: r.region,
            namespace: destination(r),
          })),
        },
      },
    ],
    strategy: {
      type: 'RollingSync',
      rollingSync: {
        steps: REGIONS.map((r) => ({
          matchExpressions: [{ key: 'region', operator: 'In', values: [r.region] }],
        })),
      },
    },
    template: {
      metadata: {
        name: 'web-app-{{cluster}}',
        labels: { region: '{{region}}' },
        annotations: { 'notifications.argoproj.io/subscribe.on-health-degraded.slack': CHANNEL },
      },
      spec: {
        project: 'default',
        source: { repoURL: repo.url, targetRevision: 'HEAD', path: 'production/web-app/overlays/{{region}}' },
        destination: { server: '{{url}}', namespace: '{{namespace}}' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    },
  });

  const rolloutObject = (r: Region) =>
    client
      .get<
        KubeObject & {
          spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
          status?: {
            phase?: string;
            observedGeneration?: string | number;
            conditions?: { type: string; status: string; lastTransitionTime?: string }[];
          };
        }
      >({
        ...ROLLOUT,
        namespace: destination(r),
        name: rolloutName(r),
      })
      .catch(() => undefined);
  const rollout = async (r: Region): Promise<RolloutView | undefined> => {
    const obj = await rolloutObject(r);
    if (obj === undefined) return undefined;
    return {
      image: obj.spec?.template?.spec?.containers?.[0]?.image ?? '',
      phase: obj.status?.phase ?? '',
      generationObserved:
        String(obj.status?.observedGeneration ?? '') === String(obj.metadata.generation ?? ''),
    };
  };
  const analysisRuns = async (r: Region) =>
    (
      await client.list<KubeObject & { status?: { phase?: string } }>(ANALYSIS_RUN, {
        namespace: destination(r),
      })
    ).items
      .filter((a) => a.metadata.name?.startsWith(`${rolloutName(r)}-`))
      .map((a) => a.status?.phase ?? '');
  const progressOf = (s: ApplicationSet, r: Region) =>
    s.status?.applicationStatus?.find((x) => x.application === appName(r));
  const log = () => readFileSync(join(tmp, 'controller.log'), 'utf8').slice(-4000);

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'rolling-sync');
    tmp = mkdtempSync(join(tmpdir(), 'slipway-rolling-sync-'));
    const verdict = new Map(REGIONS.map((r) => [r.cluster, r.analysisPasses]));
    metrics = await startLocalHttpServer((req, res) => {
      const ok = verdict.get((req.url ?? '').slice(1)) ?? false;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { ok } }));
    });
    slack = await startSlackServer({ tokens: [SLACK_TOKEN] });
    repo = TestRepo.create(allFiles('v1'));
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
    await client.create(applicationSet(ns.name, NAME, appSetSpec()));
  });
  after(async () => {
    await controller?.dispose();
    await ns?.delete();
    await metrics?.close();
    await slack?.stop();
    repo?.dispose();
    if (process.env.SLIPWAY_KEEP_TEST_LOG)
      copyFileSync(join(tmp, 'controller.log'), process.env.SLIPWAY_KEEP_TEST_LOG);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the first deploy goes region by region with automated sync on, each synced by the ApplicationSet', async () => {
    const s = await waitForAppSet(
      client,
      ns.name,
      NAME,
      'every region Healthy in applicationStatus and the rollout complete',
      (a) =>
        REGIONS.every((r) => progressOf(a, r)?.status === 'Healthy') &&
        a.status?.conditions?.some(
          (c) => c.type === 'RolloutProgressing' && c.reason === 'ApplicationSetRolloutComplete',
        ) === true,
      180_000,
    );
    assert.deepEqual(
      REGIONS.map((r) => progressOf(s, r)?.step),
      REGIONS.map((_, i) => String(i + 1)),
    );
    const apps = await listApps(client, ns.name);
    const started = REGIONS.map((r) => {
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
    for (const r of REGIONS) assert.equal((await rollout(r))?.phase, 'Healthy');
  });

  it('a commit goes region by region; region 2 waits for region 1’s analysis; region 2 failing stops region 3 (SIGKILL and SIGTERM mid-way)', async () => {
    const [r1, r2, r3] = REGIONS as [Region, Region, Region];
    // what each region runs, sampled while the release progresses
    const samples: { r1: RolloutView | undefined; r1Runs: string[]; r2: RolloutView | undefined }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const s2 = await rollout(r2);
        const s1 = await rollout(r1);
        const runs = await analysisRuns(r1).catch(() => []);
        samples.push({ r1: s1, r1Runs: runs, r2: s2 });
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    repo.write(allFiles('v2'));
    repo.commit('web-app v2 everywhere');

    // SIGKILL while region 1's canary runs
    await eventually(
      'region 1 running the v2 canary',
      async () => (await rollout(r1))?.image === 'web-app:v2',
      120_000,
      100,
    );
    await controller.restart('SIGKILL');
    assert.ok(await controller.waitReady(120_000), 'the second process became ready');

    // SIGTERM once region 2 has started
    await eventually(
      'region 2 running v2',
      async () => (await rollout(r2))?.image === 'web-app:v2',
      180_000,
      100,
    );
    await controller.restart('SIGTERM');
    assert.ok(await controller.waitReady(120_000), 'the third process became ready');

    const stopped = await waitForAppSet(
      client,
      ns.name,
      NAME,
      'the rollout stopped at region 2',
      (a) =>
        a.status?.conditions?.some(
          (c) =>
            c.type === 'RolloutProgressing' &&
            c.status === 'False' &&
            c.reason === 'ApplicationSetRolloutError',
        ) === true,
      180_000,
    );
    sampling = false;
    await sampler;

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
    assert.equal((await rollout(r3))?.image, 'web-app:v1');
    assert.equal((await rollout(r2))?.phase, 'Degraded');
    const app3 = (await client.get<Application>({
      ...APP,
      namespace: ns.name,
      name: appName(r3),
    })) as Application;
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
        slack.server.allMessages().find((m) => m.text.startsWith(`Application ${appName(r2)} has degraded`)),
      120_000,
    );
    assert.ok(
      !slack.server.allMessages().some((m) => m.text.includes(appName(r1)) || m.text.includes(appName(r3))),
      'no other region degraded',
    );
    assert.deepEqual(controller.restartStats().crashes, [], log());
  });
});
