import { SlipwayError } from '../errors/index.js';

/** Stable codes of the ApplicationSet controller (documented in docs/errors.md). */
export const ApplicationSetErrorCode = {
  /** A generator could not produce parameters (bad spec, unreadable repository file, …). */
  Generator: 'APPSET_GENERATOR',
  /** A template or templatePatch could not be rendered with a parameter set. */
  Template: 'APPSET_TEMPLATE',
  /** Repository content went over a limit (files, bytes, parameter sets). */
  Limit: 'APPSET_LIMIT',
} as const;

export type ApplicationSetErrorCode = (typeof ApplicationSetErrorCode)[keyof typeof ApplicationSetErrorCode];

export class ApplicationSetError extends SlipwayError {
  constructor(code: ApplicationSetErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
  }
}
