/**
 * `undo [--to-revision N]` as the kubectl-argo-rollouts plugin decides it (cmd/undo/undo.go): which
 * ReplicaSet's template to restore, and the JSON patch that restores it. Pure; failures are data.
 */
import type { ObjectRef, PatchType } from '../../kube/index.js';
import { isControlledBy, type ReplicaSet } from '../replica-sets/replica-sets.js';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from '../spec/pod-template-hash.js';
import type { Rollout } from '../types.js';

export interface JsonPatchOperation {
  readonly op: 'replace';
  readonly path: string;
  readonly value: unknown;
}

export type UndoPlan =
  /** The Rollout's template already matches that revision: nothing to send. */
  | { readonly kind: 'skip'; readonly revision: number }
  | {
      readonly kind: 'patch';
      readonly revision: number;
      /** The Rollout, or the object its `spec.workloadRef` names. */
      readonly target: ObjectRef;
      readonly type: PatchType;
      readonly patch: readonly JsonPatchOperation[];
    }
  | { readonly kind: 'error'; readonly message: string };

/** Go's DeepDerivative on JSON: empty strings, arrays, objects and nulls in `a` match anything. */
function isDerivative(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || a === '') return true;
  if (Array.isArray(a)) {
    if (a.length === 0) return true;
    return Array.isArray(b) && a.length <= b.length && a.every((v, i) => isDerivative(v, b[i]));
  }
  if (typeof a === 'object') {
    const keys = Object.keys(a);
    if (keys.length === 0) return true;
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
    const bo = b as Record<string, unknown>;
    return (
      keys.length <= Object.keys(bo).length &&
      keys.every((k) => k in bo && isDerivative((a as Record<string, unknown>)[k], bo[k]))
    );
  }
  return a === b;
}

type Template = { metadata?: { labels?: Record<string, string> } } & Record<string, unknown>;

/**
 * The template without the pod-template-hash label. The plugin compares with the emptied `labels`
 * map left in place, and sends a typed template, where an empty `labels` is omitted.
 */
function withoutHashLabel(template: unknown, omitEmptyLabels: boolean): Template {
  const copy = structuredClone((template ?? {}) as Template);
  const labels = copy.metadata?.labels;
  if (labels !== undefined && copy.metadata !== undefined) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
    if (omitEmptyLabels && Object.keys(labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

/** Read like strconv.ParseInt: no annotation is revision 0; an unreadable one leaves the set out. */
function parseRevision(rs: ReplicaSet): number | undefined {
  const text = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (text === undefined) return 0;
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** Kinds `spec.workloadRef` may name for undo, with their apiVersion. */
const WORKLOAD_KINDS: Readonly<Record<string, string>> = {
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  PodTemplate: 'v1',
};

interface Candidate {
  readonly rs?: ReplicaSet;
  readonly revision: number;
}

/**
 * Among the ReplicaSets the Rollout controls: revision `toRevision`, or with 0 the second-newest
 * revision (the newest is normally the current one). The patch replaces `/spec/template` with that
 * ReplicaSet's template minus the pod-template-hash label; `skip` when the Rollout's template
 * already matches it (every field the Rollout sets is equal in the ReplicaSet's template).
 */
export function planUndo(
  rollout: Rollout & { readonly metadata: { readonly name?: string; readonly namespace?: string } },
  replicaSets: readonly ReplicaSet[],
  toRevision = 0,
): UndoPlan {
  let latest: Candidate = { revision: -1 };
  let previous: Candidate = { revision: -1 };
  let chosen: Candidate | undefined;
  for (const rs of replicaSets) {
    const revision = parseRevision(rs);
    if (revision === undefined || !isControlledBy(rs, rollout.metadata.uid)) continue;
    if (toRevision !== 0) {
      if (revision === toRevision) chosen ??= { rs, revision };
    } else if (revision > latest.revision) {
      previous = latest;
      latest = { rs, revision };
    } else if (revision > previous.revision) previous = { rs, revision };
  }
  if (toRevision === 0) chosen = previous;
  const name = rollout.metadata.name ?? '';
  if (chosen?.rs === undefined)
    return {
      kind: 'error',
      message:
        toRevision > 0
          ? `unable to find specified revision ${toRevision} in history`
          : `no revision found for rollout "${name}"`,
    };
  const template = chosen.rs.spec?.template;
  const current = rollout.spec?.template;
  if (
    current !== undefined &&
    isDerivative(withoutHashLabel(current, false), withoutHashLabel(template, false))
  )
    return { kind: 'skip', revision: chosen.revision };
  const namespace = rollout.metadata.namespace ?? '';
  let target: ObjectRef = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace, name };
  const workload = rollout.spec?.workloadRef;
  if (workload !== undefined && workload !== null) {
    const apiVersion = WORKLOAD_KINDS[workload.kind ?? ''];
    if (apiVersion === undefined)
      return {
        kind: 'error',
        message: `workload of type ${workload.kind ?? '""'} is not supported; undo handles a Deployment, ReplicaSet or PodTemplate`,
      };
    target = { apiVersion, kind: workload.kind ?? '', namespace, name: workload.name ?? '' };
  }
  return {
    kind: 'patch',
    revision: chosen.revision,
    target,
    type: 'json',
    patch: [{ op: 'replace', path: '/spec/template', value: withoutHashLabel(template, true) }],
  };
}
