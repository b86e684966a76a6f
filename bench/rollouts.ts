// Rollout controller benchmark: a local cluster, N Rollouts (2 replicas; setWeight 50 → pause 2s →
// setWeight 100) updated at once. Prints the time until all are Healthy again, the controller's added
// latency per step (trigger — ReplicaSets ready at their target, a pause expiring — to its next write,
// as seen by a watcher; p50/p99), the controller's peak RSS and CPU, the API server's writes by
// resource and the controller's own writes by kind (per Rollout per step), reconciles, and a final
// JSON line. No asserts. Slipway is measured as it is deployed: `npm run build`, then the compiled
// `slipway controller --controllers rollouts` in its own process (docs/decisions/001-tsx-runtime.md).
//
//   npm run bench rollouts -- [--n 100] [--traffic] [--replicas 2]
//   npm run bench rollouts -- --against argo [--n 100] [--rounds 2] [--argo-tuned | --argo-defaults]
//   npm run bench rollouts -- --replicas 1 --idle 2000 [--against argo] [--settle 60]
//
// --against argo: each round runs Slipway, then Argo Rollouts v1.10.1's own controller (built from the
// Go module proxy, src/dev/argo-rollouts), each on a fresh local cluster with its own CRDs, the same
// driver code and manifests (bench/support/rollout-scenario.ts); then a table of both with the ratios
// Slipway / Argo. Argo runs tuned (--rollout-threads=64 --qps=1000 --burst=2000, so its client-side
// rate limit is not what is measured) unless --argo-defaults.
// --idle N: create N Rollouts, wait until all are Healthy, let the controller settle (--settle
// seconds, default 60) and report its settled RSS; no update.
// --traffic: each Rollout gets stable and canary Services and an Istio VirtualService (the upstream
// CRDs are installed), and its steps set the weight through the router.
//
// BENCH_NODE_FLAGS replaces the V8 flags the image ships with (deploy/Dockerfile's ENTRYPOINT);
// BENCH_CONTROLLER_ARGS adds Slipway controller flags (e.g. --rollout-threads=128); BENCH_HEAP_SNAPSHOT=1
// with BENCH_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2 writes a heap snapshot of the settled controller.
import {
  argoImplementation,
  type Implementation,
  slipwayImplementation,
} from './support/bench-controllers.js';
import { numberOption } from './support/number-option.js';
import { compare, printComparison, printRun } from './support/rollout-report.js';
import { runScenario, type ScenarioResult } from './support/rollout-scenario.js';

const args = process.argv.slice(2);
const stringOption = (name: string) => {
  const i = args.indexOf(name);
  return (
    args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? (i >= 0 ? args[i + 1] : undefined)
  );
};
const idleN = numberOption('--idle', 0);
const idle = idleN > 0;
const n = idle ? idleN : numberOption('--n', 100);
const against = stringOption('--against');
if (against !== undefined && against !== 'argo') {
  process.stderr.write(`--against ${against}: only "argo" is known\n`);
  process.exit(2);
}
const rounds = numberOption('--rounds', against === 'argo' ? 2 : 1);
const options = {
  n,
  replicas: numberOption('--replicas', 2),
  traffic: args.includes('--traffic'),
  idle,
  settleSeconds: numberOption('--settle', 60),
};
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

const slipway = slipwayImplementation();
const argo = argoImplementation(!args.includes('--argo-defaults'));
const order: Implementation[] = against === 'argo' ? [slipway, argo] : [slipway];
const results: (ScenarioResult & { round: number })[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const impl of order) {
    log(`round ${round}/${rounds}: ${impl.label}`);
    const r = await runScenario(impl, options, log);
    results.push({ ...r, round });
    printRun(r, round);
  }
}
const bench = idle ? 'rollouts-idle' : options.traffic ? 'rollouts-traffic' : 'rollouts';
if (against === 'argo') {
  const rows = compare(results);
  printComparison(rows, argo.label);
  process.stdout.write(
    `${JSON.stringify({ bench, against, n, replicas: options.replicas, rounds, comparison: rows, runs: results })}\n`,
  );
} else {
  process.stdout.write(`${JSON.stringify({ bench, n, replicas: options.replicas, runs: results })}\n`);
}
process.exit(0);
