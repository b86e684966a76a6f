import { SlipwayError } from '../errors/index.js';
import { BUILTINS } from './builtins.js';
import { TemplateExecError, TemplateLimitError } from './errors.js';
import { type ExecLimits, executeTemplate } from './exec.js';
import type { GoFunc } from './functions.js';
import { GoTime } from './go-time.js';
import { parseTemplates } from './parser.js';
import { withResultType } from './result-types.js';
import { SPRIG_FUNCS } from './sprig.js';
import { jsArgument, jsResult } from './values.js';

export type { TemplateErrorLocation } from './errors.js';
export { TemplateExecError, TemplateLimitError, TemplateParseError } from './errors.js';
export { GoDuration, parseGoDuration } from './go-duration.js';
export { GoTime, parseRfc3339, RFC3339, RFC3339_NANO } from './go-time.js';
export { createTimeNamespace, type TimeNamespace } from './time-namespace.js';
export { GoInt, type GoIntType } from './values.js';

/** Options for {@link parse}. */
export interface ParseOptions {
  /**
   * Extra template functions, called with untyped arguments (missing values arrive as `null`).
   * They override built-in and sprig functions of the same name. Default: none.
   */
  readonly funcs?: Readonly<Record<string, (...args: unknown[]) => unknown>>;
  /** Largest output (and largest string any function may build), in UTF-8 bytes. Default 1 MiB. */
  readonly maxOutputBytes?: number;
  /** Evaluation steps (nodes, commands, fields, range iterations) per execution. Default 1,000,000. */
  readonly maxSteps?: number;
  /** Nested `{{template}}` calls. Default 100. */
  readonly maxDepth?: number;
  /** Nesting of control structures and parentheses in the text. Default 100. */
  readonly maxNesting?: number;
  /**
   * Go's `Option("missingkey=...")`: `error` fails an execution that reads a missing map key;
   * `default` and `zero` print `<no value>` (map values are interfaces). Default `default`.
   */
  readonly missingKey?: 'default' | 'invalid' | 'zero' | 'error';
}

/** Options for {@link GoTemplate.execute}. */
export interface ExecuteOptions {
  /** Clock for `now`, `date`, `ago` and `time.Now`. Default: `new Date()` at the call. */
  readonly now?: Date;
  /** Execute this `{{define}}`d template instead of the root. Default: the root template. */
  readonly template?: string;
}

/** A parsed Go text/template (plus its `define`d templates), ready to execute. */
export interface GoTemplate {
  readonly name: string;
  /** Names of every template in the set, the root included. */
  readonly templateNames: readonly string[];
  execute(data: unknown, options?: ExecuteOptions): string;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_STEPS = 1_000_000;
export const DEFAULT_MAX_DEPTH = 100;
export const DEFAULT_MAX_NESTING = 100;

const STANDARD_FUNCS: ReadonlyMap<string, GoFunc> = new Map(
  Object.entries({ ...BUILTINS, ...SPRIG_FUNCS }).map(([name, fn]) => [name, withResultType(name, fn)]),
);

function userFunc(fn: (...args: unknown[]) => unknown): GoFunc {
  return { params: [], variadic: 'any', call: (args) => jsResult(fn(...args.map(jsArgument))) };
}

/**
 * Parses `text` as a Go text/template named `name`, with Go's builtins and the sprig subset.
 * Throws TemplateParseError (TEMPLATE_PARSE) or TemplateLimitError (TEMPLATE_LIMIT).
 */
export function parse(name: string, text: string, options: ParseOptions = {}): GoTemplate {
  const funcs = new Map(STANDARD_FUNCS);
  for (const [fnName, fn] of Object.entries(options.funcs ?? {})) funcs.set(fnName, userFunc(fn));
  const limits: ExecLimits = {
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
  };
  const { templates } = parseTemplates(
    name,
    text,
    (fn) => funcs.has(fn),
    options.maxNesting ?? DEFAULT_MAX_NESTING,
  );
  const set = { name, text, templates, funcs, missingKeyError: options.missingKey === 'error' };
  return {
    name,
    templateNames: [...templates.keys()],
    execute(data: unknown, execOptions: ExecuteOptions = {}): string {
      const clock = execOptions.now ?? new Date();
      const ctx = { now: () => GoTime.fromDate(clock), maxStringBytes: limits.maxOutputBytes };
      try {
        return executeTemplate(set, execOptions.template ?? name, data, limits, ctx);
      } catch (err) {
        if (err instanceof SlipwayError) throw err;
        if (err instanceof RangeError) {
          throw new TemplateLimitError(`template: ${name}: execution too deep (${err.message})`);
        }
        throw new TemplateExecError(
          `template: ${name}: ${err instanceof Error ? err.message : String(err)}`,
          undefined,
          {
            cause: err,
          },
        );
      }
    },
  };
}

/** Names of the functions every template can call (Go's builtins and sprig's), sorted. */
export function standardFunctionNames(): readonly string[] {
  return [...STANDARD_FUNCS.keys()].sort();
}
export {
  parseSemverConstraint,
  type SemverConstraint,
  type SemverConstraintOptions,
  SemverVersion,
  semverCompare,
} from './sprig-semver.js';
