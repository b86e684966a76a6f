/**
 * The traffic a canary's routers should carry on this reconcile (Argo Rollouts' reconcileTrafficRouting in
 * rollout/trafficrouting.go): the desired canary weight, the header and mirror routes of the current step,
 * whether managed routes go, and the `status.canary.weights` that follow. Pure: the decision projects the
 * weights into status and the machine emits the router actions; the executor reports `verified`.
 *
 * - fully promoted (stable is the desired pod template): weight 0, managed routes removed;
 * - aborted: weight 0 at once (with dynamicStableScale: what the stable can carry), managed routes removed;
 * - no available canary pod: weight 0;
 * - promoteFull: the weight reached so far (dynamicStableScale: what the canary can carry), routes removed;
 * - while the ReplicaSets are not at their sizes for the step: the previous setWeight;
 * - else the step's setWeight, or the maximum once every step ran.
 */
import { availableReplicas, podHashOf, type ReplicaSet } from '../replica-sets/replica-sets.js';
import { ConditionReason, formatMessage } from '../status/conditions.js';
import type { EventIntent, TrafficWeightIntent } from '../strategies/actions.js';
import type { AdditionalDestination } from '../traffic/router.js';
import type { Rollout, SetHeaderRoute, SetMirrorRoute, TrafficWeights, WeightDestination } from '../types.js';
import { currentSetWeight } from './steps.js';

export interface TrafficPlanInput {
  /** The Rollout with the status this decision writes. */
  readonly rollout: Rollout;
  readonly newRS: ReplicaSet | undefined;
  readonly stableRS: ReplicaSet | undefined;
  /** The ReplicaSets have the sizes and availability the current step asks for. */
  readonly atDesiredReplicas: boolean;
  /** `status.canary.weights` as last written. */
  readonly previousWeights: TrafficWeights | undefined;
  /** A running experiment's weighted templates (Argo's calculateWeightDestinationsFromExperiment). */
  readonly experimentDestinations?: readonly AdditionalDestination[];
}

export interface TrafficPlan {
  readonly removeManagedRoutes: boolean;
  readonly headerRoute?: SetHeaderRoute;
  readonly mirrorRoute?: SetMirrorRoute;
  readonly weight: TrafficWeightIntent;
  /** The weights to write in status (`verified` comes from the routers). */
  readonly weights: TrafficWeights;
  /** TrafficWeightUpdated when the weights changed. */
  readonly event?: EventIntent;
}

/** `maxTrafficWeight` (default 100): the total weight setWeight steps are a share of. */
export const maxTrafficWeight = (rollout: Rollout): number =>
  rollout.spec?.strategy?.canary?.trafficRouting?.maxTrafficWeight ?? 100;

interface DesiredWeight {
  readonly weight: number;
  readonly removeRoutes: boolean;
  /** The branch also routes to a running experiment's templates. */
  readonly withExperiment?: boolean;
}

function desiredWeight(i: TrafficPlanInput): DesiredWeight {
  const { rollout } = i;
  const status = rollout.status ?? {};
  const canary = rollout.spec?.strategy?.canary;
  const replicas = rollout.spec?.replicas ?? 1;
  const steps = canary?.steps ?? [];
  if (status.stableRS !== undefined && status.stableRS === status.currentPodHash)
    return { weight: 0, removeRoutes: true };
  if (status.abort === true) {
    if (!canary?.dynamicStableScale) return { weight: 0, removeRoutes: true };
    const carried = 100 - Math.trunc((100 * availableReplicas(i.stableRS)) / replicas);
    const previous = i.previousWeights?.canary.weight;
    return { weight: previous === undefined ? carried : Math.min(carried, previous), removeRoutes: true };
  }
  if (i.newRS === undefined || availableReplicas(i.newRS) === 0)
    return { weight: 0, removeRoutes: false, withExperiment: true };
  if (status.promoteFull === true) {
    const weight = canary?.dynamicStableScale
      ? Math.trunc((100 * availableReplicas(i.newRS)) / replicas)
      : (i.previousWeights?.canary.weight ?? 0);
    return { weight, removeRoutes: true };
  }
  if (steps.length === 0) return { weight: 0, removeRoutes: false };
  const index = status.currentStepIndex ?? 0;
  if (!i.atDesiredReplicas) {
    for (let s = index - 1; s >= 0; s--) {
      const weight = steps[s]?.setWeight;
      if (weight !== undefined) return { weight, removeRoutes: false, withExperiment: true };
    }
    return { weight: 0, removeRoutes: false, withExperiment: true };
  }
  if (index < steps.length)
    return { weight: currentSetWeight(rollout), removeRoutes: false, withExperiment: true };
  return { weight: maxTrafficWeight(rollout), removeRoutes: false };
}

