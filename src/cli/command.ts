import { parseArgs } from 'node:util';
import { SlipwayError } from '../errors/index.js';

/** Exit codes every command uses. */
export const ExitCode = { Ok: 0, Failure: 1, Usage: 2, NotFound: 3 } as const;

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly description: string;
  readonly default?: string | boolean;
  readonly multiple?: boolean;
}

export interface Command {
  /** Words that select the command, e.g. ["dev", "cluster", "up"]. */
  readonly path: readonly string[];
  readonly summary: string;
  readonly usage?: string;
  readonly options?: Readonly<Record<string, OptionSpec>>;
  run(args: ParsedArgs): Promise<number>;
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

export class UsageError extends SlipwayError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  kubeconfig: {
    type: 'string',
    description: 'path to a kubeconfig (default: $KUBECONFIG, ~/.kube/config, in-cluster)',
  },
  context: { type: 'string', description: 'kubeconfig context to use' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const specs = { ...GLOBAL_OPTIONS, ...(command.options ?? {}) };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, s] of Object.entries(specs)) {
    options[name] = {
      type: s.type,
      ...(s.short && { short: s.short }),
      ...(s.multiple && { multiple: true }),
    };
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
    const withDefaults: Record<string, string | boolean | string[] | undefined> = {};
    for (const [name, s] of Object.entries(specs))
      withDefaults[name] = (values as Record<string, never>)[name] ?? s.default;
    return { values: withDefaults, positionals };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('\n')[0]!.toLowerCase() : String(err));
  }
}

export function commandHelp(command: Command): string {
  const specs = { ...(command.options ?? {}), ...GLOBAL_OPTIONS };
  const lines = [
    `${command.summary}`,
    '',
    `usage: slipway ${command.path.join(' ')}${command.usage ? ` ${command.usage}` : ''} [options]`,
    '',
    'options:',
  ];
  for (const [name, s] of Object.entries(specs)) {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.type === 'string' ? ' VALUE' : ''}`;
    const def = s.default !== undefined && s.default !== false ? ` (default ${String(s.default)})` : '';
    lines.push(`  ${flag.padEnd(28)} ${s.description}${def}`);
  }
  return lines.join('\n');
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function booleanOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
