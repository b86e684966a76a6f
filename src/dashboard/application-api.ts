/**
 * The Application page and its actions for one viewer. The page needs `get applications`; the Rollouts
 * it owns are expanded where the viewer may `get` them (their ReplicaSets and pods where they may
 * list those). Sync and Refresh need `patch applications` and are sent as the viewer.
 */
import { explainAccessError, Index, isForbidden } from '../kube/index.js';
import type { Application } from '../sync/index.js';
import {
  applicationActionAccess,
  applicationReadAccess,
  childReadAccess,
  deniedMessage,
  explainActionError,
  rolloutReadAccess,
  type Viewer,
} from './access.js';
import type { ActionOutcome, ApiResult, DashboardApiOptions } from './api.js';
import { type ApplicationDetail, applicationDetail } from './application-detail.js';

export type ApplicationAction = 'sync' | 'refresh';
export const APPLICATION_ACTIONS: readonly ApplicationAction[] = ['sync', 'refresh'];

export interface ApplicationPage extends ApplicationDetail {
  /** Which actions make sense now (the server still checks RBAC). */
  readonly actions: Readonly<Record<ApplicationAction, boolean>>;
}

const notFound = (name: string, namespace: string) =>
  ({ status: 404, error: `application "${name}" not found in namespace "${namespace}"` }) as const;

/** An operation is running or requested: Argo CD refuses a second one the same way. */
const isOperationInProgress = (app: Application) =>
  app.operation !== undefined || app.status?.operationState?.phase === 'Running';

/** Argo CD's merge patches: `operation` (as `argocd app sync`) and the refresh annotation. */
export function applicationActionPatch(action: ApplicationAction, viewer: Viewer): Record<string, unknown> {
  return action === 'sync'
    ? { operation: { sync: { prune: false }, initiatedBy: { username: viewer.username } } }
    : { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } };
}

export class ApplicationsApi {
  constructor(private readonly options: DashboardApiOptions) {}

  async page(viewer: Viewer, namespace: string, name: string): Promise<ApiResult<ApplicationPage>> {
    const { reviewer, stores } = this.options;
    const read = applicationReadAccess(namespace, name);
    if (!(await reviewer.can(viewer, read))) return { status: 403, error: deniedMessage(viewer, read) };
    const app = stores.applications?.get(`${namespace}/${name}`);
    if (app === undefined) return notFound(name, namespace);
    // ask once per Rollout and per namespace before the (synchronous, pure) view is computed
    const rolloutResources = (app.status?.resources ?? []).filter(
      (r) => r.group === 'argoproj.io' && r.kind === 'Rollout',
    );
    const readable = new Set<string>();
    const listable = new Map<string, { replicaSets: boolean; pods: boolean }>();
    await Promise.all(
      rolloutResources.map(async (r) => {
        if (await reviewer.can(viewer, rolloutReadAccess(r.namespace, r.name)))
          readable.add(`${r.namespace}/${r.name}`);
      }),
    );
    await Promise.all(
      [...new Set(rolloutResources.map((r) => r.namespace))].map(async (ns) => {
        const children = childReadAccess(ns);
        const [replicaSets, pods] = await Promise.all([
          reviewer.can(viewer, children.replicaSets),
          reviewer.can(viewer, children.pods),
        ]);
        listable.set(ns, { replicaSets, pods });
      }),
    );
    const detail = applicationDetail(
      app,
      {
        rollout: (ns, n) => (readable.has(`${ns}/${n}`) ? stores.rollouts.get(`${ns}/${n}`) : undefined),
        replicaSets: (ns) =>
          listable.get(ns)?.replicaSets ? stores.replicaSets.byIndex(Index.Namespace, ns) : [],
        pods: (ns) => (listable.get(ns)?.pods ? (stores.pods?.byIndex(Index.Namespace, ns) ?? []) : []),
      },
      this.options.now(),
    );
    return {
      status: 200,
      body: { ...detail, actions: { sync: !isOperationInProgress(app), refresh: true } },
    };
  }

  async act(
    viewer: Viewer,
    namespace: string,
    name: string,
    action: string,
  ): Promise<ApiResult<ActionOutcome>> {
    const log = this.options.logger;
    if (!(APPLICATION_ACTIONS as readonly string[]).includes(action))
      return {
        status: 400,
        error: `unknown action "${action}"; use one of ${APPLICATION_ACTIONS.join(', ')}`,
      };
    if (this.options.readOnly)
      return {
        status: 403,
        error: 'the dashboard is read-only (--dashboard-read-only); use kubectl or slipway app',
      };
    const read = applicationReadAccess(namespace, name);
    if (!(await this.options.reviewer.can(viewer, read)))
      return { status: 403, error: deniedMessage(viewer, read) };
    const app = this.options.stores.applications?.get(`${namespace}/${name}`);
    if (app === undefined) return notFound(name, namespace);
    const fields = { user: viewer.username, action, application: `${namespace}/${name}` };
    const patch = applicationActionAccess(namespace, name);
    if (!(await this.options.reviewer.can(viewer, patch))) {
      log.info({ ...fields, outcome: 'denied' }, 'dashboard action refused by RBAC');
      return { status: 403, error: deniedMessage(viewer, patch) };
    }
    if (action === 'sync' && isOperationInProgress(app))
      return { status: 400, error: 'another operation is already in progress; wait for it to finish' };
    const client = this.options.actAs?.(viewer) ?? this.options.client;
    try {
      await client.patch(
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace, name },
        applicationActionPatch(action as ApplicationAction, viewer),
        { type: 'merge' },
      );
    } catch (err) {
      log.warn({ ...fields, err }, 'dashboard action failed');
      return {
        status: isForbidden(err) ? 403 : 502,
        error: explainActionError(err, explainAccessError),
      };
    }
    log.info({ ...fields, outcome: 'done' }, 'dashboard action');
    return { status: 200, body: { message: `application "${name}": ${action} requested` } };
  }
}
