/**
 * `antiAffinity`: a new ReplicaSet's pods avoid the nodes of the stable ReplicaSet's pods (Argo Rollouts'
 * GenerateReplicaSetAffinity and CreateInjectedAntiAffinityRule in utils/replicaset). The rule is added to
 * the ReplicaSet's pod template only, never to the Rollout's, so the pod-template hash is unchanged. Pure.
 */
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import { POD_TEMPLATE_HASH_LABEL } from '../spec/pod-template-hash.js';
import type { Rollout } from '../types.js';

interface PodAffinityTerm {
  readonly labelSelector: {
    readonly matchExpressions: readonly { key: string; operator: string; values: readonly string[] }[];
  };
  readonly namespaces: readonly string[];
  readonly topologyKey: string;
}
interface PodAntiAffinity {
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly {
    weight: number;
    podAffinityTerm: PodAffinityTerm;
  }[];
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTerm[];
}
interface Affinity {
  readonly podAntiAffinity?: PodAntiAffinity;
  readonly [key: string]: unknown;
}

/** The ReplicaSet with the anti-affinity rule injected when the spec asks for it and a stable exists. */
export function withAntiAffinity(rollout: Rollout, rs: ReplicaSet): ReplicaSet {
  const strategy = rollout.spec?.strategy?.blueGreen?.antiAffinity;
  const preferred = strategy?.preferredDuringSchedulingIgnoredDuringExecution;
  const required = strategy?.requiredDuringSchedulingIgnoredDuringExecution;
  if (preferred === undefined && required === undefined) return rs;
  const stable = rollout.status?.stableRS ?? '';
  const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
  if (stable === '' || stable === hash) return rs;
  const term: PodAffinityTerm = {
    labelSelector: { matchExpressions: [{ key: POD_TEMPLATE_HASH_LABEL, operator: 'In', values: [stable] }] },
    namespaces: [rollout.metadata?.namespace ?? ''],
    topologyKey: 'kubernetes.io/hostname',
  };
  const podSpec = (rs.spec?.template?.spec ?? {}) as { affinity?: Affinity; [key: string]: unknown };
  const affinity = podSpec.affinity ?? {};
  const anti = affinity.podAntiAffinity ?? {};
  const podAntiAffinity: PodAntiAffinity =
    preferred !== undefined
      ? {
          ...anti,
          preferredDuringSchedulingIgnoredDuringExecution: [
            ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []),
            { weight: preferred.weight, podAffinityTerm: term },
          ],
        }
      : {
          ...anti,
          requiredDuringSchedulingIgnoredDuringExecution: [
            ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
            term,
          ],
        };
  return {
    ...rs,
    spec: {
      ...rs.spec,
      template: {
        ...rs.spec?.template,
        spec: { ...podSpec, affinity: { ...affinity, podAntiAffinity } },
      },
    },
  } as ReplicaSet;
}
