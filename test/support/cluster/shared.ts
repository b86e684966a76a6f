import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { slipwayCacheDir } from '../../../src/dev/cluster/binaries.js';
import { type ClusterState, LocalCluster, stopClusterState } from '../../../src/dev/cluster/local-cluster.js';
import { isAlive } from '../../../src/dev/cluster/processes.js';
import { installTrafficCrds } from '../../../src/dev/traffic-crds/index.js';
import { KubeClient } from '../../../src/kube/index.js';

export interface SharedTestCluster {
  readonly kubeconfigPath: string;
  /** JSON file describing the cluster (pids, logs) for tests that need more than the kubeconfig. */
  readonly infoPath: string;
  stop(): Promise<void>;
}

const runsDir = () => join(slipwayCacheDir(), 'test-runs');

/**
 * Kills clusters left behind by test runs whose runner died without tearing down (SIGKILL, OOM):
 * every run records its processes, and a record whose owner is gone is reaped.
 */
async function reapAbandonedClusters(): Promise<void> {
  if (!existsSync(runsDir())) return;
  for (const f of readdirSync(runsDir())) {
    const path = join(runsDir(), f);
    try {
      const state = JSON.parse(readFileSync(path, 'utf8')) as ClusterState;
      if (state.ownerPid !== null && isAlive(state.ownerPid)) continue;
      await stopClusterState(state);
    } catch {
      /* unreadable record: drop it */
    }
    rmSync(path, { force: true });
  }
}

/** Starts the one cluster an integration test run shares; tests isolate themselves by namespace. */
export async function startSharedTestCluster(): Promise<SharedTestCluster> {
  await reapAbandonedClusters();
  const started = Date.now();
  const cluster = await LocalCluster.start({
    onProgress: (m) => process.stderr.write(`[test-cluster] ${m}\n`),
    readyTimeoutMs: 90_000,
  });
  mkdirSync(runsDir(), { recursive: true });
  const record = join(runsDir(), `${process.pid}.json`);
  const state = cluster.state(process.pid);
  writeFileSync(record, JSON.stringify(state));
  // Every run has the upstream traffic CRDs (Istio, Gateway API, SMI) the routers work against.
  const crdsStarted = Date.now();
  const crdClient = KubeClient.fromKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
  try {
    const crds = await installTrafficCrds(crdClient);
    process.stderr.write(
      `[test-cluster] ${crds.length} upstream traffic CRDs established in ${Date.now() - crdsStarted} ms\n`,
    );
  } catch (err) {
    await cluster.stop();
    rmSync(record, { force: true });
    throw err;
  } finally {
    crdClient.close();
  }
  const infoPath = join(cluster.dir, 'cluster-info.json');
  writeFileSync(infoPath, JSON.stringify(state));
  process.stderr.write(`[test-cluster] ready in ${Date.now() - started} ms (${cluster.server})\n`);
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    infoPath,
    async stop() {
      await cluster.stop();
      rmSync(record, { force: true });
    },
  };
}
