/**
 * The traffic a canary's routers should carry on this reconcile (Argo Rollouts' reconcileTrafficRouting in
 * rollout/trafficrouting.go): the desired canary weight, the header and mirror routes of the current step,
 * whether managed routes go, and the `status.canary.weights` that follow. Pure: the decision projects the
 * weights into status and the machine emits the router actions; the executor reports `verified`.
 *
 * - fully promoted (stable is the desired pod template): weight 0, managed routes removed, in the decision
 *   that promotes (Argo sets the whole weight to the canary in that reconcile and 0 in the next; here the
 *   old stable is scaled down in the promoting decision, so its traffic must be gone by then);
 * - aborted: weight 0 at once (with dynamicStableScale: what the stable can carry), managed routes removed;
 * - no available canary pod: weight 0;
 * - promoteFull: the weight reached so far (dynamicStableScale: what the canary can carry), routes removed;
 * - while the ReplicaSets are not at their sizes for the step: the previous setWeight;
 * - else the step's setWeight, or the maximum once every step ran;
 * - whatever the above, the weights stay as they are while the stable lacks the pods for its share.
 */
import { availableReplicas, podHashOf, type ReplicaSet } from '../replica-sets/replica-sets.js';
import { ConditionReason, formatMessage } from '../status/conditions.js';
import type { EventIntent, TrafficWeightIntent } from '../strategies/actions.js';
import type { AdditionalDestination } from '../traffic/router.js';
import type {
  CanaryStep,
  Rollout,
  RolloutStatus,
  SetHeaderRoute,
  SetMirrorRoute,
  TrafficWeights,
  WeightDestination,
} from '../types.js';
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
  /** The status as read, before this decision. Default: the Rollout's status (no transition). */
  readonly previousStatus?: RolloutStatus;
  /** A running experiment's weighted templates (Argo's calculateWeightDestinationsFromExperiment). */
  readonly experimentDestinations?: readonly AdditionalDestination[];
}

interface DesiredWeight {
  readonly weight: number;
  readonly removeRoutes: boolean;
  /** The branch also routes to a running experiment's templates. */
  readonly withExperiment?: boolean;
}

export interface TrafficPlan {
  readonly removeManagedRoutes: boolean;
  /** The header routes of the steps this decision reaches or passes, in step order. */
  readonly headerRoutes: readonly SetHeaderRoute[];
  /** The mirror routes of the steps this decision reaches or passes, in step order. */
  readonly mirrorRoutes: readonly SetMirrorRoute[];
  readonly weight: TrafficWeightIntent;
  /** The weights to write in status (`verified` comes from the routers). */
  readonly weights: TrafficWeights;
  /** TrafficWeightUpdated when the weights changed. */
  readonly event?: EventIntent;
}

/** `maxTrafficWeight` (default 100): the total weight setWeight steps are a share of. */
export const maxTrafficWeight = (rollout: Rollout): number =>
  rollout.spec?.strategy?.canary?.trafficRouting?.maxTrafficWeight ?? 100;

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

/**
 * The steps whose header and mirror routes this decision sets: from the step the status as read was at (the
 * first step for a new update) to the step this decision reaches, both included. Argo sets a route step's
 * route in the reconcile that starts at it; here route steps complete as they are reached, so a decision may
 * pass one without resting on it. Never on the first deploy (Argo: revision > 1, here generation > 1).
 */
function stepsReached(i: TrafficPlanInput): CanaryStep[] {
  const { rollout } = i;
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  if ((rollout.metadata?.generation ?? 0) <= 1) return [];
  const status = rollout.status ?? {};
  const before = i.previousStatus ?? status;
  const sameUpdate = before.currentPodHash === status.currentPodHash;
  const from = sameUpdate ? (before.currentStepIndex ?? 0) : 0;
  const to = status.currentStepIndex ?? 0;
  return steps.slice(Math.min(from, to), to + 1);
}

/**
 * Whether the stable ReplicaSet has the available pods for `stableWeight` (Argo's checkReplicasAvailable): when
 * it has not, Argo leaves the weights as they are for this reconcile. Without it, a dynamicStableScale canary
 * at its first setWeight flaps: the stable shrinks for the weight, the shrinking sizes send the weight back to
 * 0, which grows the stable again.
 */
function stableCarries(i: TrafficPlanInput, stableWeight: number): boolean {
  const replicas = i.rollout.spec?.replicas ?? 1;
  const needed = Math.trunc((stableWeight * replicas) / maxTrafficWeight(i.rollout));
  return i.stableRS !== undefined && availableReplicas(i.stableRS) >= needed;
}

/** Weights, hashes and status as last written; managed routes still go when they should. */
function holdWeights(previous: TrafficWeights, removeRoutes: boolean): TrafficPlan {
  const { canary, stable } = previous;
  const additional = (previous.additional ?? []).flatMap((d) =>
    d.serviceName === undefined ? [] : [{ ...d, serviceName: d.serviceName }],
  );
  return {
    removeManagedRoutes: removeRoutes,
    headerRoutes: [],
    mirrorRoutes: [],
    weight: {
      weight: canary.weight,
      additional,
      ...(canary.podTemplateHash !== undefined && { canaryHash: canary.podTemplateHash }),
      ...(stable.podTemplateHash !== undefined && { stableHash: stable.podTemplateHash }),
    },
    weights: previous,
  };
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
  if (previous !== undefined && !stableCarries(i, maxTrafficWeight(rollout) - weight - additionalWeight))
    return holdWeights(previous, removeRoutes);
  const modified =
    previous === undefined ||
    !sameDestination(previous.canary, next.canary) ||
    !sameDestination(previous.stable, next.stable) ||
    !sameDestinations(previous.additional, next.additional);
  const routeSteps = removeRoutes ? [] : stepsReached(i);
  return {
    removeManagedRoutes: removeRoutes,
    headerRoutes: routeSteps.flatMap((step) =>
      step.setHeaderRoute === undefined ? [] : [step.setHeaderRoute],
    ),
    mirrorRoutes: routeSteps.flatMap((step) =>
      step.setMirrorRoute === undefined ? [] : [step.setMirrorRoute],
    ),
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
