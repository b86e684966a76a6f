/**
 * What to do with the Applications of one ApplicationSet, as Argo CD's `createOrUpdateInCluster`,
 * `createInCluster` and `deleteInCluster` decide it: create the missing ones, update the drifted ones
 * (spec, labels, annotations and finalizers from the template, some annotations, labels and
 * finalizers of the live object preserved, the controller reference set), delete the ones no longer
 * generated, each as the `applicationsSync` policy allows. Pure: the executor performs the result.
 */
import { canonicalJson } from '../go/index.js';
import type { KubeObject, OwnerReference } from '../kube/index.js';
import type { Application } from '../sync/index.js';
import type { GeneratedApplication } from './template/render.js';
import type { ApplicationSet, ApplicationsSyncPolicy } from './types.js';

/** Annotations Argo CD keeps from the live Application (notification state, refresh requests). */
export const DEFAULT_PRESERVED_ANNOTATIONS = [
  'notified.notifications.argoproj.io',
  'argocd.argoproj.io/refresh',
  'argocd.argoproj.io/hydrate',
] as const;
/** Finalizer prefixes kept from the live Application (pre/post-delete hooks in progress). */
const PRESERVED_FINALIZER_PREFIXES = [
  'pre-delete-finalizer.argocd.argoproj.io',
  'post-delete-finalizer.argocd.argoproj.io',
] as const;

export type ApplicationAction =
  | { readonly type: 'create'; readonly app: Application }
  | { readonly type: 'update'; readonly app: Application }
  | { readonly type: 'delete'; readonly app: Application }
  | {
      readonly type: 'refuse';
      readonly name: string;
      readonly phase: 'update' | 'create';
      readonly message: string;
    };

export function syncPolicyOf(appSet: ApplicationSet): ApplicationsSyncPolicy {
  return appSet.spec.syncPolicy?.applicationsSync ?? 'sync';
}

export const allowsUpdate = (p: ApplicationsSyncPolicy) => p === 'create-update' || p === 'sync';
export const allowsDelete = (p: ApplicationsSyncPolicy) => p === 'create-delete' || p === 'sync';

