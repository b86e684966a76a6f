import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One differential case, as main.go reads it: the template text and its JSON data. */
export interface TemplateCase {
  readonly template: string;
  readonly data: unknown;
}

/** What Go's text/template + sprig made of a case: the output, or an error with Go's message. */
export interface TemplateAnswer {
  readonly output?: string;
  readonly error?: boolean;
  readonly message?: string;
  /** Go died (stack overflow printing a value that contains itself); not a reference answer. */
  readonly crashed?: boolean;
}

const buildScript = fileURLToPath(new URL('./build.sh', import.meta.url));

/**
 * Builds (once; cached in ~/.cache/slipway/bin) the Go reference and returns its path, or the reason to
 * skip when Go is not installed.
 */
export function referenceBinary(): { readonly path?: string; readonly skip?: string } {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error !== undefined || go.status !== 0)
    return { skip: 'go is not installed; the Go template reference cannot be built' };
  const built = spawnSync('bash', [buildScript], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (built.status !== 0) throw new Error(`building the Go template reference failed:\n${built.stderr}`);
  return { path: built.stdout.trim().split('\n').pop() ?? '' };
}

/**
 * Answers every case with the Go reference (one process, one line per case). Printing a value that
 * contains itself (`{{merge .m .}}` with `.m` inside `.`) overflows Go's stack, a fatal error that kills
 * the process: the batch is then split until that case is alone, and it is answered as an error
 * (`crashed`), which is what ours must give (a bounded error, not a crash or a hang).
 */
export function askReference(binary: string, cases: readonly TemplateCase[]): TemplateAnswer[] {
  const input = `${cases.map((c) => JSON.stringify(c)).join('\n')}\n`;
  const run = spawnSync(binary, [], { input, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  if (run.status !== 0 && run.stderr.includes('stack overflow')) {
    if (cases.length === 1)
      return [{ error: true, crashed: true, message: 'Go: fatal error: stack overflow' }];
    // Each crash takes Go seconds (its stack grows to 1 GB first): split wide, not in halves.
    const size = Math.ceil(cases.length / 64);
    const parts: TemplateAnswer[][] = [];
    for (let i = 0; i < cases.length; i += size) parts.push(askReference(binary, cases.slice(i, i + size)));
    return parts.flat();
  }
  if (run.status !== 0) throw new Error(`Go template reference failed:\n${run.stderr}`);
  const lines = run.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== cases.length)
    throw new Error(`Go template reference answered ${lines.length} of ${cases.length} cases`);
  return lines.map((l) => JSON.parse(l) as TemplateAnswer);
}
