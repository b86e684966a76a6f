/**
 * What each dashboard read and action needs from Kubernetes RBAC: the verbs `kubectl` (and the Argo
 * Rollouts plugin) would need for the same thing. Pure: the reviewer asks the API server.
 */
import type { promotePatches } from '../rollouts/index.js';

/** The patches an action sends (status subresource and/or the Rollout itself). */
export type ActionPatches = ReturnType<typeof promotePatches>;

/** SubjectAccessReview's `spec.resourceAttributes`. */
export interface ResourceAttributes {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** Omitted: every namespace. */
  readonly namespace?: string;
  readonly name?: string;
}

/** Who is asking, as TokenReview reports it (or the local kubeconfig's user). */
export interface Viewer {
  readonly username: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

const ARGO = 'argoproj.io';

/** `kubectl get rollouts -n NS` / `kubectl get applications -n NS` (the Fleet page). */
export const listAccess = (kind: 'Rollout' | 'Application', namespace?: string): ResourceAttributes => ({
  verb: 'list',
  group: ARGO,
  resource: kind === 'Rollout' ? 'rollouts' : 'applications',
  ...(namespace !== undefined && { namespace }),
});

/** `kubectl get rollout NAME` (the Rollout page). */
export const rolloutReadAccess = (namespace: string, name: string): ResourceAttributes => ({
  verb: 'get',
  group: ARGO,
  resource: 'rollouts',
  namespace,
  name,
});

/** The AnalysisRuns, ReplicaSets and pods shown beside a Rollout (the plugin's `get rollout` reads them). */
export const childReadAccess = (
  namespace: string,
): Readonly<Record<'analysisRuns' | 'replicaSets' | 'pods' | 'experiments', ResourceAttributes>> => ({
  analysisRuns: { verb: 'get', group: ARGO, resource: 'analysisruns', namespace },
  experiments: { verb: 'get', group: ARGO, resource: 'experiments', namespace },
  replicaSets: { verb: 'list', group: 'apps', resource: 'replicasets', namespace },
  pods: { verb: 'list', group: '', resource: 'pods', namespace },
});

/** `kubectl get application NAME` (the Application page). */
export const applicationReadAccess = (namespace: string, name: string): ResourceAttributes => ({
  verb: 'get',
  group: ARGO,
  resource: 'applications',
  namespace,
  name,
});

/**
 * Sync sets the Application's `operation` and Refresh its refresh annotation: both are a `patch
 * applications` (what `slipway app sync` / `kubectl patch` send).
 */
export const applicationActionAccess = (namespace: string, name: string): ResourceAttributes => ({
  ...applicationReadAccess(namespace, name),
  verb: 'patch',
});

/** Restart patches `spec.restartAt`, undo `spec.template`: both `patch rollouts`; undo also lists ReplicaSets. */
export function specActionAccess(namespace: string, name: string, isUndo: boolean): ResourceAttributes[] {
  const patch: ResourceAttributes = { verb: 'patch', group: ARGO, resource: 'rollouts', namespace, name };
  return isUndo ? [patch, childReadAccess(namespace).replicaSets] : [patch];
}

/** The notification configuration of a namespace: `kubectl get configmap NAME -n NS`. */
export const configMapReadAccess = (namespace: string, name: string): ResourceAttributes => ({
  verb: 'get',
  group: '',
  resource: 'configmaps',
  namespace,
  name,
});

/** Delivery failures are Warning Events: `kubectl get events -n NS`. */
export const eventsReadAccess = (namespace: string): ResourceAttributes => ({
  verb: 'list',
  group: '',
  resource: 'events',
  namespace,
});

/**
 * The patches an action sends decide what it needs: `patch rollouts/status` for the status patch
 * (promote, promote --full, abort, retry), `patch rollouts` for the spec patch (promote of a
 * Rollout paused with spec.paused). Nothing to send needs only `get`.
 */
export function actionAccess(namespace: string, name: string, patches: ActionPatches): ResourceAttributes[] {
  const needs: ResourceAttributes[] = [];
  const patch = { verb: 'patch', group: ARGO, resource: 'rollouts', namespace, name } as const;
  if (patches.status !== undefined) needs.push({ ...patch, subresource: 'status' });
  if (patches.spec !== undefined) needs.push(patch);
  return needs.length > 0 ? needs : [rolloutReadAccess(namespace, name)];
}

/** The verb and resource as `kubectl auth can-i` spells them: `patch rollouts/status`. */
export function describeAccess(a: ResourceAttributes): string {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace === undefined ? 'at cluster scope' : `in namespace "${a.namespace}"`;
  return `${a.verb} ${resource}${a.group ? `.${a.group}` : ''} ${where}`;
}

/** The message a refused viewer sees: who, what is missing, and how to get it. */
export function deniedMessage(viewer: Viewer, missing: ResourceAttributes): string {
  return `user "${viewer.username}" may not ${describeAccess(missing)}; ask for a Role that grants it (kubectl auth can-i ${missing.verb} ${missing.resource}${missing.subresource ? `/${missing.subresource}` : ''} -n ${missing.namespace ?? '<namespace>'})`;
}

/** A stable cache key for one viewer asking one question. */
export function accessKey(viewer: Viewer, a: ResourceAttributes): string {
  return JSON.stringify([
    viewer.username,
    viewer.uid ?? '',
    [...(viewer.groups ?? [])].sort(),
    a.verb,
    a.group,
    a.resource,
    a.subresource ?? '',
    a.namespace ?? '*',
    a.name ?? '',
  ]);
}

/**
 * An action the API server refused: a refused impersonation is the controller's missing grant (say
 * which file grants it), anything else is the server's own explanation.
 */
export function explainActionError(err: unknown, explain: (err: unknown) => string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/cannot impersonate/i.test(message))
    return 'the controller may not act as you: bind deploy/dashboard/rbac.yaml (impersonate), see docs/permissions.md';
  return explain(err);
}
