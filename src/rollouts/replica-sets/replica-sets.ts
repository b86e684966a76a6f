/**
 * A Rollout's ReplicaSets: the fields read, classification into new/stable/older, revisions, the
 * object created for a new pod template, and revision-history cleanup. Pure.
 */
import type { KubeObject, OwnerReference } from '../../kube/index.js';
import {
  EPHEMERAL_METADATA_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  replicaSetName,
  stripHashLabel,
} from '../spec/pod-template-hash.js';
import type { LabelSelector, ObjectMeta, PodTemplateSpec, Rollout } from '../types.js';

export interface ReplicaSet extends KubeObject {
  readonly spec?: {
    readonly replicas?: number;
    readonly minReadySeconds?: number;
    readonly selector?: LabelSelector;
    readonly template?: PodTemplateSpec;
  };
  readonly status?: {
    readonly replicas?: number;
    readonly readyReplicas?: number;
    readonly availableReplicas?: number;
    readonly observedGeneration?: number;
    readonly conditions?: readonly { type: string; status: string; reason?: string; message?: string }[];
  };
}

export const podHashOf = (rs: ReplicaSet): string => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
export const availableReplicas = (rs: ReplicaSet | undefined): number => rs?.status?.availableReplicas ?? 0;
export const readyReplicas = (rs: ReplicaSet | undefined): number => rs?.status?.readyReplicas ?? 0;
export const actualReplicas = (rs: ReplicaSet | undefined): number => rs?.status?.replicas ?? 0;

export function revisionOf(rs: ReplicaSet): number {
  const value = Number.parseInt(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '', 10);
  return Number.isNaN(value) ? 0 : value;
}

export const maxRevision = (sets: readonly ReplicaSet[]): number =>
  sets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);

export const sumOf = (sets: readonly ReplicaSet[], read: (rs: ReplicaSet) => number): number =>
  sets.reduce((n, rs) => n + read(rs), 0);

/** The ReplicaSets a Rollout controls (controller owner reference with the Rollout's UID). */
export function isControlledBy(rs: KubeObject, uid: string | undefined): boolean {
  return (rs.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === uid);
}

export interface ClassifiedReplicaSets {
  readonly newRS?: ReplicaSet;
  readonly stableRS?: ReplicaSet;
  /** Neither new nor stable, newest revision first. */
  readonly olderRSs: readonly ReplicaSet[];
}

export function classifyReplicaSets(
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  stableHash: string | undefined,
): ClassifiedReplicaSets {
  const newName = newRS?.metadata.name;
  const stableRS =
    stableHash === undefined || stableHash === ''
      ? undefined
      : all.find((rs) => podHashOf(rs) === stableHash);
  const olderRSs = all
    .filter((rs) => rs.metadata.name !== newName && rs.metadata.name !== stableRS?.metadata.name)
    .sort((a, b) => revisionOf(b) - revisionOf(a));
  return { ...(newRS && { newRS }), ...(stableRS && { stableRS }), olderRSs };
}

export function controllerRef(rollout: Rollout): OwnerReference {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    name: rollout.metadata?.name ?? '',
    uid: rollout.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function mergeMaps(
  ...maps: (Readonly<Record<string, string>> | undefined)[]
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const m of maps) Object.assign(out, m ?? {});
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The ephemeral metadata annotation value, or undefined when there is none. */
export function ephemeralAnnotation(metadata: ObjectMeta | undefined): string | undefined {
  if (metadata === undefined || (metadata.labels === undefined && metadata.annotations === undefined))
    return undefined;
  return JSON.stringify({
    ...(metadata.labels && { labels: metadata.labels }),
    ...(metadata.annotations && { annotations: metadata.annotations }),
  });
}

/**
 * The ReplicaSet for the Rollout's current pod template, like Argo's getNewReplicaSet: name
 * `<rollout>-<hash>`, hash label on the RS, its selector and its pods, revision annotation, the
 * Rollout's annotations (Argo copies them), and a controller owner reference.
 */
export function buildReplicaSet(
  rollout: Rollout,
  podHash: string,
  revision: number,
  replicas: number,
  ephemeral?: ObjectMeta,
): ReplicaSet {
  const template = stripHashLabel(rollout.spec?.template ?? {});
  const name = rollout.metadata?.name ?? '';
  const ephemeralValue = ephemeralAnnotation(ephemeral);
  const podLabels = {
    ...mergeMaps(template.metadata?.labels, ephemeral?.labels),
    [POD_TEMPLATE_HASH_LABEL]: podHash,
  };
  const podAnnotations = mergeMaps(template.metadata?.annotations, ephemeral?.annotations);
  const selector = rollout.spec?.selector ?? {};
  const rolloutAnnotations = Object.fromEntries(
    Object.entries(rollout.metadata?.annotations ?? {}).filter(
      ([k]) =>
        k !== 'kubectl.kubernetes.io/last-applied-configuration' &&
        k !== REVISION_ANNOTATION &&
        k !== REVISION_HISTORY_ANNOTATION,
    ),
  );
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: replicaSetName(name, podHash),
      namespace: rollout.metadata?.namespace ?? '',
      labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: podHash },
      annotations: {
        ...rolloutAnnotations,
        [REVISION_ANNOTATION]: String(revision),
        ...(ephemeralValue !== undefined && { [EPHEMERAL_METADATA_ANNOTATION]: ephemeralValue }),
      },
      ownerReferences: [controllerRef(rollout)],
    },
    spec: {
      replicas,
      ...(rollout.spec?.minReadySeconds !== undefined && { minReadySeconds: rollout.spec.minReadySeconds }),
      selector: {
        ...selector,
        matchLabels: { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: podHash },
      },
      template: {
        ...template,
        metadata: {
          ...(template.metadata ?? {}),
          labels: podLabels,
          ...(podAnnotations && { annotations: podAnnotations }),
        },
      },
    },
  };
}

/**
 * Old ReplicaSets to delete for `revisionHistoryLimit` (default 10): fully scaled-down ones that are
 * neither new nor stable, oldest revision first (Argo's cleanupRollouts).
 */
export function replicaSetsToPrune(
  classified: ClassifiedReplicaSets,
  revisionHistoryLimit: number | undefined,
): ReplicaSet[] {
  const limit = revisionHistoryLimit ?? 10;
  const candidates = classified.olderRSs
    .filter(
      (rs) =>
        specReplicas(rs) === 0 && actualReplicas(rs) === 0 && rs.metadata.deletionTimestamp === undefined,
    )
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  const excess = candidates.length - limit;
  return excess > 0 ? candidates.slice(0, excess) : [];
}
