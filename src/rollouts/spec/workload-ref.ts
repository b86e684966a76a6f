/**
 * `spec.workloadRef`: a Rollout takes its pod template (and, without its own selector, its selector)
 * from an existing Deployment, ReplicaSet or PodTemplate, as Argo Rollouts' `rollout/templateref.go`
 * does. Pure: the caller looks the workload up in its cache and passes it in; the resolved Rollout is
 * what the controller decides from and is never written back (the stored spec keeps no template).
 */
import type { KubeObject } from '../../kube/index.js';
import type { LabelSelector, PodTemplateSpec, Rollout, WorkloadRef } from '../types.js';

/** On the Rollout: `metadata.generation` of the workload it references (Argo's annotation). */
export const WORKLOAD_GENERATION_ANNOTATION = 'rollout.argoproj.io/workload-generation';

/** The kinds Argo resolves (its `infoByGroupKind`), with where their template and selector live. */
export interface WorkloadKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name, as Kubernetes' NotFound error names it. */
  readonly resource: string;
  readonly templatePath: readonly string[];
  readonly selectorPath?: readonly string[];
}

export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  { group: '', version: 'v1', kind: 'PodTemplate', resource: 'podtemplates', templatePath: ['template'] },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    resource: 'deployments',
    templatePath: ['spec', 'template'],
    selectorPath: ['spec', 'selector'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    resource: 'replicasets',
    templatePath: ['spec', 'template'],
    selectorPath: ['spec', 'selector'],
  },
];

/** Go's `schema.ParseGroupVersion` for an apiVersion ("apps/v1" → apps, v1; "v1" → "", v1). */
function groupVersion(apiVersion: string | undefined): { readonly group: string; readonly version: string } {
  const text = apiVersion ?? '';
  const slash = text.indexOf('/');
  return slash < 0
    ? { group: '', version: text }
    : { group: text.slice(0, slash), version: text.slice(slash + 1) };
}

export const WorkloadRefMessage = {
  TemplateNotEmpty: 'template must be empty for workload reference rollout',
  Unsupported: (group: string, kind: string) => `workload of type ${group}/${kind} is not supported`,
  /**
   * Kubernetes' NotFound text for Argo's lister lookup, which is cluster-wide and keyed by
   * "namespace/name": `deployments.apps "shop/web" not found`.
   */
  NotFound: (kind: WorkloadKind, namespace: string, name: string) =>
    `${kind.group === '' ? kind.resource : `${kind.resource}.${kind.group}`} "${namespace}/${name}" not found`,
  /** What discovery answers for a group version the server does not serve. */
  VersionNotServed: 'the server could not find the requested resource',
} as const;

/** The kind a reference names, or Argo's error text for a kind it does not resolve. */
export function workloadKindOf(ref: WorkloadRef): WorkloadKind | string {
  const { group, version } = groupVersion(ref.apiVersion);
  const kind = WORKLOAD_KINDS.find((k) => k.group === group && k.kind === (ref.kind ?? ''));
  if (kind === undefined) return WorkloadRefMessage.Unsupported(group, ref.kind ?? '');
  return kind.version === version ? kind : WorkloadRefMessage.VersionNotServed;
}

/** Index value for "Rollouts referencing this workload": group/kind/namespace/name. */
export function workloadRefKey(ref: WorkloadRef, namespace: string): string {
  return `${groupVersion(ref.apiVersion).group}/${ref.kind ?? ''}/${namespace}/${ref.name ?? ''}`;
}

