import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  type AnalysisTemplateLike,
  type Argument,
  buildAnalysisRunSpec,
  evaluateOnce,
  ProviderRegistry,
} from '../../analysis/index.js';
import { createLogger } from '../../observability/index.js';
import { type Command, ExitCode, stringOption, UsageError } from '../command.js';

function readTemplates(path: string): AnalysisTemplateLike[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read template file "${path}"`);
  }
  const templates: AnalysisTemplateLike[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new UsageError(`${path}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
    const obj = doc.toJS() as { kind?: string; spec?: unknown } | null;
    if (obj?.kind === 'AnalysisTemplate' || obj?.kind === 'ClusterAnalysisTemplate')
      templates.push(obj as AnalysisTemplateLike);
  }
  if (templates.length === 0)
    throw new UsageError(`${path} holds no AnalysisTemplate or ClusterAnalysisTemplate`);
  return templates;
}

function parseArgs(values: readonly string[]): Argument[] {
  return values.map((kv) => {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--arg must be NAME=VALUE, got "${kv}"`);
    return { name: kv.slice(0, eq), value: kv.slice(eq + 1) };
  });
}

export const analysisRunCommand: Command = {
  path: ['analysis', 'run'],
  summary:
    'Evaluate an AnalysisTemplate once against live providers and print each metric’s value and verdict',
  options: {
    template: {
      type: 'string',
      description: 'file with AnalysisTemplate / ClusterAnalysisTemplate documents',
    },
    arg: { type: 'string', multiple: true, description: 'template argument NAME=VALUE (repeatable)' },
    prometheus: { type: 'string', description: 'use this Prometheus address for every prometheus metric' },
    timeout: { type: 'string', description: 'overall time limit in seconds', default: '60' },
  },
  async run(args) {
    const path = stringOption(args, 'template');
    if (path === undefined) throw new UsageError('--template is required');
    const rawArgs = args.values.arg;
    const provided = parseArgs(
      Array.isArray(rawArgs) ? rawArgs : typeof rawArgs === 'string' ? [rawArgs] : [],
    );
    const built = buildAnalysisRunSpec(readTemplates(path), provided);
    if (!built.ok) throw new UsageError(built.message);
    const secretArg = built.spec.args?.find((a) => a.value === undefined);
    if (secretArg !== undefined)
      throw new UsageError(`args.${secretArg.name} comes from a secret; pass --arg ${secretArg.name}=VALUE`);
    const prometheus = stringOption(args, 'prometheus');
    const verdicts = await evaluateOnce(built.spec, {
      providers: new ProviderRegistry(undefined),
      logger: createLogger({ level: 'warn', destination: process.stderr }),
      ...(prometheus !== undefined && { prometheusAddress: prometheus }),
      signal: AbortSignal.timeout(Number(stringOption(args, 'timeout') ?? '60') * 1000),
    });
    for (const v of verdicts) {
      process.stdout.write(`${v.name}\n`);
      if (v.query !== undefined)
        process.stdout.write(`  query:   ${v.query.trim().replace(/\n\s*/g, ' ')}\n`);
      process.stdout.write(`  value:   ${v.value ?? '-'}\n  verdict: ${v.phase}\n`);
      if (v.message !== undefined) process.stdout.write(`  message: ${v.message}\n`);
    }
    return verdicts.every((v) => v.phase === 'Successful') ? ExitCode.Ok : ExitCode.Failure;
  },
};
