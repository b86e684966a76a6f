// The Rollout scenario, one driver for every implementation: a fresh local cluster with the
// implementation's own CRDs, its controller started on the namespace, N Rollouts created and waited
// for Healthy; then either all updated at once (setWeight 50 → pause 2 s → setWeight 100) and
// measured, or (idle) left to settle and their controller's memory read.
import { LocalCluster } from '../../src/dev/cluster/index.js';
import { installTrafficCrds } from '../../src/dev/traffic-crds/index.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { type ApiWrites, scrapeApiserver, summarizeApiWrites } from '../apiserver-writes.js';
import type { Implementation, ImplementationName } from './bench-controllers.js';
import { type ControllerWrites, controllerWrites, RolloutEventCounter } from './controller-writes.js';
import { cpuSeconds, loadAverages, mib, RssSampler, rssBytes } from './process-usage.js';
import {
  percentile,
  ROLLOUT_KIND,
  type RolloutObject,
  type RolloutPath,
  RolloutWatch,
} from './rollout-watch.js';

export interface ScenarioOptions {
  readonly n: number;
  readonly replicas: number;
  readonly traffic: boolean;
  /** Idle: create, wait for Healthy, settle this long and read memory; no update. */
  readonly idle: boolean;
  readonly settleSeconds: number;
}

/** Steps each Rollout goes through in the update. */
export const STEPS = 3;
const NAMESPACE = 'bench';
const BATCH = 20;

export interface ScenarioResult {
  readonly implementation: ImplementationName;
  readonly label: string;
  readonly n: number;
  readonly replicas: number;
  /** Load averages (1, 5, 15 min) when the measured phase started and ended. */
  readonly load: { readonly start: number[]; readonly end: number[] };
  /** Creation of the N Rollouts to all Healthy. */
  readonly createToAllHealthyMs: number;
  readonly timeToAllHealthyMs?: number;
  /** After all Healthy, until no new Event about a Rollout for 5 s (writes are counted until then). */
  readonly eventsDrainedAfterMs?: number;
  readonly addedLatencyMs?: { p50: number; p99: number; samples: number };
  readonly addedLatencyByTriggerMs?: Record<string, { p50: number; p99: number; samples: number }>;
  /**
   * Each Rollout's update → Healthy, split into the controller's reactions and the rest (API server,
   * kube-controller-manager, scheduler, kwok, the 2 s pause): what bounds time to all Healthy.
   */
  readonly updatePath?: UpdatePathSummary;
  readonly peakRssMiB: number;
  readonly settledRssMiB?: number;
  readonly cpuSeconds: number;
  readonly apiWrites?: { total: number; top: ApiWrites['byResource'] };
  readonly controllerWrites?: ControllerWrites;
  readonly eventsByReason?: Record<string, number>;
  readonly reconciles?: number;
  readonly reconcilesPerRolloutStep?: number;
  readonly details?: Record<string, unknown>;
  readonly watchRestarts: Record<string, number>;
}

export interface UpdatePathSummary {
  readonly rollouts: number;
  readonly totalP50Ms: number;
  readonly controllerP50Ms: number;
  /** Of the slowest Rollout's path, the part that was not the controller's. */
  readonly slowestTotalMs: number;
  readonly slowestOthersMs: number;
  /** max over Rollouts of (total − controller): all Healthy could not come sooner with a controller adding 0 ms. */
  readonly othersMaxMs: number;
}

function summarizePaths(paths: readonly RolloutPath[]): UpdatePathSummary | undefined {
  if (paths.length === 0) return undefined;
  const slowest = paths.reduce((a, b) => (b.totalMs > a.totalMs ? b : a));
  return {
    rollouts: paths.length,
    totalP50Ms: percentile(
      paths.map((p) => p.totalMs),
      50,
    ),
    controllerP50Ms: percentile(
      paths.map((p) => p.controllerMs),
      50,
    ),
    slowestTotalMs: slowest.totalMs,
    slowestOthersMs: slowest.totalMs - slowest.controllerMs,
    othersMaxMs: Math.max(...paths.map((p) => p.totalMs - p.controllerMs)),
  };
}

