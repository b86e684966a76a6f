/**
 * Whether a Rollout decision is settled: deciding again from the world as its reconcile leaves it (the status
 * written, the ReplicaSets scaled as decided) returns the same status and nothing to do but wait. Then the
 * watch events of that reconcile's own writes need no reconcile of their own (core's EchoFilter). Pure: it
 * runs the strategy's pure `decide` once more, at the same `now`.
 *
 * Conservative by construction: a decision that creates, deletes, terminates or points anything, or moves
 * traffic, is never settled (the next reconcile must see those objects change), and neither is one whose
 * second decision differs in any way.
 */
import { canonicalJson } from '../../go/index.js';
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import { SCALE_DOWN_DEADLINE_ANNOTATION } from '../replica-sets/scale-down-delay.js';
import { ScaleDown } from '../spec/workload-ref.js';
import {
  actionsOf,
  type RolloutAction,
  type RolloutActionType,
  type ScaleIntent,
} from '../strategies/actions.js';
import type { RolloutDecision, RolloutObservation, RolloutStrategy } from '../strategies/strategy.js';

/** Actions whose whole effect the reconcile that runs them knows (their echoes show nothing new). */
const KNOWN_EFFECT: ReadonlySet<RolloutActionType> = new Set([
  'recordEvent',
  'scaleReplicaSet',
  'requeueAfter',
]);

export function isSettledDecision(
  strategy: RolloutStrategy,
  observation: RolloutObservation,
  decision: RolloutDecision,
): boolean {
  if (decision.actions.some((a) => !KNOWN_EFFECT.has(a.type))) return false;
  // the referenced Deployment is scaled down from the status this reconcile writes (Healthy), i.e. by the
  // reconcile its echo wakes
  if (scalesWorkloadFromStatus(observation)) return false;
  const unchanged =
    canonicalJson(stored(decision.status)) === canonicalJson(stored(observation.rollout.status));
  // nothing to write and nothing to do: the world is already what this decision wants
  if (unchanged && decision.actions.every((a) => a.type === 'requeueAfter')) return true;
  const scaled = new Map<string, ScaleIntent>();
  for (const { params } of actionsOf(decision.actions, 'scaleReplicaSet'))
    scaled.set(params.replicaSet.metadata.name ?? '', params);
  const replicaSets = observation.replicaSets.map((rs) => afterScale(rs, scaled.get(rs.metadata.name ?? '')));
  const newRS =
    replicaSets.find((rs) => rs.metadata.name === observation.newRS.metadata.name) ?? observation.newRS;
  const again = strategy.decide({
    ...observation,
    rollout: { ...observation.rollout, status: stored(decision.status) },
    replicaSets,
    newRS,
    newRSCreated: false,
  });
  return (
    again.actions.every((a: RolloutAction) => a.type === 'requeueAfter') &&
    canonicalJson(stored(again.status)) === canonicalJson(stored(decision.status))
  );
}

/** Whether `spec.workloadRef.scaleDown` still has a Deployment to scale down from the stored status. */
function scalesWorkloadFromStatus(observation: RolloutObservation): boolean {
  const mode = observation.rollout.spec?.workloadRef?.scaleDown;
  return mode === ScaleDown.OnSuccess || mode === ScaleDown.Progressively;
}

/** The status as the API server stores it (undefined members dropped). */
function stored<T>(status: T): T {
  return JSON.parse(JSON.stringify(status ?? {})) as T;
}

/** A ReplicaSet as the executor's merge patch leaves it. */
function afterScale(rs: ReplicaSet, intent: ScaleIntent | undefined): ReplicaSet {
  if (intent === undefined) return rs;
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  if (intent.scaleDownDeadline === null) delete annotations[SCALE_DOWN_DEADLINE_ANNOTATION];
  else if (intent.scaleDownDeadline !== undefined)
    annotations[SCALE_DOWN_DEADLINE_ANNOTATION] = intent.scaleDownDeadline;
  return {
    ...rs,
    metadata: { ...rs.metadata, annotations },
    spec: { ...rs.spec, replicas: intent.to },
  };
}
