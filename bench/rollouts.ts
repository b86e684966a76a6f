// Rollout controller benchmark: a local cluster, N Rollouts (2 replicas; setWeight 50 → pause 2s →
// setWeight 100) updated at once. Prints the time until all are Healthy again, the controller's added
// latency per step (trigger — ReplicaSets ready at their target, a pause expiring — to its next write,
// as seen by a watcher; p50/p99), the controller's RSS and CPU, and a final JSON line. No asserts.
// The controller is measured as it is deployed: `npm run build`, then the compiled `slipway controller
// --controllers rollouts` in its own process (see docs/decisions/001-tsx-runtime.md).
//
//   node --import tsx bench/rollouts.ts [--n 100] [--traffic]
//
// --traffic: the traffic-routed variant. Each Rollout gets stable and canary Services and an Istio
// VirtualService (the upstream CRDs are installed), and its steps set the weight through the router.
//
// Also prints the API server's own count of writes by resource during the update (whose writes the
// 2-core machine is spending its time on) and the controller's reconciles, queue waits and heap.
// BENCH_NODE_FLAGS replaces the V8 flags the image ships with (deploy/Dockerfile's ENTRYPOINT);
// BENCH_CONTROLLER_ARGS adds controller flags (e.g. --rollout-threads=128); BENCH_HEAP_SNAPSHOT=1 with
// BENCH_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2 writes a heap snapshot of the settled controller.
import { readFileSync } from 'node:fs';
import { LocalCluster } from '../src/dev/cluster/index.js';
import { installTrafficCrds } from '../src/dev/traffic-crds/index.js';
import { installCrds } from '../src/install/index.js';
import { KubeClient, type KubeObject } from '../src/kube/index.js';
import type { ReplicaSet, Rollout } from '../src/rollouts/index.js';
import { scrapeApiserver, summarizeApiWrites } from './apiserver-writes.js';
import {
  type CompiledController,
  startCompiledController,
  summarizeControllerWork,
} from './compiled-controller.js';
import { eventCensus, settledEvents } from './support/event-census.js';
import { numberOption } from './support/number-option.js';

