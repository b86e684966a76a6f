import { SlipwayError } from '../errors/index.js';

/**
 * A reconcile failure that retrying cannot fix (an invalid spec, a missing reference the user must
 * create). The controller records it and does not requeue; a change to the object triggers it again.
 * Today's reconcilers report such problems as data instead (an InvalidSpec / ComparisonError condition,
 * a Warning Event, then a plain return), which the user sees; throw this only where no status can be
 * written for the problem.
 */
export class TerminalError extends SlipwayError {
  constructor(code: string, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
  }
}
