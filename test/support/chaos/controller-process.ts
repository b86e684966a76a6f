// The ONE `slipway controller` process of a chaos run (every controller in it), started as a user starts
// it: `bin/slipway.js` (sources through tsx, as a clone runs) or the compiled `dist/` with the image's
// Node flags. The supervisor kills it (SIGKILL, or SIGTERM and a clean exit) and starts the next one
// at once; each incarnation appends to one log file.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../../src/dev/cluster/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export type ControllerRuntime =
  | { readonly kind: 'tsx' }
  /** `dist/` must be built already (bench/compiled-controller.ts `buildDist`). */
  | { readonly kind: 'compiled'; readonly nodeFlags: readonly string[] };

export interface ControllerProcessOptions {
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly runtime: ControllerRuntime;
  /** `--controllers` (comma-separated modules). Default: the controller's default, every module. */
  readonly controllers?: string;
  /** Extra environment (Slack URL, poll period, TMPDIR, sync dir). */
  readonly env: Readonly<Record<string, string>>;
  readonly logPath: string;
  /** Seconds a SIGTERMed process gets before the supervisor SIGKILLs it (reported as a hang). */
  readonly termGraceSeconds?: number;
}

export interface RestartStats {
  readonly starts: number;
  readonly sigkills: number;
  readonly sigterms: number;
  /** SIGTERMs that arrived while the process was still loading (before its handler): default action. */
  readonly sigtermsDuringStartup: number;
  /** SIGTERMed processes that exited with a non-zero code or had to be SIGKILLed. */
  readonly unclean: { readonly incarnation: number; readonly outcome: string }[];
  /** Incarnations that exited on their own (crashes). */
  readonly crashes: { readonly incarnation: number; readonly outcome: string }[];
  /** Milliseconds from spawn to `/readyz` answering 200, per incarnation that got there. */
  readonly readyMs: number[];
}

const exitOf = (child: ChildProcess) =>
  new Promise<string>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve(String(child.signalCode ?? child.exitCode));
    else child.once('exit', (code, signal) => resolve(String(signal ?? code)));
  });

export class ControllerProcess {
  private child: ChildProcess | undefined;
  private incarnation = 0;
  private expectedExit = false;
  private isReady = false;
  private readyWaiters: (() => void)[] = [];
  private readonly log: number;
  private readonly stats = {
    starts: 0,
    sigkills: 0,
    sigterms: 0,
    sigtermsDuringStartup: 0,
    unclean: [] as { incarnation: number; outcome: string }[],
    crashes: [] as { incarnation: number; outcome: string }[],
    readyMs: [] as number[],
  };

  constructor(private readonly options: ControllerProcessOptions) {
    this.log = openSync(options.logPath, 'a');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  restartStats(): RestartStats {
    return { ...this.stats, readyMs: [...this.stats.readyMs] };
  }

  /** Spawns the next incarnation; readiness is measured in the background. */
  async start(): Promise<void> {
    const [port] = await freePorts(1);
    const n = ++this.incarnation;
    const args = [
      'controller',
      `--namespace=${this.options.namespace}`,
      `--kubeconfig=${this.options.kubeconfigPath}`,
      `--metrics-port=${port}`,
      '--log-level=info',
      '--shutdown-timeout=5',
      ...(this.options.controllers !== undefined ? [`--controllers=${this.options.controllers}`] : []),
    ];
    const runtime = this.options.runtime;
    const argv =
      runtime.kind === 'tsx'
        ? [`${root}bin/slipway.js`, ...args]
        : [
            ...runtime.nodeFlags,
            '--input-type=module',
            '-e',
            `const { main } = await import(${JSON.stringify(new URL('dist/cli/main.js', `file://${root}`).href)}); process.exitCode = await main(process.argv.slice(1));`,
            ...args,
          ];
    writeSync(this.log, `\n==== incarnation ${n} (${new Date().toISOString()})\n`);
    const child = spawn(process.execPath, argv, {
      cwd: root,
      env: { ...process.env, ...this.options.env },
      stdio: ['ignore', this.log, this.log],
    });
    this.child = child;
    this.expectedExit = false;
    this.isReady = false;
    this.stats.starts += 1;
    child.once('exit', (code, signal) => {
      if (!this.expectedExit && this.child === child)
        this.stats.crashes.push({ incarnation: n, outcome: String(signal ?? code) });
    });
    void this.measureReady(child, port ?? 0, Date.now());
  }

  private async measureReady(child: ChildProcess, port: number, started: number): Promise<void> {
    while (child.exitCode === null && child.signalCode === null) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        if (this.child === child) {
          this.isReady = true;
          for (const w of this.readyWaiters.splice(0)) w();
        }
        this.stats.readyMs.push(Date.now() - started);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Resolves once the current incarnation answers /readyz (caches synced), or after `timeoutMs`. */
  async waitReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady) return true;
    let timer: NodeJS.Timeout | undefined;
    const ready = await Promise.race([
      new Promise<boolean>((resolve) => this.readyWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return ready;
  }

  /** Stops the current incarnation with `signal` and waits until it is gone. */
  async stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.expectedExit = true;
    const exited = exitOf(child);
    if (signal === 'SIGKILL') {
      this.stats.sigkills += 1;
      child.kill('SIGKILL');
      await exited;
    } else {
      this.stats.sigterms += 1;
      child.kill('SIGTERM');
      const grace = (this.options.termGraceSeconds ?? 20) * 1000;
      const timer = setTimeout(() => child.kill('SIGKILL'), grace);
      const outcome = await exited;
      clearTimeout(timer);
      if (outcome === 'SIGTERM' && !this.isReady) this.stats.sigtermsDuringStartup += 1;
      else if (outcome !== '0') this.stats.unclean.push({ incarnation: this.incarnation, outcome });
    }
    this.child = undefined;
  }

  /** Kills with `signal` and starts the next incarnation right away. */
  async restart(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  /** Final stop (SIGTERM) and closes the log. */
  async dispose(): Promise<void> {
    await this.stop('SIGTERM');
    closeSync(this.log);
  }
}