type RolloutObject = Rollout & KubeObject;
const ROLLOUT = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;
const n = numberOption('--n', 100);
const traffic = process.argv.includes('--traffic');
const namespace = 'bench';
/** setWeight 50, pause, setWeight 100: the figures per step divide by this. */
const STEPS = 3;
const round2 = (x: number) => Math.round(x * 100) / 100;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const cluster = await LocalCluster.start({ onProgress: (m) => log(m), readyTimeoutMs: 120_000 });
const client = KubeClient.fromKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
let controller: CompiledController | undefined;
try {
  await installCrds(client);
  if (traffic) await installTrafficCrds(client);
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  controller = await startCompiledController(cluster.kubeconfigPath, namespace);
  const { child } = controller;
  const pid = child.pid ?? 0;
  const cpuTicks = () => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(f[11]) + Number(f[12]);
  };
  let maxRss = 0;
  const rssTimer = setInterval(() => {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    maxRss = Math.max(maxRss, Number(m?.[1] ?? 0) * 1024);
  }, 200);

  const manifest = (i: number, image: string): RolloutObject => ({
    ...ROLLOUT,
    metadata: { name: `r${i}`, namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: `r${i}` } },
      template: {
        metadata: { labels: { app: `r${i}` } },
        spec: { containers: [{ name: 'app', image }] },
      },
      strategy: {
        canary: {
          ...(traffic && {
            canaryService: `r${i}-canary`,
            stableService: `r${i}-stable`,
            trafficRouting: { istio: { virtualService: { name: `r${i}`, routes: ['primary'] } } },
          }),
          steps: [{ setWeight: 50 }, { pause: { duration: 2 } }, { setWeight: 100 }],
        },
      },
    },
  });

  /** The traffic variant's Services and VirtualService for Rollout `i`. */
  const routingObjects = (i: number): KubeObject[] => {
    const service = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { selector: { app: `r${i}` }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const destination = (host: string, weight: number) => ({ destination: { host }, weight });
    return [
      service(`r${i}-stable`),
      service(`r${i}-canary`),
      {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        metadata: { name: `r${i}`, namespace },
        spec: {
          hosts: [`r${i}`],
          http: [
            { name: 'primary', route: [destination(`r${i}-stable`, 100), destination(`r${i}-canary`, 0)] },
          ],
        },
      },
    ];
  };

  // watcher: triggers and the controller's next write
  const rollouts = new Map<string, RolloutObject>();
  const sets = new Map<string, ReplicaSet>();
  // trigger time and kind per rollout: 'ready' (its ReplicaSets at target) or 'pause' (expired)
  const pending = new Map<string, { at: number; kind: 'ready' | 'pause' }>();
  const latencies: number[] = [];
  const byKind = { ready: [] as number[], pause: [] as number[] };
  let measuring = false;
  const abort = new AbortController();
  const readyAtTarget = (name: string) => {
    const mine = [...sets.values()].filter((rs) => rs.metadata.ownerReferences?.some((o) => o.name === name));
    return (
      mine.length > 0 &&
      mine.every(
        (rs) =>
          (rs.spec?.replicas ?? 0) === (rs.status?.availableReplicas ?? 0) &&
          (rs.status?.replicas ?? 0) === (rs.spec?.replicas ?? 0),
      )
    );
  };
  const wrote = (name: string) => {
    const t = pending.get(name);
    if (t !== undefined && measuring) {
      const ms = Math.max(0, Date.now() - t.at);
      latencies.push(ms);
      byKind[t.kind].push(ms);
    }
    pending.delete(name);
  };
  const watch = async <T extends KubeObject>(
    kind: { apiVersion: string; kind: string },
    on: (o: T) => void,
  ) => {
    for (;;) {
      try {
        const list = await client.list<T>(kind, { namespace });
        for (const o of list.items) on(o);
        for await (const e of client.watch<T>(kind, {
          namespace,
          resourceVersion: list.metadata.resourceVersion ?? '',
          signal: abort.signal,
        }))
          if (e.type !== 'BOOKMARK') on(e.object);
      } catch {
        if (abort.signal.aborted) return;
      }
    }
  };
  void watch<RolloutObject>(ROLLOUT, (r) => {
    const name = r.metadata.name ?? '';
    const prev = rollouts.get(name);
    rollouts.set(name, r);
    if (prev !== undefined && JSON.stringify(prev.status) !== JSON.stringify(r.status)) wrote(name);
    const pause = r.status?.pauseConditions?.[0];
    if (pause !== undefined && !pending.has(name))
      pending.set(name, { at: Date.parse(pause.startTime) + 2000, kind: 'pause' });
  });
  void watch<ReplicaSet>({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }, (rs) => {
    const owner = rs.metadata.ownerReferences?.[0]?.name ?? '';
    const key = rs.metadata.name ?? '';
    const prev = sets.get(key);
    sets.set(key, rs);
    if (prev !== undefined && prev.spec?.replicas !== rs.spec?.replicas) wrote(owner);
    else if (
      readyAtTarget(owner) &&
      !pending.has(owner) &&
      rollouts.get(owner)?.status?.phase === 'Progressing'
    )
      pending.set(owner, { at: Date.now(), kind: 'ready' });
  });

  const allHealthy = async (image: string) => {
    for (;;) {
      const healthy = [...rollouts.values()].filter(
        (r) =>
          r.status?.phase === 'Healthy' &&
          JSON.stringify(r.spec?.template).includes(image) &&
          r.status.observedGeneration === String(r.metadata.generation),
      ).length;
      if (healthy === n) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  if (traffic) {
    log(`creating ${n} × (2 Services, 1 VirtualService)`);
    for (let i = 0; i < n; i += 20)
      await Promise.all(
        Array.from({ length: Math.min(20, n - i) }, (_, k) =>
          Promise.all(routingObjects(i + k).map((o) => client.create(o))),
        ),
      );
  }
  log(`creating ${n} rollouts`);
  for (let i = 0; i < n; i += 20)
    await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, (_, k) => client.create(manifest(i + k, 'app:v1'))),
    );
  await allHealthy('app:v1');
  log('all Healthy on v1; updating all at once');
  // the Events of the creation are all written before the update starts
  const eventsBefore = await settledEvents(client, namespace);
  const metricsBefore = await controller.scrape();
  const apiBefore = await scrapeApiserver(cluster.kubeconfigPath);
  const cpuBefore = cpuTicks();
  measuring = true;
  const t0 = Date.now();
  for (let i = 0; i < n; i += 20)
    await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, (_, k) =>
        client.patch(
          { ...ROLLOUT, namespace, name: `r${i + k}` },
          { spec: { template: manifest(i + k, 'app:v2').spec?.template } },
          { type: 'merge' },
        ),
      ),
    );
  await allHealthy('app:v2');
  const totalMs = Date.now() - t0;
  measuring = false;
  const cpuSeconds = (cpuTicks() - cpuBefore) / 100;
  // writes made after all-Healthy (the Event backlogs) count too: wait for every recorder to go quiet
  const events = eventCensus(eventsBefore, await settledEvents(client, namespace));
  const work = summarizeControllerWork(metricsBefore, await controller.scrape(), 'rollouts');
  const writes = summarizeApiWrites(apiBefore, await scrapeApiserver(cluster.kubeconfigPath));
  clearInterval(rssTimer);
  abort.abort();
  if (process.env.BENCH_HEAP_SNAPSHOT === '1') {
    // with BENCH_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2: a snapshot of the settled controller
    child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 30_000));
  }
  await controller.stop();

  const sorted = [...latencies].sort((a, b) => a - b);
  const pctOf = (xs: readonly number[], p: number) =>
    xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
  const pct = (p: number) => pctOf(sorted, p);
  const kindSummary = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { p50: pctOf(s, 50), p99: pctOf(s, 99), samples: s.length };
  };
  const result = {
    bench: traffic ? 'rollouts-traffic' : 'rollouts',
    n,
    reconciles: work.reconciles,
    reconcileErrors: work.errors,
    queueWaitMs: { p50AtMost: work.queueWaitP50AtMostS * 1000, p99AtMost: work.queueWaitP99AtMostS * 1000 },
    timeToAllHealthyMs: totalMs,
    addedLatencyMs: { p50: pct(50), p99: pct(99), samples: sorted.length },
    addedLatencyByTriggerMs: { ready: kindSummary(byKind.ready), pause: kindSummary(byKind.pause) },
    apiWrites: { total: writes.total, top: writes.byResource.slice(0, 12) },
    perRolloutStep: {
      steps: STEPS,
      reconciles: round2(work.reconciles / (n * STEPS)),
      writes: Object.fromEntries(writes.byResource.map((w) => [w.what, round2(w.count / (n * STEPS))])),
    },
    events,
    controllerMaxRssMiB: Math.round(maxRss / 1048576),
    controllerCpuSeconds: cpuSeconds,
  };
  process.stdout.write(
    `rollouts${traffic ? ' (Istio traffic routing)' : ''}: ${n} updated at once → all Healthy in ${(totalMs / 1000).toFixed(1)} s\n`,
  );
  process.stdout.write(
    `added latency per step (trigger → next write): p50 ${pct(50)} ms, p99 ${pct(99)} ms (${sorted.length} samples)\n`,
  );
  const { ready, pause } = result.addedLatencyByTriggerMs;
  process.stdout.write(
    `  after ReplicaSets ready: p50 ${ready.p50} ms, p99 ${ready.p99} ms (${ready.samples}); after a pause: p50 ${pause.p50} ms, p99 ${pause.p99} ms (${pause.samples})\n`,
  );
  process.stdout.write(
    `API server writes for the update (until Events settled): ${writes.total}: ${writes.byResource
      .slice(0, 12)
      .map((w) => `${w.what} ${w.count} (mean ${w.meanMs} ms)`)
      .join(', ')}\n`,
  );
  process.stdout.write(
    `per Rollout per step (${STEPS} steps): ${result.perRolloutStep.reconciles} reconciles; writes ${writes.byResource
      .map((w) => `${w.what} ${round2(w.count / (n * STEPS))}`)
      .join(', ')}\n`,
  );
  process.stdout.write(
    `Events during the update (created / occurrences): ${events
      .map((e) => `${e.what} ${e.created}/${e.occurrences}`)
      .join(', ')}\n`,
  );
  process.stdout.write(
    `controller: max RSS ${result.controllerMaxRssMiB} MiB, CPU ${cpuSeconds.toFixed(1)} s during the update\n`,
  );
  process.stdout.write(
    `controller work: ${work.reconciles} reconciles (${work.errors} failed, retried); queue wait p50 ≤ ${work.queueWaitP50AtMostS * 1000} ms, p99 ≤ ${work.queueWaitP99AtMostS * 1000} ms (histogram buckets); reconcile p99 ≤ ${work.reconcileDurationP99AtMostS * 1000} ms; event-loop lag p99 ${work.eventLoopLagP99Ms} ms, max ${work.eventLoopLagMaxMs} ms; heap ${work.heapUsedMiB}/${work.heapTotalMiB} MiB used/total, external ${work.externalMiB} MiB at the end\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  controller?.child.kill('SIGKILL');
  client.close();
  await cluster.stop();
}
process.exit(0);
