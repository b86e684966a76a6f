import { spawnSync } from 'node:child_process';
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

/**
 * The same command run by the CLI's own `main` in this process (its output goes to this process's
 * stdout and stderr): for a test that runs several, one Node start instead of one per command, which
 * on a loaded machine is most of a command's time. Resolves with the exit code.
 */
export async function slipwayInProcess(args: readonly string[], kubeconfig: string): Promise<number> {
  const { main } = await import('../../../src/cli/main.js');
  return main([...args, '--kubeconfig', kubeconfig]);
}