const sameDestination = (a: WeightDestination, b: WeightDestination) =>
  a.weight === b.weight && a.serviceName === b.serviceName && a.podTemplateHash === b.podTemplateHash;

const sameDestinations = (a: readonly WeightDestination[] = [], b: readonly WeightDestination[] = []) =>
  a.length === b.length && a.every((d, k) => b[k] !== undefined && sameDestination(d, b[k]));

/** Go's `%v` of a []WeightDestination: `[{10 svc hash} {20 svc2 hash2}]`. */
const goDestinations = (destinations: readonly WeightDestination[] = []) =>
  `[${destinations.map((d) => `{${d.weight} ${d.serviceName ?? ''} ${d.podTemplateHash ?? ''}}`).join(' ')}]`;

/** Argo's trafficWeightUpdatedMessage. */
function weightUpdatedDetail(previous: TrafficWeights | undefined, next: TrafficWeights): string {
  const details: string[] = [];
  if (previous === undefined) details.push(`to ${next.canary.weight}`);
  else if (previous.canary.weight !== next.canary.weight)
    details.push(`from ${previous.canary.weight} to ${next.canary.weight}`);
  if (previous !== undefined && !sameDestinations(previous.additional, next.additional))
    details.push(`additional: ${goDestinations(next.additional)}`);
  return details.join(', ');
}

export function planTraffic(i: TrafficPlanInput): TrafficPlan {
  const { rollout } = i;
  const canary = rollout.spec?.strategy?.canary;
  const status = rollout.status ?? {};
  const { weight, removeRoutes, withExperiment } = desiredWeight(i);
  const additional = withExperiment === true ? (i.experimentDestinations ?? []) : [];
  const additionalWeight = additional.reduce((sum, d) => sum + d.weight, 0);
  const canaryHash = i.newRS === undefined ? undefined : podHashOf(i.newRS);
  const stableHash = i.stableRS === undefined ? undefined : podHashOf(i.stableRS);
  const destination = (w: number, serviceName: string | undefined, hash: string | undefined) => ({
    weight: w,
    ...(serviceName !== undefined && serviceName !== '' && { serviceName }),
    ...(hash !== undefined && hash !== '' && { podTemplateHash: hash }),
  });
  const next: TrafficWeights = {
    canary: destination(weight, canary?.canaryService, canaryHash),
    stable: destination(
      maxTrafficWeight(rollout) - weight - additionalWeight,
      canary?.stableService,
      stableHash,
    ),
    ...(additional.length > 0 && {
      additional: additional.map((d) => destination(d.weight, d.serviceName, d.podTemplateHash)),
    }),
  };
  const previous = i.previousWeights;
  const modified =
    previous === undefined ||
    !sameDestination(previous.canary, next.canary) ||
    !sameDestination(previous.stable, next.stable) ||
    !sameDestinations(previous.additional, next.additional);
  // the current step's header and mirror routes (not on the first deploy, as Argo: generation > 1)
  const steps = canary?.steps ?? [];
  const index = status.currentStepIndex ?? 0;
  const step = index < steps.length ? steps[index] : undefined;
  const routable = step !== undefined && (rollout.metadata?.generation ?? 0) > 1;
  return {
    removeManagedRoutes: removeRoutes,
    ...(routable && step.setHeaderRoute !== undefined && { headerRoute: step.setHeaderRoute }),
    ...(routable && step.setMirrorRoute !== undefined && { mirrorRoute: step.setMirrorRoute }),
    weight: {
      weight,
      additional,
      ...(canaryHash !== undefined && { canaryHash }),
      ...(stableHash !== undefined && { stableHash }),
    },
    weights: modified ? next : (previous ?? next),
    ...(modified && {
      event: {
        type: 'event',
        eventType: 'Normal',
        reason: ConditionReason.TrafficWeightUpdated,
        message: formatMessage.trafficWeightUpdated(weightUpdatedDetail(previous, next)),
      },
    }),
  };
}
