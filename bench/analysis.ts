// 500 concurrent AnalysisRuns (interval 1 s) against one real Prometheus, with the AnalysisRun controller
// in-process on its own etcd + kube-apiserver. Prints scheduling lag (measurement start − due time,
// p50/p99), measurements per second and controller CPU, then one JSON line. No asserts on time.
//   node --import tsx bench/analysis.ts [--runs 500] [--seconds 30] [--workers 30]
import { registerAnalysisController } from '../src/analysis/index.js';
import { Manager } from '../src/core/index.js';
import { LocalCluster } from '../src/dev/cluster/index.js';
import { installCrds } from '../src/install/index.js';
import { Metrics, silentLogger } from '../src/observability/index.js';
import { launchPrometheus, MetricsApp, successRateQuery } from '../test/support/prometheus/index.js';

const args = new Map(process.argv.slice(2).map((a, i, all) => [a, all[i + 1] ?? '']));
const runs = Number(args.get('--runs') ?? 500);
const seconds = Number(args.get('--seconds') ?? 30);
const workers = Number(args.get('--workers') ?? 30);

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

const cluster = await LocalCluster.start({ components: [] });
const app = await MetricsApp.start();
app.setErrorRate('bench', 0.01);
const prometheus = await launchPrometheus({ targets: [app.target] });
const client = cluster.client();
const manager = new Manager({ client: cluster.client(), logger: silentLogger(), metrics: new Metrics() });
try {
  await installCrds(client);
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  for (let i = 0; i < 120; i++) {
    if (((await prometheus.query(successRateQuery('bench')))?.result.length ?? 0) > 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  let measuring = false;
  const lags: number[] = [];
  registerAnalysisController(manager, {
    namespace: 'bench',
    workers,
    onScheduled: (dueAt, startedAt) => {
      if (measuring) lags.push(startedAt - dueAt);
    },
  });
  await manager.start();
  await manager.waitForCacheSync();

  const createStarted = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < runs) {
        const i = next++;
        await client.create({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          metadata: { namespace: 'bench', name: `run-${i}` },
          spec: {
            args: [{ name: 'service-name', value: 'bench' }],
            metrics: [
              {
                name: 'success-rate',
                interval: '1s',
                successCondition: 'result[0] >= 0.95',
                failureLimit: 3,
                provider: { prometheus: { address: prometheus.url, query: successRateQuery() } },
              },
            ],
          },
        });
      }
    }),
  );
  console.log(`created ${runs} AnalysisRuns in ${((Date.now() - createStarted) / 1000).toFixed(1)} s`);
  await new Promise((r) => setTimeout(r, 5_000)); // warm-up: every run has started
  measuring = true;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  measuring = false;
  const sorted = [...lags].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const max = sorted[sorted.length - 1] ?? Number.NaN;
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  const perSecond = lags.length / (wallMs / 1000);
  console.log(
    `measurements: ${lags.length} in ${(wallMs / 1000).toFixed(1)} s (${perSecond.toFixed(0)}/s, ideal ~${runs}/s)`,
  );
  console.log(
    `scheduling lag (start − due): p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
  );
  console.log(`process CPU (controller, in-process): ${cpuPercent.toFixed(0)}% of one core`);
  const counted = async (name: string) =>
    ((await manager.metrics.registry.getSingleMetric(name)?.get())?.values ?? [])
      .map((v) => `${Object.values(v.labels).join('/')}=${v.value}`)
      .join(', ');
  console.log(
    `reconciles: ${await counted('slipway_reconcile_total')}; errors: ${(await counted('slipway_reconcile_errors_total')) || 'none'}`,
  );
  console.log(
    JSON.stringify({
      bench: 'analysis',
      runs,
      intervalSeconds: 1,
      workers,
      seconds: Math.round(wallMs / 1000),
      measurements: lags.length,
      measurementsPerSecond: Math.round(perSecond),
      lagP50Ms: Math.round(p50 * 10) / 10,
      lagP99Ms: Math.round(p99 * 10) / 10,
      lagMaxMs: Math.round(max * 10) / 10,
      cpuPercent: Math.round(cpuPercent),
    }),
  );
} finally {
  await manager.stop();
  client.close();
  await prometheus.dispose();
  await app.stop();
  await cluster.stop();
}
