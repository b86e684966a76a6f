import { SlipwayError } from '../errors/index.js';

/** Stable codes of notification errors (documented in docs/errors.md). */
export const NotificationErrorCode = {
  /** A template failed to render or rendered invalid JSON; fix the template. */
  Template: 'NOTIFICATION_TEMPLATE',
  /** A destination names a service the configuration does not define, or a type Slipway cannot send. */
  UnknownService: 'NOTIFICATION_UNKNOWN_SERVICE',
  /** The object changed while the outbox was written; the reconcile is retried. */
  Conflict: 'NOTIFICATION_CONFLICT',
  /** The notification configuration is not loaded yet; the reconcile that records events is retried. */
  NotReady: 'NOTIFICATION_NOT_READY',
  /** Bad command-line input to the notifications CLI. */
  Input: 'NOTIFICATION_INPUT',
} as const;
export type NotificationErrorCode = (typeof NotificationErrorCode)[keyof typeof NotificationErrorCode];

export class NotificationError extends SlipwayError {
  constructor(code: NotificationErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(code, message, options);
  }
}
