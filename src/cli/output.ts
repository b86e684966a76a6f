import { stringify } from 'yaml';
import { type OptionSpec, type ParsedArgs, stringOption, UsageError } from './command.js';

/** Prints a value as JSON or YAML (`-o json|yaml`). */
export function printObject(value: unknown, format: string | undefined): void {
  if (format === 'json') process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else if (format === 'yaml') process.stdout.write(stringify(value));
  else throw new UsageError(`unknown output format "${format}"; use json or yaml`);
}

/** Progress lines go to stderr so stdout stays machine-readable. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** `-o json|yaml` for read commands (default: a human-readable table). */
export const OUTPUT_OPTION: Readonly<Record<string, OptionSpec>> = {
  output: { type: 'string', short: 'o', description: 'json or yaml (default: a table)' },
};

/** Prints `value` when `-o` was given; returns false when the caller should print its table. */
export function printIfRequested(args: ParsedArgs, value: unknown): boolean {
  const format = stringOption(args, 'output');
  if (format === undefined) return false;
  printObject(value, format);
  return true;
}

/** Left-aligned columns separated by two spaces, trailing blanks trimmed. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
