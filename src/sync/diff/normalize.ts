import type { KubeObject } from '../../kube/index.js';

/** Metadata the API server owns: never part of a diff. */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'uid',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

const SERVER_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
];

/**
 * A deep copy of an object without server-managed metadata and without `status`, with empty maps
 * removed from metadata, ready for comparison. Pure.
 */
export function normalizeForDiff(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj) as Record<string, unknown> & { metadata: Record<string, unknown> };
  delete copy.status;
  const meta = copy.metadata;
  for (const k of SERVER_METADATA) delete meta[k];
  const annotations = meta.annotations as Record<string, string> | undefined;
  if (annotations) {
    for (const a of SERVER_ANNOTATIONS) delete annotations[a];
    if (Object.keys(annotations).length === 0) delete meta.annotations;
  }
  const labels = meta.labels as Record<string, string> | undefined;
  if (labels && Object.keys(labels).length === 0) delete meta.labels;
  return copy as KubeObject;
}

/** Key-order-independent deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}
