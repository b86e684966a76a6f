import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/slipway.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `slipway ARGS --kubeconfig KUBECONFIG` as a user runs it (bin/slipway.js), waited for. */
export function slipwayCli(args: readonly string[], kubeconfig: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args, '--kubeconfig', kubeconfig], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same without blocking the test process, so several commands (one per cluster) run at once. */
export function slipwayCliAsync(args: readonly string[], kubeconfig: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--kubeconfig', kubeconfig], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
