import { SlipwayError } from '../errors/index.js';

/** Stable codes of the ApplicationSet controller (documented in docs/errors.md). */
export const ApplicationSetErrorCode = {
  /** A generator could not produce parameters (bad spec, unreadable repository file, …). */
  Generator: 'APPSET_GENERATOR',
  /** A template or templatePatch could not be rendered with a parameter set. */
  Template: 'APPSET_TEMPLATE',
  /** Repository content went over a limit (files, bytes, parameter sets). */
  Limit: 'APPSET_LIMIT',
  /** RollingSync has no steps, or steps with invalid operators, duplicate selections or maxUpdate values. */
  RolloutConfig: 'APPSET_ROLLOUT_CONFIG',
  /** A RollingSync stopped: an Application of the current step is Degraded or its sync failed. */
  RolloutStopped: 'APPSET_ROLLOUT_STOPPED',
} as const;

export type ApplicationSetErrorCode = (typeof ApplicationSetErrorCode)[keyof typeof ApplicationSetErrorCode];

export class ApplicationSetError extends SlipwayError {
  constructor(code: ApplicationSetErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
  }
}
