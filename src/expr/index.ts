export type { CompileOptions, EvaluateOptions, Program } from './compile.js';
export { compile, DEFAULT_BUDGET } from './compile.js';
export { ExprDuration, formatDuration, parseDuration } from './duration.js';
export type { SourcePosition } from './errors.js';
export {
  ExprBudgetError,
  ExprError,
  ExprErrorCode,
  ExprEvalError,
  ExprSyntaxError,
  ExprTypeError,
} from './errors.js';
export { floatsFromHost, GoFloat, toHost } from './numbers.js';
export { compileRegex } from './regex.js';
export { ExprTime, parseTime } from './time.js';
export { formatInt, formatValue, goTypeName, typeName } from './values.js';
