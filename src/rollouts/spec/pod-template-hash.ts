/**
 * ReplicaSet identity for a Rollout's pod template: the pod-template hash, the deterministic
 * ReplicaSet name `<rollout>-<hash>`, and Argo's FindNewReplicaSet (by name first, then by template
 * equality ignoring the hash label and ephemeral metadata, so ReplicaSets Argo created are adopted
 * without a re-rollout). Pure.
 */
import { canonicalJson } from '../../go/index.js';
import { fnv32a, safeEncodeString } from '../canary/steps.js';
import type { PodTemplateSpec } from '../types.js';
import { defaultPodTemplate, semanticEqual } from './pod-template-defaults.js';

export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
/** Revisions a ReplicaSet served before a rollback moved it to the newest one (comma-separated). */
export const REVISION_HISTORY_ANNOTATION = 'rollout.argoproj.io/revision-history';
export const EPHEMERAL_METADATA_ANNOTATION = 'rollout.argoproj.io/ephemeral-metadata';

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The template without the pod-template-hash label. */
export function stripHashLabel(template: PodTemplateSpec): PodTemplateSpec {
  const labels = template.metadata?.labels;
  if (labels === undefined || !(POD_TEMPLATE_HASH_LABEL in labels)) return template;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

/**
 * The pod-template hash (like Kubernetes' ComputeHash: FNV-32a, then SafeEncodeString of the
 * decimal value). The input is the canonical JSON of the template without the hash label, followed
 * by the collision count when there is one. Argo hashes Go's in-memory struct dump instead, which
 * cannot be reproduced; adoption of Argo's ReplicaSets goes through template equality.
 */
export function computePodTemplateHash(
  template: PodTemplateSpec | undefined,
  collisionCount?: number,
): string {
  let text = canonicalJson(stripHashLabel(template ?? {}));
  if (collisionCount !== undefined && collisionCount > 0) text += String(collisionCount);
  return safeEncodeString(String(fnv32a(text)));
}

/** `<rollout>-<hash>`, as Argo names a Rollout's ReplicaSets. */
export function replicaSetName(rolloutName: string, podHash: string): string {
  return `${rolloutName}-${podHash}`;
}

/** Ephemeral (canary/stable) metadata recorded on a ReplicaSet, which template comparison ignores. */
export interface EphemeralMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export function parseEphemeralMetadata(
  annotations: Readonly<Record<string, string>> | undefined,
): EphemeralMetadata {
  const text = annotations?.[EPHEMERAL_METADATA_ANNOTATION];
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return isRecord(parsed) ? (parsed as EphemeralMetadata) : {};
  } catch {
    return {};
  }
}

function withoutKeys(
  map: Readonly<Record<string, string>> | undefined,
  keys: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  if (map === undefined) return undefined;
  return Object.fromEntries(Object.entries(map).filter(([k]) => keys === undefined || !(k in keys)));
}

/**
 * Argo's PodTemplateEqualIgnoreHash: the live (ReplicaSet) template, minus the hash label and its
 * recorded ephemeral metadata, semantically equals the desired template once defaulted.
 */
export function podTemplateEqualIgnoreHash(
  live: PodTemplateSpec,
  desired: PodTemplateSpec,
  ephemeral: EphemeralMetadata = {},
): boolean {
  const liveMeta = stripHashLabel(live).metadata ?? {};
  const liveClean: PodTemplateSpec = {
    ...live,
    metadata: {
      ...liveMeta,
      labels: withoutKeys(liveMeta.labels, ephemeral.labels) ?? {},
      annotations: withoutKeys(liveMeta.annotations, ephemeral.annotations) ?? {},
    },
  };
  const desiredClean = defaultPodTemplate(stripHashLabel(desired) as Json);
  return semanticEqual(liveClean, desiredClean) || semanticEqual(liveClean, stripHashLabel(desired));
}

/** The fields of a ReplicaSet this module reads. */
export interface ReplicaSetLike {
  readonly metadata: {
    readonly name?: string;
    readonly creationTimestamp?: string;
    readonly deletionTimestamp?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: { readonly template?: PodTemplateSpec };
}

/**
 * Argo's FindNewReplicaSet: the ReplicaSet named `<rollout>-<hash>`, else the oldest one whose
 * template equals the desired template ignoring the hash label. Deleting ReplicaSets are skipped.
 */
export function findNewReplicaSet<T extends ReplicaSetLike>(
  rolloutName: string,
  template: PodTemplateSpec | undefined,
  collisionCount: number | undefined,
  replicaSets: readonly T[],
): T | undefined {
  const live = replicaSets
    .filter((rs) => rs.metadata.deletionTimestamp === undefined)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  const name = replicaSetName(rolloutName, computePodTemplateHash(template, collisionCount));
  const byName = live.find((rs) => rs.metadata.name === name);
  if (byName !== undefined) return byName;
  return live.find((rs) =>
    podTemplateEqualIgnoreHash(
      rs.spec?.template ?? {},
      template ?? {},
      parseEphemeralMetadata(rs.metadata.annotations),
    ),
  );
}
