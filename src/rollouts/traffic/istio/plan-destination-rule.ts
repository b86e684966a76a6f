/**
 * Subset-level splitting (Argo's UpdateHash): the DestinationRule's canary and stable subsets select
 * the canary and stable ReplicaSets' pods through their `rollouts-pod-template-hash` label, experiment
 * services get a subset each, and the rule is marked as managed by the Rollout. Pure.
 */
import {
  availableReplicas,
  podHashOf,
  type ReplicaSet,
  specReplicas,
} from '../../replica-sets/replica-sets.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../spec/pod-template-hash.js';
import type { Rollout } from '../../types.js';
import type { AdditionalDestination } from '../router.js';
import type { JsonObject } from './virtual-service.js';

/** The annotation Argo puts on objects a Rollout manages (the Rollout's name). */
export const MANAGED_BY_ROLLOUTS_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';

export type DestinationRulePlan =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'update'; readonly destinationRule: JsonObject };

export interface DestinationRulePlanInput {
  readonly rollout: Rollout;
  readonly destinationRule: JsonObject;
  readonly canaryHash: string | undefined;
  readonly stableHash: string | undefined;
  readonly additional: readonly AdditionalDestination[];
}

function withHash(subset: JsonObject, hash: string | undefined): JsonObject {
  const labels = { ...((subset.labels as Record<string, string> | undefined) ?? {}) };
  if (hash !== undefined && hash !== '') labels[POD_TEMPLATE_HASH_LABEL] = hash;
  else delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...subset, labels };
}

/**
 * The DestinationRule with its subsets pointed at the hashes. As in Argo, subsets that are neither
 * canary, stable nor an experiment's are dropped, and the rest of the object is kept as it is.
 */
export function planDestinationRule(input: DestinationRulePlanInput): DestinationRulePlan {
  const { rollout, destinationRule, canaryHash, stableHash, additional } = input;
  const rule = rollout.spec?.strategy?.canary?.trafficRouting?.istio?.destinationRule;
  if (rule === undefined) return { kind: 'unchanged' };
  const spec = (destinationRule.spec as JsonObject | undefined) ?? {};
  const subsets = Array.isArray(spec.subsets) ? (spec.subsets as JsonObject[]) : [];
  const experiments = new Map(additional.map((d) => [d.serviceName, d]));

  const next: JsonObject[] = [];
  for (const subset of subsets) {
    const name = typeof subset.name === 'string' ? subset.name : '';
    if (name === rule.canarySubsetName) next.push(withHash(subset, canaryHash));
    else if (name === rule.stableSubsetName) next.push(withHash(subset, stableHash));
    else if (experiments.has(name)) {
      next.push(withHash(subset, experiments.get(name)?.podTemplateHash));
      experiments.delete(name);
    }
  }
  for (const name of [...experiments.keys()].sort()) {
    next.push({ name, labels: { [POD_TEMPLATE_HASH_LABEL]: experiments.get(name)?.podTemplateHash ?? '' } });
  }

  const metadata = (destinationRule.metadata as JsonObject | undefined) ?? {};
  const annotations = (metadata.annotations as Record<string, string> | undefined) ?? {};
  const updated: JsonObject = {
    ...destinationRule,
    metadata: {
      ...metadata,
      annotations: { ...annotations, [MANAGED_BY_ROLLOUTS_ANNOTATION]: rollout.metadata?.name ?? '' },
    },
    spec: { ...spec, subsets: next },
  };
  return JSON.stringify(updated) === JSON.stringify(destinationRule)
    ? { kind: 'unchanged' }
    : { kind: 'update', destinationRule: updated };
}

const isFullyAvailable = (rs: ReplicaSet) =>
  specReplicas(rs) > 0 && availableReplicas(rs) > 0 && specReplicas(rs) <= availableReplicas(rs);

/** Argo's AbortOrDynamicRollbackToStable: only the stable pods must be ready before the switch. */
function isAbortOrDynamicRollback(
  rollout: Rollout,
  replicaSets: readonly ReplicaSet[],
  stableHash: string,
): boolean {
  if (rollout.status?.abort === true) return true;
  const stableRS = replicaSets.find((rs) => podHashOf(rs) === stableHash);
  const canary = rollout.spec?.strategy?.canary;
  const status = rollout.status;
  if (stableRS === undefined || canary?.trafficRouting === undefined || canary.dynamicStableScale !== true) {
    return false;
  }
  const fullyPromoted = status?.stableRS !== undefined && status.stableRS === status.currentPodHash;
  const weights = status?.canary?.weights;
  if (!fullyPromoted || weights === undefined) return false;
  if ((weights.canary.podTemplateHash ?? '') === podHashOf(stableRS)) return false;
  return availableReplicas(stableRS) < (rollout.spec?.replicas ?? 1);
}

/**
 * Argo's shouldDelayDestinationRuleUpdate: without canary/stable Services, the subsets move only once
 * every ReplicaSet that will take traffic is fully available. The name of the one not ready, if any.
 */
export function destinationRuleDelay(
  rollout: Rollout,
  replicaSets: readonly ReplicaSet[],
  canaryHash: string | undefined,
  stableHash: string | undefined,
): string | undefined {
  const canary = rollout.spec?.strategy?.canary;
  if ((canary?.canaryService ?? '') !== '' || (canary?.stableService ?? '') !== '') return undefined;
  const rollingBack = isAbortOrDynamicRollback(rollout, replicaSets, stableHash ?? '');
  for (const rs of replicaSets) {
    if (specReplicas(rs) === 0) continue;
    const hash = podHashOf(rs);
    if (hash === '' || (hash !== (stableHash ?? '') && hash !== (canaryHash ?? ''))) continue;
    if (rollingBack && hash === canaryHash) continue;
    if (!isFullyAvailable(rs)) return rs.metadata.name ?? '';
  }
  return undefined;
}

/** The Rollout managing a DestinationRule (its managed-by annotation), if any. */
export function managingRolloutOf(destinationRule: JsonObject): string | undefined {
  const annotations = (destinationRule.metadata as { annotations?: Record<string, string> } | undefined)
    ?.annotations;
  const name = annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION];
  return name === undefined || name === '' ? undefined : name;
}

/**
 * Argo's clean-up when the managing Rollout is gone or no longer names the DestinationRule
 * (IstioController.syncDestinationRule): the managed-by annotation and every subset's hash label go.
 */
export function planDestinationRuleRelease(destinationRule: JsonObject): DestinationRulePlan {
  const metadata = (destinationRule.metadata as JsonObject | undefined) ?? {};
  const annotations = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) };
  delete annotations[MANAGED_BY_ROLLOUTS_ANNOTATION];
  const spec = (destinationRule.spec as JsonObject | undefined) ?? {};
  const subsets = Array.isArray(spec.subsets) ? (spec.subsets as JsonObject[]) : [];
  const released: JsonObject = {
    ...destinationRule,
    metadata: { ...metadata, annotations },
    spec: {
      ...spec,
      subsets: subsets.map((s) => {
        const labels = s.labels as Record<string, string> | undefined;
        if (labels?.[POD_TEMPLATE_HASH_LABEL] === undefined) return s;
        const { [POD_TEMPLATE_HASH_LABEL]: _, ...rest } = labels;
        return { ...s, labels: rest };
      }),
    },
  };
  const before = managingRolloutOf(destinationRule);
  const hadLabels = subsets.some(
    (s) => (s.labels as Record<string, string> | undefined)?.[POD_TEMPLATE_HASH_LABEL] !== undefined,
  );
  return before === undefined && !hadLabels
    ? { kind: 'unchanged' }
    : { kind: 'update', destinationRule: released };
}