/** The same index value for a workload object. */
export function workloadKey(obj: KubeObject): string {
  const { group } = groupVersion(obj.apiVersion);
  return `${group}/${obj.kind ?? ''}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** Argo's `EmptyTemplate`: a template counts as empty while it has no labels and no annotations. */
export function isEmptyTemplate(template: PodTemplateSpec | undefined): boolean {
  const meta = template?.metadata;
  return Object.keys(meta?.labels ?? {}).length === 0 && Object.keys(meta?.annotations ?? {}).length === 0;
}

export type WorkloadResolution<R extends Rollout> =
  | {
      readonly ok: true;
      /** The Rollout with the workload's template (and selector) in its spec. */
      readonly rollout: R;
      /** The workload's `metadata.generation`; undefined for a Rollout without workloadRef. */
      readonly generation?: string;
    }
  | { readonly ok: false; readonly message: string };

function nested(obj: unknown, path: readonly string[]): unknown {
  let at = obj;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Argo's `Resolve`: the Rollout with the referenced workload's template (and selector when the Rollout
 * has none), or Argo's message for why it cannot be resolved. `workload` is the cached object the
 * reference names (undefined when there is none). A Rollout without workloadRef comes back unchanged.
 */
export function resolveWorkloadRef<R extends Rollout>(
  rollout: R,
  workload: KubeObject | undefined,
): WorkloadResolution<R> {
  const spec = rollout.spec ?? {};
  const ref = spec.workloadRef;
  if (ref === undefined || ref === null) return { ok: true, rollout };
  if (!isEmptyTemplate(spec.template)) return { ok: false, message: WorkloadRefMessage.TemplateNotEmpty };
  const kind = workloadKindOf(ref);
  if (typeof kind === 'string') return { ok: false, message: kind };
  if (workload === undefined)
    return {
      ok: false,
      message: WorkloadRefMessage.NotFound(kind, rollout.metadata?.namespace ?? '', ref.name ?? ''),
    };
  const template = nested(workload, kind.templatePath);
  const selector = kind.selectorPath === undefined ? undefined : nested(workload, kind.selectorPath);
  const resolvedSpec = {
    ...spec,
    ...(isObject(template) && { template: template as PodTemplateSpec }),
    ...(spec.selector === undefined && isObject(selector) && { selector: selector as LabelSelector }),
  };
  return {
    ok: true,
    rollout: { ...rollout, spec: resolvedSpec },
    generation: String(workload.metadata.generation ?? 0),
  };
}

/** Argo's `scaleDown` modes; anything else (and unset) leaves the workload alone, like `never`. */
export const ScaleDown = { Never: 'never', OnSuccess: 'onsuccess', Progressively: 'progressively' } as const;

export interface WorkloadScaleDownInput {
  readonly rollout: Rollout;
  /** Revision of the Rollout's new ReplicaSet. */
  readonly newRSRevision: number;
  /** The new ReplicaSet's spec.replicas before this reconcile scaled it, and after. */
  readonly newRSReplicasBefore: number;
  readonly newRSReplicasAfter: number;
  /** Whether this reconcile promoted (or keeps promoted) the new ReplicaSet as stable. */
  readonly isFullyPromoted: boolean;
  /** The referenced Deployment's spec.replicas now. */
  readonly deploymentReplicas: number | undefined;
}

/**
 * The replicas the referenced Deployment should be scaled to, or undefined to leave it. As Argo,
 * both modes are a one-time migration: they act only while the Rollout is on its first revision.
 * - `onsuccess`: 0 once the Rollout was Healthy and is fully promoted (Argo's `promoteStable`).
 * - `progressively`: 0 once the Rollout was Healthy; before, `spec.replicas − status.readyReplicas`
 *   once the Rollout has ready pods (Argo's `reconcileNewReplicaSet`).
 */
export function planWorkloadScaleDown(input: WorkloadScaleDownInput): number | undefined {
  const { rollout } = input;
  const ref = rollout.spec?.workloadRef;
  if (ref?.kind !== 'Deployment' || input.newRSRevision !== 1) return undefined;
  const status = rollout.status ?? {};
  const wasHealthy = status.phase === 'Healthy';
  let target: number | undefined;
  if (ref.scaleDown === ScaleDown.OnSuccess) {
    if (wasHealthy && input.isFullyPromoted) target = 0;
  } else if (ref.scaleDown === ScaleDown.Progressively) {
    if (wasHealthy) target = 0;
    else {
      const replicas = rollout.spec?.replicas;
      const ready = status.readyReplicas ?? 0;
      if (replicas !== undefined && (ready > 0 || input.newRSReplicasBefore > input.newRSReplicasAfter))
        target = Math.max(0, replicas - ready);
    }
  }
  return target === undefined || target === input.deploymentReplicas ? undefined : target;
}
