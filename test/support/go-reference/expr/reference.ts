import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One differential case, as main.go reads it. Results use {"$f": "NaN" | "+Inf" | "-Inf" | "-0"}. */
export type ReferenceCase =
  | { readonly mode: 'expr'; readonly expr: string }
  | { readonly mode: 'metric'; readonly success: string; readonly failure: string; readonly result: unknown };

/** What expr-lang/expr (mode expr) or Argo's EvaluateResult (mode metric) made of a case. */
export interface ReferenceAnswer {
  readonly ok: boolean;
  readonly phase?: string;
  readonly error?: string;
  /** Tagged value: {"int": "12"}, {"float": 1.5 | "NaN" | "+Inf" | "-Inf" | "-0"}, {"map": {...}}, JSON. */
  readonly value?: unknown;
}

const buildScript = fileURLToPath(new URL('./build.sh', import.meta.url));

/**
 * Builds (once; cached in ~/.cache/slipway/bin) the Go reference and returns its path, or undefined with
 * the reason when Go is not installed.
 */
export function referenceBinary(): { readonly path?: string; readonly skip?: string } {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error !== undefined || go.status !== 0)
    return { skip: 'go is not installed; the Go reference cannot be built' };
  const built = spawnSync('bash', [buildScript], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (built.status !== 0) throw new Error(`building the Go expr reference failed:\n${built.stderr}`);
  const path = built.stdout.trim().split('\n').pop() ?? '';
  return { path };
}

/** Answers every case with the Go reference (one process, one line per case). */
export function askReference(binary: string, cases: readonly ReferenceCase[]): ReferenceAnswer[] {
  const input = `${cases.map((c) => JSON.stringify(c)).join('\n')}\n`;
  const run = spawnSync(binary, [], { input, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`Go expr reference failed:\n${run.stderr}`);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== cases.length)
    throw new Error(`Go expr reference answered ${lines.length} of ${cases.length} cases`);
  return lines.map((l) => JSON.parse(l) as ReferenceAnswer);
}
