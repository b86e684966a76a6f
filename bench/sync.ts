import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Manager } from '../src/core/index.js';
import { LocalCluster } from '../src/dev/cluster/index.js';
import { installCrds } from '../src/install/index.js';
import { KubeClient } from '../src/kube/index.js';
import { Metrics, silentLogger } from '../src/observability/index.js';
import { type Application, registerSyncController } from '../src/sync/index.js';
import {
  fluxImplementation,
  slipwayFluxImplementation,
  slipwaySyncImplementation,
} from './support/sync-controllers.js';
import { appPath, makeSyncRepo } from './support/sync-repo.js';
import { compareSync, printSyncComparison, printSyncRun } from './support/sync-report.js';
import { runSyncScenario, type SyncScenarioResult } from './support/sync-scenario.js';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '1000' },
    n: { type: 'string' },
    edits: { type: 'string', default: '100' },
    settle: { type: 'string', default: '30' },
    against: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    'flux-defaults': { type: 'boolean', default: false },
    'skip-slipway-flux': { type: 'boolean', default: false },
    'skip-flux': { type: 'boolean', default: false },
  },
});
const N = Number(values.n ?? values.apps);
const EDITS = Number(values.edits);
const SETTLE_S = Number(values.settle);
const APP_NS = 'bench-apps';
const DEST = 'bench-workloads';
const log = (m: string) => process.stderr.write(`[bench/sync] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function main(): Promise<void> {
  log(`starting a local control plane for ${N} apps`);
  const cluster = await LocalCluster.start({ onProgress: (m) => log(m), readyTimeoutMs: 120_000 });
  const repo = makeSyncRepo(N);
  const client = KubeClient.fromKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
  const workDir = mkdtempSync(join(tmpdir(), 'slipway-bench-sync-'));
  try {
    await installCrds(client);
    for (const ns of [APP_NS, DEST])
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const manager = new Manager({ client, logger: silentLogger(), metrics: new Metrics() });
    const handle = registerSyncController(manager, {
      workDir,
      workers: 16,
      credentials: { credentialsFor: async () => undefined },
    });
    await manager.start();
    const apps = manager.informer<Application>({
      gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' },
    });
    const start = performance.now();
    const queue = Array.from({ length: N }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          await client.create({
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Application',
            metadata: { name: `app-${i}`, namespace: APP_NS },
            spec: {
              project: 'default',
              source: { repoURL: repo.url, targetRevision: 'main', path: appPath(i) },
              destination: { server: 'https://kubernetes.default.svc', namespace: DEST },
              syncPolicy: { automated: { prune: true, selfHeal: true } },
            },
          });
        }
      }),
    );
    log(`created ${N} applications in ${Math.round(performance.now() - start)} ms`);
    let ready = 0;
    for (;;) {
      ready = apps.store
        .list()
        .filter((a) => a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy').length;
      if (ready >= N) break;
      if (performance.now() - start > 900_000)
        throw new Error(`only ${ready}/${N} apps Synced+Healthy after 15 min`);
      await sleep(500);
    }
    const coldMs = performance.now() - start;
    log(`all ${N} apps Synced and Healthy after ${(coldMs / 1000).toFixed(1)} s`);

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(SETTLE_S * 1000);
    const cpu = process.cpuUsage(cpu0);
    const steadyCpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100;
    const rssMiB = process.memoryUsage().rss / 1024 / 1024;
    log(`steady state: ${steadyCpuPercent.toFixed(1)}% of one core, RSS ${rssMiB.toFixed(0)} MiB`);

    const heal: number[] = [];
    for (let k = 0; k < EDITS; k++) {
      const name = `app-${Math.floor(Math.random() * N)}`;
      const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: DEST, name };
      const edited = performance.now();
      await client.patch(
        ref,
        { data: { LOG_LEVEL: `debug-${k}` } },
        { type: 'merge', fieldManager: 'kubectl-edit' },
      );
      for (;;) {
        const cm = (await client.get(ref)) as { data?: Record<string, string> };
        if (cm.data?.LOG_LEVEL === 'info') break;
        if (performance.now() - edited > 60_000) throw new Error(`edit of ${name} not healed after 60 s`);
        await sleep(20);
      }
      heal.push(performance.now() - edited);
    }
    const p50 = percentile(heal, 50);
    const p99 = percentile(heal, 99);
    log(`drift-to-heal over ${EDITS} edits: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`);
    const peakRssMiB = process.memoryUsage().rss / 1024 / 1024;
    handle.stop();
    await manager.stop();
    process.stdout.write(
      `${JSON.stringify({ bench: 'sync', apps: N, coldSyncSeconds: +(coldMs / 1000).toFixed(1), steadyCpuPercent: +steadyCpuPercent.toFixed(1), rssMiB: +rssMiB.toFixed(0), peakRssMiB: +peakRssMiB.toFixed(0), healP50Ms: +p50.toFixed(0), healP99Ms: +p99.toFixed(0), edits: EDITS })}\n`,
    );
  } finally {
    client.close();
    await cluster.stop();
    rmSync(repo.root, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * `--against flux`: each round runs Slipway's sync module (Applications), Flux's own controllers and
 * Slipway's flux module (the same Kustomizations), each on a fresh cluster, then prints the table.
 * `--skip-flux` leaves Flux's own controllers out (Slipway's two dialects side by side).
 */
async function against(): Promise<void> {
  const impls = [
    slipwaySyncImplementation(),
    ...(values['skip-flux'] ? [] : [fluxImplementation(!values['flux-defaults'])]),
    ...(values['skip-slipway-flux'] ? [] : [slipwayFluxImplementation()]),
  ];
  const rounds = Number(values.rounds);
  const repo = makeSyncRepo(N);
  const results: (SyncScenarioResult & { round: number })[] = [];
  try {
    for (let round = 1; round <= rounds; round++)
      for (const impl of impls) {
        log(`round ${round}/${rounds}: ${impl.label}`);
        const r = await runSyncScenario(impl, repo, { n: N, timeoutMs: 1_200_000 }, log);
        results.push({ ...r, round });
        printSyncRun(r, round);
      }
  } finally {
    rmSync(repo.root, { recursive: true, force: true });
  }
  const rows = compareSync(results);
  printSyncComparison(rows, Object.fromEntries(impls.map((i) => [i.name, i.name])));
  process.stdout.write(
    `${JSON.stringify({ bench: 'sync', against: 'flux', n: N, rounds, labels: Object.fromEntries(impls.map((i) => [i.name, i.label])), comparison: rows, runs: results })}\n`,
  );
}

if (values.against === undefined) await main();
else if (values.against === 'flux') await against();
else {
  process.stderr.write(`--against ${values.against}: only "flux" is known\n`);
  process.exit(2);
}
