import { SlipwayError } from '../errors/index.js';

/** Stable error codes of the expression language. */
export const ExprErrorCode = {
  syntax: 'EXPR_SYNTAX',
  eval: 'EXPR_EVAL',
  budget: 'EXPR_BUDGET',
  type: 'EXPR_TYPE',
} as const;

export type ExprErrorCode = (typeof ExprErrorCode)[keyof typeof ExprErrorCode];

/** Base class of every error thrown by `src/expr`. */
export class ExprError extends SlipwayError {
  declare readonly code: ExprErrorCode;
}

/** Position of a token in the source, 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** The expression could not be parsed (or is statically invalid). Carries the position of the offending token. */
export class ExprSyntaxError extends ExprError {
  readonly line: number;
  readonly column: number;
  /** The message without the position suffix. */
  readonly reason: string;

  constructor(reason: string, position: SourcePosition, code: ExprErrorCode = ExprErrorCode.syntax) {
    super(code, `${reason} at line ${position.line}, column ${position.column}`);
    this.reason = reason;
    this.line = position.line;
    this.column = position.column;
  }
}

/**
 * The expression parses but can never evaluate, e.g. `asFloat(x) == "1.1"` compares a float with a string.
 * Thrown by compile for operands whose types are known without the environment, and by evaluate once the
 * environment's types are known (expr.Env(env); not with allowUndefinedVariables).
 */
export class ExprTypeError extends ExprSyntaxError {
  constructor(reason: string, position: SourcePosition) {
    super(reason, position, ExprErrorCode.type);
  }
}

/** Evaluation failed: wrong types, nil member access, index out of range, a failing function. */
export class ExprEvalError extends ExprError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(ExprErrorCode.eval, message, options);
  }
}

/** Evaluation ran out of its step budget, nested too deep, or tried to build a value that is too large. */
export class ExprBudgetError extends ExprError {
  constructor(message: string) {
    super(ExprErrorCode.budget, message);
  }
}
