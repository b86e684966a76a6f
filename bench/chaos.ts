// Chaos bench (issue 12): its own local cluster; 20 Rollouts with step notifications and 10 Applications
// with commits and drift while ONE `slipway controller` process (every controller; the compiled dist/
// with the image's Node flags, or the sources with --tsx) is SIGKILLed every 1-8 s, at least 100 times.
// Then the invariants: no duplicate/orphan/wrongly scaled ReplicaSet, every Rollout Healthy on its last
// revision, every Application Synced at the last commit with its drift healed, every completed step
// notified exactly once with its own step number. Prints the figures and a JSON line; exits 1 when an
// invariant failed (never on time).
//
//   node --import tsx bench/chaos.ts [--rollouts 20] [--apps 10] [--kills 100] [--seed N] [--tsx]
//                                    [--sigterm-every 0] [--settle-seconds 300] [--keep]
//   npm run bench chaos -- --kills=20 --seed=7
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCluster } from '../src/dev/cluster/index.js';
import { installCrds } from '../src/install/index.js';
import { KubeClient } from '../src/kube/index.js';
import { chaosSummary, formatChaosReport, isChaosClean, runChaos } from '../test/support/chaos/index.js';
import { buildDist, shippedNodeFlags } from './compiled-controller.js';
import { numberOption } from './support/number-option.js';

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const args = process.argv.slice(2);
const useTsx = args.includes('--tsx');
const keep = args.includes('--keep');
const seed = numberOption('--seed', Math.floor(Math.random() * 2 ** 31));

if (!useTsx) buildDist();
const cluster = await LocalCluster.start({ onProgress: (m) => log(m), readyTimeoutMs: 120_000 });
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: stopping the cluster (work dir kept)`);
    void cluster.stop().finally(() => process.exit(130));
  });
const client = KubeClient.fromKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
const workDir = mkdtempSync(join(tmpdir(), 'slipway-chaos-bench-'));
let clean = false;
try {
  await installCrds(client);
  const namespace = 'chaos';
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const report = await runChaos({
    client,
    kubeconfigPath: cluster.kubeconfigPath,
    namespace,
    workDir,
    runtime: useTsx
      ? { kind: 'tsx' }
      : {
          kind: 'compiled',
          nodeFlags: (process.env.BENCH_NODE_FLAGS ?? shippedNodeFlags()).split(' ').filter(Boolean),
        },
    rollouts: numberOption('--rollouts', 20),
    rolloutReplicas: numberOption('--replicas', 2),
    applications: numberOption('--apps', 10),
    kills: numberOption('--kills', 100),
    sigtermEvery: numberOption('--sigterm-every', 0),
    killIntervalMs: [1_000, 8_000],
    updateGapMs: [500, 2_500],
    commitGapMs: [2_000, 6_000],
    driftGapMs: [1_500, 4_000],
    settleTimeoutMs: numberOption('--settle-seconds', 300) * 1000,
    seed,
    log,
  });
  clean = isChaosClean(report);
  process.stdout.write(`${formatChaosReport(report)}\n`);
  process.stdout.write(`${JSON.stringify(chaosSummary(report))}\n`);
} finally {
  client.close();
  await cluster.stop();
  if (clean && !keep) rmSync(workDir, { recursive: true, force: true });
  else log(`work dir kept: ${workDir}`);
}
process.exit(clean ? 0 : 1);
