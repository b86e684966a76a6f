/**
 * Runs a decision's traffic actions through every router the Rollout configures, in Argo's order per
 * router (reconcileTrafficRouting): remove managed routes, header route, mirror route, update hashes, set
 * the weight, verify it. A router that cannot set the weight records a TrafficRoutingError Warning and
 * fails the reconcile (retried with backoff); a verification error is recorded and the reconcile goes on.
 */
import type { EventRecorder, EventSubject } from '../../core/index.js';
import { ConditionReason, formatMessage } from '../status/conditions.js';
import { actionsOf, type RolloutAction } from '../strategies/actions.js';
import type { TrafficRouter } from '../traffic/router.js';

/** How long to wait before checking again a weight the routers have not verified (Argo's default, 10 s). */
export const WEIGHT_VERIFY_RETRY_MS = 10_000;

export interface TrafficOutcome {
  /** Every router verified the weight (true), one did not yet (false), or none can tell (undefined). */
  readonly verified?: boolean;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function runTrafficActions(
  routers: readonly TrafficRouter[],
  actions: readonly RolloutAction[],
  events: Pick<EventRecorder, 'record'>,
  subject: EventSubject,
): Promise<TrafficOutcome> {
  const [weight] = actionsOf(actions, 'setTrafficWeight');
  if (weight === undefined || routers.length === 0) return {};
  const { params } = weight;
  let verified: boolean | undefined;
  for (const router of routers) {
    if (actionsOf(actions, 'removeManagedRoutes').length > 0) await router.removeManagedRoutes();
    for (const a of actionsOf(actions, 'setHeaderRoute')) await router.setHeaderRoute(a.params);
    for (const a of actionsOf(actions, 'setMirrorRoute')) await router.setMirrorRoute(a.params);
    await router.updateHash(params.canaryHash, params.stableHash, params.additional);
    try {
      await router.setWeight(params.weight, params.additional);
    } catch (err) {
      events.record(subject, 'Warning', ConditionReason.TrafficRoutingError, messageOf(err));
      throw err;
    }
    try {
      const result = await router.verifyWeight(params.weight, params.additional);
      if (result !== undefined) verified = (verified ?? true) && result;
    } catch (err) {
      events.record(
        subject,
        'Warning',
        ConditionReason.WeightVerifyError,
        formatMessage.weightVerifyError(messageOf(err)),
      );
    }
  }
  return verified === undefined ? {} : { verified };
}
