/**
 * canaryMetadata / stableMetadata: labels and annotations that belong to a ReplicaSet's pods only
 * while the ReplicaSet plays a role (Argo's syncEphemeralMetadata). What was applied is recorded
 * in the `rollout.argoproj.io/ephemeral-metadata` annotation so it can be removed when the role
 * changes. Pure: computes merge patches.
 */
import type { KubeObject } from '../../kube/index.js';
import {
  EPHEMERAL_METADATA_ANNOTATION,
  type EphemeralMetadata,
  parseEphemeralMetadata,
} from '../spec/pod-template-hash.js';
import type { ObjectMeta } from '../types.js';
import type { ReplicaSet } from './replica-sets.js';
import { ephemeralAnnotation } from './replica-sets.js';

type Patchable = Readonly<Record<string, string>> | undefined;

/** A merge-patch map that removes `previous` keys not in `desired` and sets `desired`. */
function diffMap(current: Patchable, previous: Patchable, desired: Patchable): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of Object.keys(previous ?? {}))
    if (!(key in (desired ?? {})) && current?.[key] !== undefined) out[key] = null;
  for (const [key, value] of Object.entries(desired ?? {})) if (current?.[key] !== value) out[key] = value;
  return out;
}

const isEmpty = (m: Record<string, unknown>) => Object.keys(m).length === 0;

function metadataPatch(
  labels: Patchable,
  annotations: Patchable,
  previous: EphemeralMetadata,
  desired: ObjectMeta | undefined,
): { labels?: Record<string, string | null>; annotations?: Record<string, string | null> } | undefined {
  const l = diffMap(labels, previous.labels, desired?.labels);
  const a = diffMap(annotations, previous.annotations, desired?.annotations);
  if (isEmpty(l) && isEmpty(a)) return undefined;
  return { ...(!isEmpty(l) && { labels: l }), ...(!isEmpty(a) && { annotations: a }) };
}

export interface EphemeralPatch {
  readonly target: KubeObject;
  readonly patch: Record<string, unknown>;
}

/** Patches bringing a ReplicaSet's template and its pods to `desired` ephemeral metadata. */
export function planEphemeralMetadata(
  rs: ReplicaSet,
  pods: readonly KubeObject[],
  desired: ObjectMeta | undefined,
): EphemeralPatch[] {
  const recorded = parseEphemeralMetadata(rs.metadata.annotations);
  const desiredValue = ephemeralAnnotation(desired);
  const patches: EphemeralPatch[] = [];
  const templateMeta = rs.spec?.template?.metadata;
  const template = metadataPatch(templateMeta?.labels, templateMeta?.annotations, recorded, desired);
  if (template !== undefined || rs.metadata.annotations?.[EPHEMERAL_METADATA_ANNOTATION] !== desiredValue) {
    patches.push({
      target: rs,
      patch: {
        metadata: { annotations: { [EPHEMERAL_METADATA_ANNOTATION]: desiredValue ?? null } },
        ...(template !== undefined && { spec: { template: { metadata: template } } }),
      },
    });
  }
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const patch = metadataPatch(pod.metadata.labels, pod.metadata.annotations, recorded, desired);
    if (patch !== undefined) patches.push({ target: pod, patch: { metadata: patch } });
  }
  return patches;
}
