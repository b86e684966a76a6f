import { SlipwayError } from '../../errors/index.js';

/**
 * A traffic router could not bring its mesh or ingress objects to the desired state (an object it must
 * read is missing, an object it would write belongs to someone else, a write failed). The message is
 * Argo Rollouts' message for the same failure; the reconcile is retried.
 */
export const TRAFFIC_ROUTER_ERROR = 'ROLLOUT_TRAFFIC_ROUTER';

export class TrafficRouterError extends SlipwayError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(TRAFFIC_ROUTER_ERROR, message, options);
  }
}

/** The message of an error thrown by the API client, as Argo appends `%v` of the Go error. */
export function causeMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
