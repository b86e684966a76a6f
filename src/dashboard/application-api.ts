/**
 * The Application page and its actions for one viewer. The page needs `get applications`; the Rollouts
 * it owns are expanded where the viewer may `get` them (their ReplicaSets and pods where they may
 * list those). Sync and Refresh need `patch applications` and are sent as the viewer.
 */
import { explainAccessError, Index, isForbidden } from '../kube/index.js';
import { type Application, type ApplicationSource, planRollback } from '../sync/index.js';
import {
  applicationActionAccess,
  applicationReadAccess,
  childReadAccess,
  deniedMessage,
  explainActionError,
  rolloutReadAccess,
  type Viewer,
} from './access.js';
import type { ActionInput, ActionOutcome, ApiResult, DashboardApiOptions } from './api.js';
import { type ApplicationDetail, applicationDetail, HISTORY_SHOWN } from './application-detail.js';
import {
  type ApplicationDiffView,
  applicationDiffView,
  type CommitView,
  commitView,
} from './application-diff-view.js';
import { DiffsBusyError } from './application-git.js';

export type ApplicationAction = 'sync' | 'refresh' | 'rollback';
export const APPLICATION_ACTIONS: readonly ApplicationAction[] = ['sync', 'refresh', 'rollback'];

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
export function applicationActionPatch(
  action: Exclude<ApplicationAction, 'rollback'>,
  viewer: Viewer,
): Record<string, unknown> {
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
      body: {
        ...detail,
        actions: {
          sync: !isOperationInProgress(app),
          refresh: true,
          rollback: !isOperationInProgress(app) && detail.history.length > 1,
        },
      },
    };
  }

  async act(
    viewer: Viewer,
    namespace: string,
    name: string,
    action: string,
    input: ActionInput = {},
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
    // rollback is a sync to an older revision: the same `patch applications` (Argo CD's `sync` action)
    const access = applicationActionAccess(namespace, name);
    if (!(await this.options.reviewer.can(viewer, access))) {
      log.info({ ...fields, outcome: 'denied' }, 'dashboard action refused by RBAC');
      return { status: 403, error: deniedMessage(viewer, access) };
    }
    if (action === 'sync' && isOperationInProgress(app))
      return { status: 400, error: 'another operation is already in progress; wait for it to finish' };
    let patch: Record<string, unknown>;
    let message = `application "${name}": ${action} requested`;
    if (action === 'rollback') {
      // Argo CD's own rule (the CLI's too): refused while auto-sync is on, or for an unknown id
      const plan = planRollback(app, input.id, viewer.username);
      if (plan.kind === 'refused') {
        log.info({ ...fields, outcome: 'refused' }, 'dashboard action refused');
        return { status: 400, error: plan.message };
      }
      patch = { operation: plan.operation };
      message = `application "${name}": rollback to ${plan.entry.id} (${(plan.entry.revision ?? (plan.entry.revisions ?? []).join(',')).slice(0, 7)}) requested`;
    } else patch = applicationActionPatch(action as 'sync' | 'refresh', viewer);
    const client = this.options.actAs?.(viewer) ?? this.options.client;
    try {
      await client.patch(
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace, name },
        patch,
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
    return { status: 200, body: { message } };
  }

  /** The readable Application, or the answer refusing it. */
  private async readable(
    viewer: Viewer,
    namespace: string,
    name: string,
  ): Promise<{ app: Application } | { refused: ApiResult<never> }> {
    const read = applicationReadAccess(namespace, name);
    if (!(await this.options.reviewer.can(viewer, read)))
      return { refused: { status: 403, error: deniedMessage(viewer, read) } };
    const app = this.options.stores.applications?.get(`${namespace}/${name}`);
    return app === undefined ? { refused: notFound(name, namespace) } : { app };
  }

  /**
   * The diff against Git, computed on request as the sync loop computes it. Needs `get applications`;
   * a resource's content is shown only where the viewer may `get` it, and Secret values never.
   */
  async diff(viewer: Viewer, namespace: string, name: string): Promise<ApiResult<ApplicationDiffView>> {
    const r = await this.readable(viewer, namespace, name);
    if ('refused' in r) return r.refused;
    const git = this.options.git;
    if (git === undefined) return { status: 404, error: 'this dashboard has no Git access' };
    let diff: Awaited<ReturnType<typeof git.diff>>;
    try {
      diff = await git.diff(r.app);
    } catch (err) {
      if (err instanceof DiffsBusyError) return { status: 503, error: err.message };
      this.options.logger.warn({ err, application: `${namespace}/${name}` }, 'dashboard diff failed');
      return {
        status: 502,
        error: `cannot compare with Git: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    const allowed = new Map<string, boolean>();
    await Promise.all(
      diff.resources.map(async (res) => {
        const group = res.apiVersion.includes('/') ? (res.apiVersion.split('/')[0] ?? '') : '';
        const resource = diff.resourceNames[`${group}/${res.kind}`];
        const id = `${res.apiVersion}|${res.kind}|${res.namespace}|${res.name}`;
        if (allowed.has(id)) return;
        allowed.set(id, false);
        if (resource === undefined) return;
        // `kubectl get KIND NAME`: a Role limited to resourceNames allows it too
        const access = {
          verb: 'get',
          group,
          resource,
          name: res.name,
          ...(res.namespace !== '' && { namespace: res.namespace }),
        };
        allowed.set(id, await this.options.reviewer.can(viewer, access));
      }),
    );
    return {
      status: 200,
      body: applicationDiffView(
        diff,
        (res) => allowed.get(`${res.apiVersion}|${res.kind}|${res.namespace}|${res.name}`) === true,
      ),
    };
  }

  /** The commits behind the history entries the page shows (author, date, message), read from Git. */
  async commits(
    viewer: Viewer,
    namespace: string,
    name: string,
  ): Promise<ApiResult<{ readonly commits: readonly CommitView[] }>> {
    const r = await this.readable(viewer, namespace, name);
    if ('refused' in r) return r.refused;
    const git = this.options.git;
    if (git === undefined) return { status: 200, body: { commits: [] } };
    const wanted = new Map<string, { repoURL: string; sha: string }>();
    for (const h of historyShown(r.app))
      for (const c of historyCommits(r.app, h)) wanted.set(`${c.repoURL}@${c.sha}`, c);
    const commits = await Promise.all(
      [...wanted.values()].map(async ({ repoURL, sha }): Promise<CommitView> => {
        try {
          return commitView(repoURL, sha, await git.commit(repoURL, sha));
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          return { repoURL, sha, author: '', date: '', subject: '', message: '', error };
        }
      }),
    );
    return { status: 200, body: { commits } };
  }
}

type HistoryEntry = NonNullable<NonNullable<Application['status']>['history']>[number];

/** The entries the page shows: the newest `HISTORY_SHOWN`. */
const historyShown = (app: Application): HistoryEntry[] =>
  [...(app.status?.history ?? [])].sort((a, b) => b.id - a.id).slice(0, HISTORY_SHOWN);

const isCommitSha = (s: string) => /^[0-9a-f]{7,64}$/i.test(s);

/** The Git commits of a history entry: one per Git source (Helm charts have versions, not commits). */
export function historyCommits(app: Application, h: HistoryEntry): { repoURL: string; sha: string }[] {
  const pairs: [ApplicationSource | undefined, string][] =
    h.revisions !== undefined
      ? h.revisions.map((rev, i) => [h.sources?.[i] ?? app.spec.sources?.[i], rev])
      : [[h.source ?? app.spec.source, h.revision ?? '']];
  return pairs
    .filter(([source, sha]) => source !== undefined && source.chart === undefined && isCommitSha(sha))
    .map(([source, sha]) => ({ repoURL: source?.repoURL ?? '', sha }));
}
