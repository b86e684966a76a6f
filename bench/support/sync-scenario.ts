// The cold-sync scenario, one driver for every sync implementation (bench/support/sync-controllers.ts): a
// fresh local cluster with the implementation's CRDs, its controllers started, the same Git repository
// served over smart HTTP, N apps created (Applications, or a GitRepository and N Kustomizations), and the
// time until every one is done (Synced+Healthy / Ready after its health checks), with the controllers'
// peak RSS and CPU from /proc.
import { LocalCluster } from '../../src/dev/cluster/index.js';
import { KubeClient, type KubeObject, Reflector } from '../../src/kube/index.js';
import { serveGitRepository } from './git-http-backend.js';
import { cpuSeconds, loadAverages, mib, RssSampler } from './process-usage.js';
import {
  APP_NAMESPACE,
  DEST_NAMESPACE,
  type SyncImplementation,
  type SyncImplementationName,
} from './sync-controllers.js';
import type { SyncRepo } from './sync-repo.js';

export interface SyncScenarioOptions {
  readonly n: number;
  /** Give up after this long (the run is reported as incomplete). */
  readonly timeoutMs: number;
}

export interface SyncScenarioResult {
  readonly implementation: SyncImplementationName;
  readonly label: string;
  readonly n: number;
  /** Apps done when the run ended (n unless it timed out). */
  readonly done: number;
  /** First create to all done. */
  readonly coldToAllDoneMs: number;
  /** Summed over the implementation's processes, sampled together. */
  readonly peakRssMiB: number;
  /** CPU seconds of its processes (and of the tools they ran) from start to all done. */
  readonly cpuSeconds: number;
  readonly processes: number;
  readonly load: { readonly start: number[]; readonly end: number[] };
}

const CREATORS = 16;
const round1 = (x: number) => Math.round(x * 10) / 10;

export async function runSyncScenario(
  impl: SyncImplementation,
  repo: SyncRepo,
  o: SyncScenarioOptions,
  log: (m: string) => void,
): Promise<SyncScenarioResult> {
  const git = await serveGitRepository(repo.dir);
  const cluster = await LocalCluster.start({
    onProgress: (m) => log(m),
    readyTimeoutMs: 120_000,
    nodes: Math.max(2, Math.ceil(o.n / 2000) + 1),
  });
  const client = KubeClient.fromKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
  const watch = new Reflector<KubeObject>(client, { gvk: impl.gvk, namespace: APP_NAMESPACE });
  const done = new Set<string>();
  watch.onChange((obj, previous) => {
    const name = (obj ?? previous)?.metadata.name ?? '';
    if (obj !== undefined && impl.done(obj)) done.add(name);
    else done.delete(name);
  });
  let running: Awaited<ReturnType<SyncImplementation['start']>> | undefined;
  let rss: RssSampler | undefined;
  try {
    await impl.installCrds(client);
    for (const ns of new Set([APP_NAMESPACE, DEST_NAMESPACE]))
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    running = await impl.start(cluster.kubeconfigPath);
    const pids = running.pids;
    rss = new RssSampler(pids);
    watch.start();
    await watch.waitForSync();
    const cpuOf = (pid: number) => cpuSeconds(pid, { children: true });
    const cpu0 = pids.map(cpuOf);
    const loadStart = loadAverages();
    log(`${impl.name}: creating ${o.n} apps`);
    const t0 = Date.now();
    for (const obj of impl.shared(git.url)) await client.create(obj);
    let next = 0;
    await Promise.all(
      Array.from({ length: CREATORS }, async () => {
        for (let i = next++; i < o.n; i = next++) await client.create(impl.app(i, git.url));
      }),
    );
    log(`${impl.name}: created ${o.n} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    let lastLog = Date.now();
    while (done.size < o.n && Date.now() - t0 < o.timeoutMs) {
      await new Promise((r) => setTimeout(r, 100));
      if (Date.now() - lastLog >= 15_000) {
        lastLog = Date.now();
        log(`${impl.name}: ${done.size}/${o.n} done after ${((lastLog - t0) / 1000).toFixed(0)} s`);
      }
    }
    const elapsed = Date.now() - t0;
    const cpu = pids.reduce((sum, pid, k) => sum + cpuOf(pid) - (cpu0[k] ?? 0), 0);
    log(`${impl.name}: ${done.size}/${o.n} done in ${(elapsed / 1000).toFixed(1)} s`);
    return {
      implementation: impl.name,
      label: impl.label,
      n: o.n,
      done: done.size,
      coldToAllDoneMs: elapsed,
      peakRssMiB: mib(rss.peak),
      cpuSeconds: round1(cpu),
      processes: pids.length,
      load: { start: loadStart, end: loadAverages() },
    };
  } finally {
    rss?.stop();
    await watch.stop().catch(() => {});
    await running?.stop().catch(() => {});
    client.close();
    await cluster.stop();
    await git.close();
  }
}
