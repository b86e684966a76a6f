// Argo Rollouts' own binaries beside Slipway on the test cluster: its kubectl plugin (run as a plain
// command with the test kubeconfig) and its controller (one namespace, its own ports, no leader
// election). Built from the Go module proxy on first use (src/dev/argo-rollouts), then cached.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureArgoRolloutsBinaries } from '../../../src/dev/argo-rollouts/index.js';
import { freePorts } from '../../../src/dev/cluster/index.js';
import { eventually, testKubeconfigPath } from '../kube.js';

let binaries: ReturnType<typeof ensureArgoRolloutsBinaries> | undefined;

/** The binaries, built once per machine (a cold build takes minutes: say so rather than look hung). */
export function argoBinaries(): ReturnType<typeof ensureArgoRolloutsBinaries> {
  binaries ??= ensureArgoRolloutsBinaries({
    onProgress: (line) => process.stderr.write(`[argo-rollouts] ${line}\n`),
  });
  return binaries;
}

export interface PluginRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kubectl-argo-rollouts ARGS` against the test cluster (no kubectl needed). */
export async function argoPlugin(...args: string[]): Promise<PluginRun> {
  const { plugin } = await argoBinaries();
  return new Promise((resolve) => {
    execFile(
      plugin,
      args,
      { env: { ...process.env, KUBECONFIG: testKubeconfigPath(), TERM: 'dumb' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Like `argoPlugin`, failing with its output when it exits non-zero. */
export async function argoPluginOk(...args: string[]): Promise<string> {
  const run = await argoPlugin(...args);
  if (run.code !== 0)
    throw new Error(`kubectl-argo-rollouts ${args.join(' ')} exited ${run.code}: ${run.stderr}${run.stdout}`);
  return run.stdout;
}

export interface ArgoController {
  readonly process: ChildProcess;
  /** Its log file (text format). */
  readonly logPath: string;
  /** SIGTERM, then waits for the process to exit (SIGKILL after 20 s); removes the log unless SLIPWAY_TEST_KEEP_LOGS is set. */
  stop(): Promise<void>;
}

/**
 * Starts Argo Rollouts' controller for `namespace` only (`--namespaced --namespace`), with its
 * metrics and healthz on free ports and leader election off; resolves once /healthz answers.
 */
export async function startArgoController(
  namespace: string,
  extraArgs: readonly string[] = [],
): Promise<ArgoController> {
  const { controller } = await argoBinaries();
  const [metricsPort = 0, healthzPort = 0] = await freePorts(2);
  const logDir = mkdtempSync(join(tmpdir(), 'argo-controller-'));
  const logPath = join(logDir, 'controller.log');
  const log = createWriteStream(logPath);
  const proc = spawn(
    controller,
    [
      `--kubeconfig=${testKubeconfigPath()}`,
      '--namespaced',
      `--namespace=${namespace}`,
      `--metricsPort=${metricsPort}`,
      `--healthzPort=${healthzPort}`,
      '--leader-elect=false',
      '--logformat=text',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  try {
    await eventually(
      'the Argo Rollouts controller to answer /healthz',
      async () => {
        if (gone) throw new Error(`it exited; log:\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
        const res = await fetch(`http://127.0.0.1:${healthzPort}/healthz`);
        return res.ok;
      },
      60_000,
      250,
    );
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  return {
    process: proc,
    logPath,
    async stop() {
      if (gone) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      log.end();
      if (!process.env.SLIPWAY_TEST_KEEP_LOGS) rmSync(logDir, { recursive: true, force: true });
    },
  };
}
