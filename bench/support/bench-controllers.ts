// The two Rollout controllers the bench runs side by side, behind one shape: install the
// implementation's own CRDs, start its controller on one namespace as its own process, and read what
// it says about its work. Slipway: the compiled `slipway controller --controllers rollouts` (as the
// image runs it). Argo: Argo Rollouts v1.10.1's controller built from the Go module proxy
// (src/dev/argo-rollouts), with the CRDs from that module's manifests/crds.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARGO_ROLLOUTS_VERSION, ensureArgoRolloutsBinaries } from '../../src/dev/argo-rollouts/index.js';
import { freePorts } from '../../src/dev/cluster/index.js';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import { startCompiledController, summarizeControllerWork } from '../compiled-controller.js';
import { sumSamples, writesByLabels } from './metrics-text.js';

export type ImplementationName = 'slipway' | 'argo';

export interface RunningController {
  readonly pid: number;
  /** The controller's /metrics text. */
  scrape(): Promise<string>;
  /** Reconciles between two scrapes, when the implementation counts them. */
  reconciles(before: string, after: string): number | undefined;
  /** Implementation-specific figures between two scrapes (printed, kept in the JSON). */
  details(before: string, after: string): Record<string, unknown>;
  stop(): Promise<void>;
  kill(): void;
}

export interface Implementation {
  readonly name: ImplementationName;
  /** What ran, e.g. "Argo Rollouts v1.10.1 (tuned: …)". */
  readonly label: string;
  installCrds(client: KubeClient): Promise<void>;
  start(kubeconfigPath: string, namespace: string): Promise<RunningController>;
}

export function slipwayImplementation(): Implementation {
  let built = false;
  return {
    name: 'slipway',
    label: `Slipway (compiled controller${process.env.BENCH_CONTROLLER_ARGS ? ` ${process.env.BENCH_CONTROLLER_ARGS}` : ''})`,
    async installCrds(client) {
      await installCrds(client);
    },
    async start(kubeconfigPath, namespace) {
      const c = await startCompiledController(kubeconfigPath, namespace, ['rollouts'], { build: !built });
      built = true;
      return {
        pid: c.child.pid ?? 0,
        scrape: () => c.scrape(),
        reconciles: (before, after) => summarizeControllerWork(before, after, 'rollouts').reconciles,
        details: (before, after) => summarizeControllerWork(before, after, 'rollouts'),
        stop: () => c.stop(),
        kill: () => c.child.kill('SIGKILL'),
      };
    },
  };
}

/** Argo's flags that lift its client-side rate limit and worker count (the issue's "tuned"). */
export const ARGO_TUNED_ARGS = ['--rollout-threads=64', '--qps=1000', '--burst=2000'] as const;

export function argoCrdDir(): string {
  const gopath = process.env.GOPATH ?? join(homedir(), 'go');
  return join(
    gopath,
    'pkg',
    'mod',
    'github.com',
    'argoproj',
    `argo-rollouts@${ARGO_ROLLOUTS_VERSION}`,
    'manifests',
    'crds',
  );
}

export function argoImplementation(tuned: boolean): Implementation {
  const args = tuned ? [...ARGO_TUNED_ARGS] : [];
  return {
    name: 'argo',
    label: `Argo Rollouts ${ARGO_ROLLOUTS_VERSION} (${tuned ? `tuned: ${args.join(' ')}` : 'defaults: QPS 40, burst 80, 10 workers'})`,
    async installCrds(client) {
      // the module's manifests/crds is in the Go module cache once the controller was built
      await ensureArgoRolloutsBinaries({ onProgress: (m) => process.stderr.write(`[argo-rollouts] ${m}\n`) });
      await installCrds(client, { crdDir: argoCrdDir() });
    },
    start: (kubeconfigPath, namespace) => startArgo(kubeconfigPath, namespace, args),
  };
}

async function startArgo(
  kubeconfigPath: string,
  namespace: string,
  extraArgs: readonly string[],
): Promise<RunningController> {
  const { controller } = await ensureArgoRolloutsBinaries();
  const [metricsPort = 0, healthzPort = 0] = await freePorts(2);
  const logPath = join(mkdtempSync(join(tmpdir(), 'bench-argo-')), 'controller.log');
  const log = createWriteStream(logPath);
  const child: ChildProcess = spawn(
    controller,
    [
      `--kubeconfig=${kubeconfigPath}`,
      '--namespaced',
      `--namespace=${namespace}`,
      `--metricsPort=${metricsPort}`,
      `--healthzPort=${healthzPort}`,
      '--leader-elect=false',
      '--logformat=text',
      '--loglevel=warn',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  for (let i = 0; ; i++) {
    if (child.exitCode !== null)
      throw new Error(
        `argo controller exited with ${child.exitCode}: ${readFileSync(logPath, 'utf8').slice(-2000)}`,
      );
    const ok = await fetch(`http://127.0.0.1:${healthzPort}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 600) throw new Error(`argo controller not healthy after 60 s; log: ${logPath}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise((r) => child.once('exit', r));
  return {
    pid: child.pid ?? 0,
    scrape: () => fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text()),
    reconciles: (before, after) =>
      sumSamples(after, 'rollout_reconcile_count') - sumSamples(before, 'rollout_reconcile_count'),
    details: (before, after) => ({
      reconcileErrors:
        sumSamples(after, 'rollout_reconcile_error') - sumSamples(before, 'rollout_reconcile_error'),
      // Argo's own client-side count of its write requests by verb (its `kind` label is sometimes
      // the object's name)
      ownWrites: writesByLabels(before, after, 'controller_clientset_k8s_request_total', ['verb']),
      logPath,
    }),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
    kill: () => child.kill('SIGKILL'),
  };
}
