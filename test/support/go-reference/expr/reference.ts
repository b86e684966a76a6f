import { fileURLToPath } from 'node:url';
import { askGoReference, buildGoReference } from '../go-reference.js';

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
  return buildGoReference(buildScript, 'expr');
}

/** Answers every case with the Go reference (one process, one line per case). */
export function askReference(binary: string, cases: readonly ReferenceCase[]): ReferenceAnswer[] {
  return askGoReference<ReferenceAnswer>(binary, cases, 'expr');
}
