import { TemplateExecError, TemplateLimitError } from './errors.js';
import { type FuncContext, type GoFunc, type ParamType, paramTypeName } from './functions.js';
import type { ArgNode, CommandNode, VariableNode } from './nodes.js';
import { GoInt, isGoMap, typeName } from './values.js';

/** Marks "no value piped in from the previous command" (distinct from a missing value, `undefined`). */
export const NO_FINAL: unique symbol = Symbol('no final');
export type Final = unknown;

/** The executor state the evaluation functions need. */
export interface ExecState {
  readonly ctx: FuncContext;
  /** Go's `missingkey=error`. */
  readonly missingKeyError: boolean;
  tick(): void;
  fail(node: { readonly pos: number } & (ArgNode | CommandNode), message: string): never;
  lookupFunc(name: string): GoFunc | undefined;
  getVar(node: VariableNode): unknown;
  pushVar(name: string, value: unknown): void;
  setVar(node: VariableNode, value: unknown): void;
}

/** Function results that are strings count against the output cap. */
export function checkResult(s: ExecState, result: unknown): unknown {
  if (typeof result === 'string' && result.length > s.ctx.maxStringBytes) {
    throw new TemplateLimitError(`function result exceeds ${s.ctx.maxStringBytes} bytes`);
  }
  return result;
}

/** Reports a function's failure as Go's `error calling NAME: ...`; limit and exec errors pass through. */
export function wrapError(s: ExecState, node: ArgNode | CommandNode, name: string, err: unknown): never {
  if (err instanceof TemplateLimitError || err instanceof TemplateExecError) throw err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RangeError && /call stack/i.test(message)) {
    throw new TemplateLimitError(`error calling ${name}: maximum call stack size exceeded`);
  }
  return s.fail(node, `error calling ${name}: ${message}`);
}

/** Checks a value against a parameter type with Go's messages; missing values become nil for `any`. */
export function validateType(
  s: ExecState,
  node: ArgNode | CommandNode,
  value: unknown,
  type: ParamType,
): unknown {
  if (type === 'any') return value === undefined ? null : value;
  const expected = paramTypeName(type);
  const nillable = type === 'map' || type === 'list';
  if (value === undefined) return nillable ? null : s.fail(node, `invalid value; expected ${expected}`);
  if (type === 'int' && value instanceof GoInt && value.type === 'int') return value.value;
  const ok =
    (type === 'string' && typeof value === 'string') ||
    (type === 'bool' && typeof value === 'boolean') ||
    (type === 'number' && typeof value === 'number') ||
    (type === 'map' && isGoMap(value)) ||
    (type === 'list' && Array.isArray(value));
  if (ok) return value;
  const got = value === null ? 'interface {}' : typeName(value);
  return s.fail(node, `wrong type for value; expected ${expected}; got ${got}`);
}
