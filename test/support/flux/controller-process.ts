import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testKubeconfigPath } from '../kube.js';

const cli = fileURLToPath(new URL('../../../bin/slipway.js', import.meta.url));

/** `slipway controller --controllers flux` as it ships, in its own process. */
export class FluxControllerProcess {
  static readonly all = new Set<FluxControllerProcess>();

  private constructor(readonly proc: ChildProcess) {
    FluxControllerProcess.all.add(this);
  }

  static start(namespace: string, env: NodeJS.ProcessEnv = {}): Promise<FluxControllerProcess> {
    const proc = spawn(
      process.execPath,
      [
        cli,
        'controller',
        '--controllers',
        'flux',
        '--namespace',
        namespace,
        '--kubeconfig',
        testKubeconfigPath(),
        '--metrics-port',
        '0',
        '--shutdown-timeout',
        '5',
      ],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stderr?.resume();
    const started = new FluxControllerProcess(proc);
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`controller did not start within 60 s: ${out}`));
      }, 60_000);
      const onData = (chunk: string) => {
        out = (out + chunk).slice(-4096);
        if (out.includes('controller started')) {
          clearTimeout(timer);
          proc.stdout?.off('data', onData);
          proc.stdout?.resume();
          resolve(started);
        }
      };
      proc.stdout?.setEncoding('utf8').on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`controller exited early (${code}): ${out}`));
      });
    });
  }

  /** Stops the process with `signal` and waits until it is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill(signal);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
