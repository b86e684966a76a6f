/**
 * canaryService / stableService: which pod-template hash each Service should select, and whether it
 * may switch now (Argo's reconcileStableAndCanaryService and ensureSVCTargets in rollout/service.go).
 * The stable Service follows the stable ReplicaSet; the canary Service follows the desired one, or
 * the stable one while aborted (a basic canary has no traffic router to send traffic elsewhere).
 * A switch waits until the target has an available pod, or every pod when the Service is not yet
 * managed by a Rollout (adoption). Pure.
 */
import type { KubeObject } from '../../kube/index.js';
import { availableReplicas, podHashOf, type ReplicaSet, specReplicas } from '../replica-sets/replica-sets.js';
import { POD_TEMPLATE_HASH_LABEL } from '../spec/pod-template-hash.js';
import type { ServiceSwitch } from '../strategies/actions.js';
import type { CanaryStrategy, RolloutStatus } from '../types.js';

/** Set on a Service a Rollout points; its absence means the Service is being adopted. */
export const MANAGED_BY_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';

export type { ServiceSwitch } from '../strategies/actions.js';

export const selectedHash = (service: KubeObject): string =>
  (service.spec as { selector?: Record<string, string> } | undefined)?.selector?.[POD_TEMPLATE_HASH_LABEL] ??
  '';

/** The Service names of the strategy and the hash each should select, in Argo's order (stable first). */
export function serviceTargets(
  canary: CanaryStrategy | undefined,
  status: RolloutStatus,
): { readonly name: string; readonly hash: string }[] {
  const stable = status.stableRS ?? '';
  const targets = [
    { name: canary?.stableService ?? '', hash: stable },
    {
      name: canary?.canaryService ?? '',
      hash: status.abort === true ? stable : (status.currentPodHash ?? ''),
    },
  ];
  return targets.filter((t) => t.name !== '' && t.hash !== '');
}

/** Argo's IsReplicaSetAvailable: every desired pod is available. */
const isFullyAvailable = (rs: ReplicaSet) =>
  specReplicas(rs) > 0 && availableReplicas(rs) > 0 && specReplicas(rs) <= availableReplicas(rs);

/** The selector switches to make now; a Service that is missing or already right is left alone. */
export function planServiceSwitches(
  canary: CanaryStrategy | undefined,
  status: RolloutStatus,
  replicaSets: readonly ReplicaSet[],
  lookup: (name: string) => KubeObject | undefined,
): ServiceSwitch[] {
  const out: ServiceSwitch[] = [];
  for (const { name, hash } of serviceTargets(canary, status)) {
    const service = lookup(name);
    const rs = replicaSets.find((s) => podHashOf(s) === hash);
    if (service === undefined || rs === undefined) continue;
    const from = selectedHash(service);
    if (from === hash) continue;
    const adopting = service.metadata.annotations?.[MANAGED_BY_ANNOTATION] === undefined;
    if (adopting ? !isFullyAvailable(rs) : availableReplicas(rs) === 0) continue;
    out.push({ service, from, to: hash });
  }
  return out;
}

/**
 * Services this Rollout pointed (marked managed by it) that its spec no longer names, e.g. after a switch
 * from blue-green to canary: they lose the hash selector and the mark, so they select every pod of the
 * app again (Argo's service controller, generateRemovePatch in service/service.go).
 */
export function servicesToRelease(
  rolloutName: string,
  referenced: ReadonlySet<string>,
  services: readonly KubeObject[],
): KubeObject[] {
  return services.filter(
    (s) =>
      s.metadata.annotations?.[MANAGED_BY_ANNOTATION] === rolloutName &&
      !referenced.has(s.metadata.name ?? '') &&
      selectedHash(s) !== '',
  );
}

/** The merge patch that releases a Service (removeSelectorAndManagedByPatch). */
export const RELEASE_SERVICE_PATCH = {
  metadata: { annotations: { [MANAGED_BY_ANNOTATION]: null } },
  spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: null } },
} as const;