function manifest(i: number, image: string, o: ScenarioOptions): RolloutObject {
  return {
    ...ROLLOUT_KIND,
    metadata: { name: `r${i}`, namespace: NAMESPACE },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { app: `r${i}` } },
      template: {
        metadata: { labels: { app: `r${i}` } },
        spec: { containers: [{ name: 'app', image }] },
      },
      strategy: {
        canary: {
          ...(o.traffic && {
            canaryService: `r${i}-canary`,
            stableService: `r${i}-stable`,
            trafficRouting: { istio: { virtualService: { name: `r${i}`, routes: ['primary'] } } },
          }),
          steps: [{ setWeight: 50 }, { pause: { duration: 2 } }, { setWeight: 100 }],
        },
      },
    },
  };
}

/** The traffic variant's Services and VirtualService for Rollout `i`. */
function routingObjects(i: number): KubeObject[] {
  const service = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NAMESPACE },
    spec: { selector: { app: `r${i}` }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  const destination = (host: string, weight: number) => ({ destination: { host }, weight });
  return [
    service(`r${i}-stable`),
    service(`r${i}-canary`),
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: `r${i}`, namespace: NAMESPACE },
      spec: {
        hosts: [`r${i}`],
        http: [
          { name: 'primary', route: [destination(`r${i}-stable`, 100), destination(`r${i}-canary`, 0)] },
        ],
      },
    },
  ];
}

async function inBatches(n: number, each: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += BATCH)
    await Promise.all(Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => each(i + k)));
}

/** Waits until no Event about a Rollout arrived for 5 s (at most 60 s); returns when the last one came. */
async function drainEvents(events: RolloutEventCounter): Promise<number> {
  const start = Date.now();
  let seen = events.total;
  let quietSince = Date.now();
  while (Date.now() - quietSince < 5_000 && Date.now() - start < 60_000) {
    await new Promise((r) => setTimeout(r, 250));
    if (events.total !== seen) {
      seen = events.total;
      quietSince = Date.now();
    }
  }
  return quietSince - start;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** BENCH_HEAP_SNAPSHOT=1 with BENCH_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2: a snapshot of the settled controller. */
async function heapSnapshot(pid: number): Promise<void> {
  if (process.env.BENCH_HEAP_SNAPSHOT !== '1') return;
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 30_000));
}

/** Fake nodes for the pods at their peak (fake nodes hold 2,000 pods each). */
function nodesFor(o: ScenarioOptions): number {
  return Math.max(2, Math.ceil((o.n * o.replicas * 2) / 2000) + 1);
}