/** The ApplicationSet's controller reference on its Applications. */
export function ownerReference(appSet: ApplicationSet): OwnerReference {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    name: appSet.metadata.name ?? '',
    uid: appSet.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Whether `obj` is controlled by the ApplicationSet named `name` (Argo indexes owners by name). */
export function isOwnedBy(obj: KubeObject, name: string): boolean {
  return (
    obj.metadata.ownerReferences?.some(
      (r) =>
        r.controller === true &&
        r.kind === 'ApplicationSet' &&
        r.apiVersion.startsWith('argoproj.io/') &&
        r.name === name,
    ) === true
  );
}

/** Argo's `NormalizeApplicationSpec` for what a template can leave out. */
export function normalizeSpec(spec: Record<string, unknown>): Record<string, unknown> {
  return spec.project === undefined || spec.project === '' ? { ...spec, project: 'default' } : spec;
}

const emptyToUndefined = <T extends object>(o: T | undefined): T | undefined =>
  o === undefined || Object.keys(o).length === 0 ? undefined : o;

/**
 * controller-runtime's `SetControllerReference`: refused when another object controls it; a
 * reference to the same group, kind and name is replaced (a recreated ApplicationSet takes over).
 */
function withControllerReference(
  refs: readonly OwnerReference[],
  owner: OwnerReference,
  objectName: string,
  namespace: string,
): OwnerReference[] | string {
  const same = (r: OwnerReference) =>
    r.kind === owner.kind &&
    r.name === owner.name &&
    r.apiVersion.split('/')[0] === owner.apiVersion.split('/')[0];
  const other = refs.find((r) => r.controller === true && !same(r));
  if (other !== undefined)
    return `Object ${namespace}/${objectName} is already owned by another ${other.kind} controller ${other.name}`;
  return [...refs.filter((r) => !same(r)), owner];
}

/** The Application as it should be stored, starting from the live one (or nothing, for a create). */
function desiredFrom(
  live: Application | undefined,
  generated: GeneratedApplication,
  appSet: ApplicationSet,
): Application | string {
  const preservedAnnotations = [
    ...(appSet.spec.preservedFields?.annotations ?? []),
    ...DEFAULT_PRESERVED_ANNOTATIONS,
  ];
  const annotations: Record<string, string> = { ...(generated.metadata.annotations ?? {}) };
  const labels: Record<string, string> = { ...(generated.metadata.labels ?? {}) };
  const finalizers = [...(generated.metadata.finalizers ?? [])];
  if (live !== undefined) {
    for (const key of preservedAnnotations) {
      const v = live.metadata.annotations?.[key];
      if (v !== undefined) annotations[key] = v;
    }
    for (const key of appSet.spec.preservedFields?.labels ?? []) {
      const v = live.metadata.labels?.[key];
      if (v !== undefined) labels[key] = v;
    }
    for (const prefix of PRESERVED_FINALIZER_PREFIXES)
      for (const f of live.metadata.finalizers ?? []) if (f.startsWith(prefix)) finalizers.push(f);
  }
  const name = generated.metadata.name;
  const namespace = appSet.metadata.namespace ?? '';
  const refs = withControllerReference(
    live?.metadata.ownerReferences ?? [],
    ownerReference(appSet),
    name,
    namespace,
  );
  if (typeof refs === 'string') return refs;
  const base: Record<string, unknown> =
    live !== undefined ? { ...live } : { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' };
  const metadata: Record<string, unknown> = {
    ...(live?.metadata ?? { name, namespace }),
    annotations: emptyToUndefined(annotations),
    labels: emptyToUndefined(labels),
    finalizers: finalizers.length > 0 ? finalizers : undefined,
    ownerReferences: refs,
  };
  for (const k of ['annotations', 'labels', 'finalizers'] as const)
    if (metadata[k] === undefined) delete metadata[k];
  const out: Record<string, unknown> = { ...base, metadata, spec: normalizeSpec(generated.spec) };
  if (generated.operation !== undefined) out.operation = generated.operation;
  return out as unknown as Application;
}

/** What a comparison looks at: the fields the ApplicationSet owns. */
function owned(app: Application): string {
  return canonicalJson({
    spec: app.spec,
    operation: app.operation ?? null,
    labels: emptyToUndefined(app.metadata.labels) ?? {},
    annotations: emptyToUndefined(app.metadata.annotations) ?? {},
    finalizers: app.metadata.finalizers ?? [],
    ownerReferences: app.metadata.ownerReferences ?? [],
  });
}

export interface PlanInput {
  readonly appSet: ApplicationSet;
  /** Every generated Application (deletion compares against all of them, valid or not). */
  readonly generated: readonly GeneratedApplication[];
  /** The generated ones that passed validation, sorted by name. */
  readonly valid: readonly GeneratedApplication[];
  /** Applications the ApplicationSet controls now. */
  readonly current: readonly Application[];
  /** Any Application of the namespace by name (an unowned one of a generated name is taken over). */
  readonly byName: (name: string) => Application | undefined;
}

export function planApplications(input: PlanInput): ApplicationAction[] {
  const { appSet } = input;
  const policy = syncPolicyOf(appSet);
  const actions: ApplicationAction[] = [];
  const currentNames = new Set(input.current.map((a) => a.metadata.name ?? ''));
  const phase = allowsUpdate(policy) ? 'update' : 'create';
  for (const generated of input.valid) {
    const name = generated.metadata.name;
    // create-only and create-delete leave existing Applications alone
    if (!allowsUpdate(policy) && currentNames.has(name)) continue;
    const live = input.byName(name);
    const desired = desiredFrom(live, generated, appSet);
    if (typeof desired === 'string') {
      actions.push({ type: 'refuse', name, phase, message: desired });
      continue;
    }
    if (live === undefined) actions.push({ type: 'create', app: desired });
    else if (owned(live) !== owned(desired)) actions.push({ type: 'update', app: desired });
  }
  if (allowsDelete(policy)) {
    const wanted = new Set(input.generated.map((a) => a.metadata.name));
    for (const app of input.current) {
      if (!wanted.has(app.metadata.name ?? '') && app.metadata.deletionTimestamp === undefined)
        actions.push({ type: 'delete', app });
    }
  }
  return actions;
}
