/**
 * `slipway lint -f FILE|DIR|- [-f …]`: checks manifests offline, the way the controllers will check
 * them (Argo's Rollout validation plus what Slipway cannot run, analysis templates and runs,
 * Applications, notification ConfigMaps), so a problem is found before `kubectl apply`. No cluster.
 * Prints `file:doc kind/name: message`; exit 0 clean, 1 problems, 2 usage.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatLintProblem,
  type LintDocument,
  type LintProblem,
  lintDocuments,
  parseLintDocuments,
} from '../../lint/index.js';
import { type Command, ExitCode, UsageError } from '../command.js';

/** Bounds on what one run reads: input is untrusted. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 10_000;
const STDIN = '<stdin>';
const MANIFEST = /\.(ya?ml|json)$/;

interface Input {
  readonly source: string;
  /** The content, or undefined when it is larger than MAX_FILE_BYTES (not read beyond that). */
  readonly read: () => string | undefined | Promise<string | undefined>;
}

/** A file's text unless it is too large (checked before reading). */
function readBounded(path: string): string | undefined {
  return statSync(path).size > MAX_FILE_BYTES ? undefined : readFileSync(path, 'utf8');
}

/** Standard input, read up to MAX_FILE_BYTES. */
async function readStdin(): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buffer.length;
    if (total > MAX_FILE_BYTES) {
      process.stdin.destroy();
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Files to read for one `-f` value: the file, stdin, or a directory's manifests (recursively). */
function collect(path: string, out: Input[], notes: LintProblem[]): void {
  if (path === '-') {
    out.push({ source: STDIN, read: readStdin });
    return;
  }
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`${path}: no such file or directory`);
  }
  if (stat.isFile()) {
    out.push({ source: path, read: () => readBounded(path) });
    return;
  }
  if (!stat.isDirectory()) throw new UsageError(`${path}: not a file or directory`);
  walk(path, out, notes);
}

function walk(dir: string, out: Input[], notes: LintProblem[]): void {
  const names = readdirSync(dir).sort();
  if (names.includes('Chart.yaml')) {
    notes.push({
      source: dir,
      message: 'skipped: a Helm chart; lint its rendered output (helm template … | slipway lint -f -)',
      severity: 'warning',
    });
    return;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const stat = lstatSync(path);
    // a symlinked directory is not followed (no cycles); a symlinked file is read
    if (stat.isDirectory()) walk(path, out, notes);
    else if (MANIFEST.test(name) && (stat.isFile() || (stat.isSymbolicLink() && statSync(path).isFile())))
      out.push({ source: path, read: () => readBounded(path) });
    if (out.length > MAX_FILES)
      throw new UsageError(`more than ${MAX_FILES} files to lint; narrow the -f paths`);
  }
}

export const lintCommand: Command = {
  path: ['lint'],
  summary:
    'Check manifests offline the way the controllers will (Argo validation plus what Slipway cannot run)',
  usage: '-f FILE|DIR|- [-f …]',
  options: {
    filename: {
      type: 'string',
      short: 'f',
      multiple: true,
      description: 'a manifest file, a directory (recursively) or - for stdin; repeatable',
    },
    'max-replicas': {
      type: 'string',
      description: "the controller's --max-replicas, for the replica ceiling check",
      default: '10000',
    },
  },
  async run(args) {
    const paths = (args.values.filename as string[] | undefined) ?? [];
    if (paths.length === 0) throw new UsageError('at least one -f FILE, DIR or - is required');
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument "${args.positionals[0]}"; use -f`);
    const maxReplicas = Number(args.values['max-replicas']);
    if (!Number.isInteger(maxReplicas) || maxReplicas < 0)
      throw new UsageError('--max-replicas must be a non-negative integer');
    const inputs: Input[] = [];
    const notes: LintProblem[] = [];
    for (const path of paths) collect(path, inputs, notes);

    const documents: LintDocument[] = [];
    const problems: LintProblem[] = [];
    for (const input of inputs) {
      const content = await input.read();
      if (content === undefined) {
        problems.push({
          source: input.source,
          message: `larger than ${MAX_FILE_BYTES} bytes; not read`,
          severity: 'error',
        });
        continue;
      }
      const parsed = parseLintDocuments(content, input.source);
      documents.push(...parsed.documents);
      problems.push(...parsed.problems);
    }
    const linted = lintDocuments(documents, { maxReplicas });
    // in input order: file by file, document by document
    const order = new Map(inputs.map((input, i) => [input.source, i]));
    const position = (p: LintProblem) => [order.get(p.source) ?? -1, p.index ?? 0] as const;
    const found = [...problems, ...linted.problems].sort((a, b) => {
      const [fa, da] = position(a);
      const [fb, db] = position(b);
      return fa - fb || da - db;
    });
    const all = [...notes, ...found];
    for (const p of all) process.stdout.write(`${formatLintProblem(p)}\n`);
    const errors = all.filter((p) => p.severity === 'error').length;
    process.stderr.write(
      `${linted.checked} objects checked in ${inputs.length} files: ${errors === 0 ? 'no problems' : `${errors} problem${errors === 1 ? '' : 's'}`}\n`,
    );
    return errors === 0 ? ExitCode.Ok : ExitCode.Failure;
  },
};
