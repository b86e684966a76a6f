import { SlipwayError } from '../errors/index.js';

/** Where in the template text an error happened (1-based line, 0-based column like Go). */
export interface TemplateErrorLocation {
  readonly templateName: string;
  readonly line: number;
  readonly column: number;
}

/** The template text could not be parsed; the message starts `template: name:line:col:` like Go's. */
export class TemplateParseError extends SlipwayError {
  readonly location: TemplateErrorLocation;

  constructor(message: string, location: TemplateErrorLocation, options?: { readonly cause?: unknown }) {
    super('TEMPLATE_PARSE', message, options);
    this.location = location;
  }
}

/** Executing a parsed template failed (bad field access, function error, wrong argument types...). */
export class TemplateExecError extends SlipwayError {
  readonly location: TemplateErrorLocation | undefined;

  constructor(message: string, location?: TemplateErrorLocation, options?: { readonly cause?: unknown }) {
    super('TEMPLATE_EXEC', message, options);
    this.location = location;
  }
}

/** A safety budget (output size, steps, recursion depth, nesting) was exceeded. */
export class TemplateLimitError extends SlipwayError {
  constructor(message: string) {
    super('TEMPLATE_LIMIT', message);
  }
}

/**
 * Thrown by template functions and Go value methods to report a failure; the executor wraps it
 * as `error calling NAME: MESSAGE` in a TemplateExecError, so it never escapes `execute`.
 */
export class FuncError extends SlipwayError {
  constructor(message: string) {
    super('TEMPLATE_EXEC', message);
  }
}

/** Computes Go's `line:col` for a character offset: 1-based line, 0-based column within the line. */
export function locate(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, pos));
  let line = 1;
  let last = -1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) {
    line += 1;
    last = i;
  }
  return { line, column: last === -1 ? pos : pos - last - 1 };
}
