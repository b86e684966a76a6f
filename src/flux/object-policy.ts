import type { KubeObject } from '../kube/index.js';

// kustomize-controller's per-object opt-outs, read from an object's labels or annotations (fluxcd/pkg
// ssa `AnyInMetadata`: a non-empty value equal to the expected one, ignoring case), on the object in
// Git or on the one in the cluster.

/** `disabled`: the object is neither applied nor pruned (it stays in the inventory). */
export const RECONCILE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/reconcile';
/** `Ignore`: like reconcile disabled; `IfNotPresent`: created when missing, never updated; `Merge`: see below. */
export const SSA_ANNOTATION = 'kustomize.toolkit.fluxcd.io/ssa';
/** `disabled` keeps an object when it leaves Git (Flux's prune opt-out). */
export const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
/** `enabled` recreates an object whose immutable fields changed (Flux's per-object force). */
export const FORCE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/force';

type Selector = Readonly<Record<string, string>>;

const EXCLUDED_FROM_APPLY: Selector = { [RECONCILE_ANNOTATION]: 'disabled', [SSA_ANNOTATION]: 'Ignore' };
const IF_NOT_PRESENT: Selector = { [SSA_ANNOTATION]: 'IfNotPresent' };
const FORCED: Selector = { [FORCE_ANNOTATION]: 'enabled' };
const EXCLUDED_FROM_PRUNE: Selector = {
  [PRUNE_ANNOTATION]: 'disabled',
  [RECONCILE_ANNOTATION]: 'disabled',
  [SSA_ANNOTATION]: 'Ignore',
};

/** Whether one of the selector's pairs is among the object's labels or annotations. */
export function anyInMetadata(o: KubeObject | undefined, selector: Selector): boolean {
  if (!o) return false;
  const labels = o.metadata.labels ?? {};
  const annotations = o.metadata.annotations ?? {};
  return Object.entries(selector).some(([key, value]) =>
    [labels[key], annotations[key]].some((v) => !!v && v.toLowerCase() === value.toLowerCase()),
  );
}

/**
 * Whether the apply leaves an object alone (fluxcd/pkg ssa `shouldSkipApply`): reconcile disabled or
 * ssa Ignore on either side, or ssa IfNotPresent in Git for an object that exists. `Merge` changes
 * nothing here: it keeps other field managers' fields, and Slipway never removes them anyway.
 */
export function isApplySkipped(desired: KubeObject, live: KubeObject | undefined): boolean {
  if (anyInMetadata(desired, EXCLUDED_FROM_APPLY) || anyInMetadata(live, EXCLUDED_FROM_APPLY)) return true;
  return live !== undefined && anyInMetadata(desired, IF_NOT_PRESENT);
}

/** Whether an object whose immutable fields changed is deleted and created again. */
export function isForceRecreated(
  specForce: boolean | undefined,
  desired: KubeObject,
  live: KubeObject | undefined,
): boolean {
  return specForce === true || anyInMetadata(desired, FORCED) || anyInMetadata(live, FORCED);
}

/** Whether a stale object (or one of a deleted Kustomization) is kept rather than pruned. */
export function isPruneExcluded(live: KubeObject): boolean {
  return anyInMetadata(live, EXCLUDED_FROM_PRUNE);
}
