import { SlipwayError } from '../errors/index.js';

/**
 * "Status is written, now back off": a reconcile that recorded a failure in status (a condition the
 * user can read) throws this so the work queue retries the key with its per-key exponential backoff.
 * The cause is the failure itself; the controller logs it once per retry.
 */
export class RetryAfterStatusError extends SlipwayError {
  constructor(cause: unknown) {
    super('RECONCILE_RETRY_AFTER_STATUS', 'status records the failure; retrying with backoff', { cause });
  }
}