export async function runScenario(
  impl: Implementation,
  o: ScenarioOptions,
  log: (m: string) => void,
): Promise<ScenarioResult> {
  const cluster = await LocalCluster.start({
    onProgress: (m) => log(m),
    readyTimeoutMs: 120_000,
    nodes: nodesFor(o),
  });
  const client = KubeClient.fromKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
  const watch = new RolloutWatch(client, NAMESPACE);
  const events = new RolloutEventCounter(client, NAMESPACE);
  let controller: Awaited<ReturnType<Implementation['start']>> | undefined;
  let rss: RssSampler | undefined;
  try {
    await impl.installCrds(client);
    if (o.traffic) await installTrafficCrds(client);
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    controller = await impl.start(cluster.kubeconfigPath, NAMESPACE);
    const { pid } = controller;
    rss = new RssSampler(pid);
    await watch.start();
    await events.start();
    const progress = (what: string) => (healthy: number) =>
      log(`${impl.name}: ${healthy}/${o.n} Healthy ${what}`);

    if (o.traffic) {
      log(`creating ${o.n} × (2 Services, 1 VirtualService)`);
      await inBatches(o.n, (i) => Promise.all(routingObjects(i).map((x) => client.create(x))));
    }
    log(`${impl.name}: creating ${o.n} Rollouts (${o.replicas} replicas each)`);
    watch.expectImage('app:v1');
    const loadAtCreate = loadAverages();
    const tCreate = Date.now();
    await inBatches(o.n, (i) => client.create(manifest(i, 'app:v1', o)));
    await watch.allHealthy(o.n, progress('on v1'));
    const createToAllHealthyMs = Date.now() - tCreate;
    log(`${impl.name}: all ${o.n} Healthy on v1 in ${(createToAllHealthyMs / 1000).toFixed(1)} s`);

    if (o.idle) {
      const cpuAtHealthy = cpuSeconds(pid);
      // what the controller still does once all are Healthy: reconciles and Events about Rollouts
      const metricsAtHealthy = await controller.scrape();
      events.count(true);
      log(`${impl.name}: settling ${o.settleSeconds} s`);
      await new Promise((r) => setTimeout(r, o.settleSeconds * 1000));
      // settled: the lowest of ten samples over 5 s (a GC in flight should not count)
      let settled = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 10; i++) {
        settled = Math.min(settled, rssBytes(pid));
        await new Promise((r) => setTimeout(r, 500));
      }
      const cpuSettled = cpuSeconds(pid) - cpuAtHealthy;
      events.count(false);
      const settledReconciles = controller.reconciles(metricsAtHealthy, await controller.scrape());
      await heapSnapshot(pid);
      return {
        implementation: impl.name,
        label: impl.label,
        n: o.n,
        replicas: o.replicas,
        load: { start: loadAtCreate, end: loadAverages() },
        createToAllHealthyMs,
        peakRssMiB: mib(rss.peak),
        settledRssMiB: mib(settled),
        cpuSeconds: round1(cpuSettled),
        eventsByReason: events.byReason,
        ...(settledReconciles !== undefined && { reconciles: settledReconciles }),
        watchRestarts: watch.restarts,
      };
    }

    log(`${impl.name}: updating all ${o.n} at once`);
    const metricsBefore = await controller.scrape();
    const apiBefore = await scrapeApiserver(cluster.kubeconfigPath);
    const cpuBefore = cpuSeconds(pid);
    const loadStart = loadAverages();
    rss.reset();
    events.count(true);
    watch.measuring = true;
    watch.expectImage('app:v2');
    const t0 = Date.now();
    await inBatches(o.n, (i) =>
      client.patch(
        { ...ROLLOUT_KIND, namespace: NAMESPACE, name: `r${i}` },
        { spec: { template: manifest(i, 'app:v2', o).spec?.template } },
        { type: 'merge' },
      ),
    );
    await watch.allHealthy(o.n, progress('on v2'));
    const totalMs = Date.now() - t0;
    watch.measuring = false;
    const cpu = cpuSeconds(pid) - cpuBefore;
    const peakRss = rss.peak;
    const loadEnd = loadAverages();
    // Both recorders write Events behind the reconciles (client-go's sink one at a time, Slipway's
    // from a backlog): count the update's writes until its Events are written too
    const drainedMs = await drainEvents(events);
    events.count(false);
    const metricsAfter = await controller.scrape();
    const api = summarizeApiWrites(apiBefore, await scrapeApiserver(cluster.kubeconfigPath));
    const reconciles = controller.reconciles(metricsBefore, metricsAfter);
    await heapSnapshot(pid);
    const summary = (xs: readonly number[]) => ({
      p50: percentile(xs, 50),
      p99: percentile(xs, 99),
      samples: xs.length,
    });
    return {
      implementation: impl.name,
      label: impl.label,
      n: o.n,
      replicas: o.replicas,
      load: { start: loadStart, end: loadEnd },
      createToAllHealthyMs,
      timeToAllHealthyMs: totalMs,
      eventsDrainedAfterMs: drainedMs,
      addedLatencyMs: summary(watch.latencies),
      addedLatencyByTriggerMs: {
        ready: summary(watch.byTrigger.ready),
        pause: summary(watch.byTrigger.pause),
        update: summary(watch.byTrigger.update),
      },
      updatePath: summarizePaths(watch.updatePaths()),
      peakRssMiB: mib(peakRss),
      cpuSeconds: round1(cpu),
      apiWrites: { total: api.total, top: api.byResource.slice(0, 14) },
      controllerWrites: controllerWrites(api, events, o.n, STEPS, o.n),
      eventsByReason: events.byReason,
      ...(reconciles !== undefined && {
        reconciles,
        reconcilesPerRolloutStep: Math.round((reconciles / (o.n * STEPS)) * 100) / 100,
      }),
      details: controller.details(metricsBefore, metricsAfter),
      watchRestarts: watch.restarts,
    };
  } finally {
    rss?.stop();
    await Promise.allSettled([watch.stop(), events.stop()]);
    await controller?.stop().catch(() => controller?.kill());
    client.close();
    await cluster.stop();
  }
}
