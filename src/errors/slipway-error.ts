/**
 * The one base class for Slipway's errors. Every error carries a stable, documented `code`
 * (see docs/errors.md); messages are lowercase, say what to do, and never contain secrets.
 */
export class SlipwayError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** True when `err` is a SlipwayError with the given code. */
export function hasErrorCode(err: unknown, code: string): boolean {
  return err instanceof SlipwayError && err.code === code;
}
