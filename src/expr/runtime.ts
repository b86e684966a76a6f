import { ExprBudgetError, ExprEvalError } from './errors.js';
import { isNumeric, numberValue } from './numbers.js';
import { formatValue, goTypeName } from './values.js';

/** What builtins may use from the evaluation in progress. */
export interface Runtime {
  /** The clock of this evaluation (`now()`). */
  readonly now: Date;
  /** Spends evaluation steps; throws ExprBudgetError when the budget is exhausted. */
  charge(steps: number): void;
}

/** Calls a predicate for one element; `acc` is the accumulator of `reduce`. */
export type Predicate = (item: unknown, index: number, acc?: unknown) => unknown;

export type BuiltinFunction = (args: readonly unknown[], runtime: Runtime) => unknown;
export type PredicateBuiltin = (
  collection: readonly unknown[],
  predicate: Predicate | undefined,
  extra: readonly unknown[],
  runtime: Runtime,
) => unknown;

export function budgetExceeded(budget: number): ExprBudgetError {
  return new ExprBudgetError(`evaluation exceeded its budget of ${budget} steps; simplify the expression`);
}

/** Throws unless `args` has between `min` and `max` entries. */
export function checkArity(name: string, args: readonly unknown[], min: number, max = min): void {
  if (args.length < min) throw new ExprEvalError(`not enough arguments to call ${name}`);
  if (args.length > max) throw new ExprEvalError(`too many arguments to call ${name}`);
}

export function expectNumber(name: string, value: unknown): number {
  if (!isNumeric(value)) throw invalidArgument(name, value);
  return numberValue(value);
}

export function expectString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw invalidArgument(name, value);
  return value;
}

export function expectInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidArgument(name, value);
  return value;
}

export function expectArray(name: string, value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) throw invalidArgument(name, value);
  return value;
}

export function invalidArgument(name: string, value: unknown): ExprEvalError {
  return new ExprEvalError(`invalid argument for ${name} (type ${goTypeName(value)})`);
}

/** A value as Go's `%v` prints it in error messages (whole, as Go does, up to a bound). */
export function preview(value: unknown): string {
  const text = formatValue(value);
  return text.length > 2048 ? `${text.slice(0, 2045)}...` : text;
}
