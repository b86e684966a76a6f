import type { Node } from './ast.js';
import { BUILTIN_NAMES } from './builtins.js';
import { checkTypes } from './check.js';
import { ExprBudgetError, ExprError, ExprEvalError } from './errors.js';
import { Evaluator } from './evaluate.js';
import type { Nature } from './natures.js';
import { natureOfValue } from './natures.js';
import { toHost } from './numbers.js';
import { parse } from './parser.js';
import { ownValue } from './values.js';

export interface CompileOptions {
  /** Deepest nesting the parser accepts (the tree may be four times as tall). Default 256. */
  readonly maxDepth?: number;
  /** Evaluation steps (visited nodes plus elements iterated) before EXPR_BUDGET. Default 100_000. */
  readonly budget?: number;
  /**
   * When true, unknown variables evaluate to nil and the environment stays untyped (argocd-notifications
   * triggers, `expr.Compile` without an env); when false they fail with `unknown name x` and evaluate checks
   * types against the environment's values first, as `expr.Env(env)` does (Argo Rollouts analysis).
   * Default false.
   */
  readonly allowUndefinedVariables?: boolean;
  /**
   * Functions the environment defines under a builtin's name (as `expr.Env(env)` does in Go): calls to them
   * go to the env's function, not the builtin. Default none.
   */
  readonly envFunctions?: readonly string[];
  /**
   * The environment the program will be evaluated against, when known at compile time (`expr.Env(env)`):
   * the compile-time check then uses its types, so a type error is reported as Go reports it (the
   * untyped check would name `unknown` where Go names the variable's type). Default: check untyped.
   */
  readonly env?: Readonly<Record<string, unknown>>;
}

export interface EvaluateOptions {
  /** Clock for `now()`. Default: the current time. */
  readonly now?: Date;
  /** Overrides the compile-time budget for this evaluation. */
  readonly budget?: number;
  /**
   * Return integral float64 values as GoFloat instead of plain numbers (differential tests against Go).
   * Default false.
   */
  readonly keepNumberKinds?: boolean;
}

export interface Program {
  readonly source: string;
  /** Evaluates against `env`; throws ExprEvalError or ExprBudgetError. */
  evaluate(env: Readonly<Record<string, unknown>>, options?: EvaluateOptions): unknown;
}

export const DEFAULT_BUDGET = 100_000;

/**
 * Parses and type-checks `source` once. Throws ExprSyntaxError (code EXPR_SYNTAX, or EXPR_TYPE for operands
 * whose types can never match) with line and column.
 */
export function compile(source: string, options: CompileOptions = {}): Program {
  const overridden = new Set(options.envFunctions ?? []);
  const builtins =
    overridden.size === 0 ? BUILTIN_NAMES : new Set([...BUILTIN_NAMES].filter((n) => !overridden.has(n)));
  const tree: Node = parse(source, { maxDepth: options.maxDepth ?? 256, builtins });
  const untyped = checkTypes(tree, options.env === undefined ? {} : { env: envNatures(options.env) });
  const allowUndefinedVariables = options.allowUndefinedVariables ?? false;
  return {
    source,
    evaluate(env, evaluateOptions = {}) {
      // As `expr.Env(env)`: with the environment's types known, a type error anywhere is a compile error.
      const checked = allowUndefinedVariables ? untyped : checkTypes(tree, { env: envNatures(env) });
      const evaluator = new Evaluator({
        env,
        now: evaluateOptions.now ?? new Date(),
        budget: evaluateOptions.budget ?? options.budget ?? DEFAULT_BUDGET,
        allowUndefinedVariables,
        typedEqualities: checked.typedEqualities,
      });
      try {
        const value = evaluator.run(tree);
        return evaluateOptions.keepNumberKinds === true ? value : toHost(value);
      } catch (err) {
        if (err instanceof ExprError) throw err;
        if (err instanceof RangeError && /call stack/i.test(err.message)) {
          throw new ExprBudgetError('evaluation nested too deeply; simplify the expression');
        }
        const reason = err instanceof Error ? err.message : String(err);
        throw new ExprEvalError(`evaluation failed: ${reason}`, { cause: err });
      }
    },
  };
}

function envNatures(env: Readonly<Record<string, unknown>>): Map<string, Nature> {
  const natures = new Map<string, Nature>();
  for (const name of Object.keys(env)) {
    const found = ownValue(env, name);
    if (found !== undefined) natures.set(name, natureOfValue(found.value));
  }
  return natures;
}
