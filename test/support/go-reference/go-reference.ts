/**
 * The Go references of the differential tests (expr, health, …): small Go programs beside a build.sh that
 * builds them once against the published modules (cached in ~/.cache/slipway/bin) and prints the binary's
 * path; they read one JSON case per line on stdin and answer one JSON line per case.
 */
import { spawnSync } from 'node:child_process';

/**
 * Builds the reference with `buildScript` (a no-op when cached) and returns its path, or why it is
 * skipped when Go is not installed.
 */
export function buildGoReference(
  buildScript: string,
  what: string,
): { readonly path?: string; readonly skip?: string } {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error !== undefined || go.status !== 0)
    return { skip: `go is not installed; the Go ${what} reference cannot be built` };
  const built = spawnSync('bash', [buildScript], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (built.status !== 0) throw new Error(`building the Go ${what} reference failed:\n${built.stderr}`);
  return { path: built.stdout.trim().split('\n').pop() ?? '' };
}

/** One answer per case from the reference at `binary` (one process, one JSON line each way). */
export function askGoReference<A>(binary: string, cases: readonly unknown[], what: string): A[] {
  const input = `${cases.map((c) => JSON.stringify(c)).join('\n')}\n`;
  const run = spawnSync(binary, [], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`Go ${what} reference failed (exit ${run.status}):\n${run.stderr}`);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== cases.length)
    throw new Error(`Go ${what} reference answered ${lines.length} of ${cases.length} cases`);
  return lines.map((l) => JSON.parse(l) as A);
}
