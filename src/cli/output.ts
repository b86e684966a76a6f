import { stringify } from 'yaml';
import { UsageError } from './command.js';

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
