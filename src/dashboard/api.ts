/**
 * The dashboard's answers for one viewer: the Fleet and Rollout views filtered by RBAC, and the
 * actions checked with the same verbs the kubectl plugin needs. Reads come from the informer caches;
 * only the reviews (cached) and the actions themselves reach the API server.
 */
import type { RolloutObject } from '../cli/rollout-view/index.js';
import { SlipwayError } from '../errors/index.js';
import { explainAccessError, Index, objectKey } from '../kube/index.js';
import type { Logger } from '../observability/index.js';
import {
  abortRollout,
  promotePatches,
  promoteRollout,
  restartRollout,
  retryRollout,
  type UserActionClient,
  undoRollout,
} from '../rollouts/index.js';
import {
  type ActionPatches,
  actionAccess,
  childReadAccess,
  deniedMessage,
  explainActionError,
  listAccess,
  type ResourceAttributes,
  rolloutReadAccess,
  specActionAccess,
  type Viewer,
} from './access.js';
import { ApplicationsApi } from './application-api.js';
import type { ApplicationGitSource } from './application-git.js';
import { type BlueGreenView, blueGreenView } from './blue-green-view.js';
import type { DashboardStores } from './caches.js';
import { type ExperimentView, experimentViews } from './experiment-view.js';
import { type FleetRow, type FleetView, fleetView, type Visibility } from './fleet-view.js';
import { NotificationsApi } from './notifications-api.js';
import type { AccessReviewer } from './reviews.js';
import { type RolloutAction, type RolloutDetail, rolloutDetail } from './rollout-detail.js';

export type ApiResult<T> =
  | { readonly status: 200; readonly body: T }
  | { readonly status: 400 | 403 | 404 | 502 | 503; readonly error: string };

export interface RolloutPage extends RolloutDetail {
  /** Children the viewer may not read are left out; this says which. */
  readonly hidden: readonly string[];
  /** A blue-green Rollout's Services, selectors and auto-promotion countdown. */
  readonly blueGreen?: BlueGreenView;
  /** The Experiments of its `experiment` steps (empty without). */
  readonly experiments: readonly ExperimentView[];
}

export interface ActionOutcome {
  readonly message: string;
}

export const ROLLOUT_ACTIONS: readonly RolloutAction[] = [
  'promote',
  'promote-full',
  'abort',
  'retry',
  'restart',
  'undo',
];

/** What an action request may carry: undo's revision (0 or absent: the previous one), rollback's history id. */
export interface ActionInput {
  readonly revision?: number;
  readonly id?: number;
}

export interface DashboardApiOptions {
  readonly stores: DashboardStores;
  readonly reviewer: AccessReviewer;
  /** Acts for a viewer whose RBAC allowed the action, unless `actAs` is given. */
  readonly client: UserActionClient;
  /**
   * The client that acts as this viewer: the controller's client impersonating them, so the API
   * server checks the viewer's own RBAC again and its audit log names them. Default: `client`
   * (`slipway dashboard`, where the client already is the kubeconfig's user).
   */
  readonly actAs?: (viewer: Viewer) => UserActionClient;
  /** Refuse every action (`--dashboard-read-only`). */
  readonly readOnly: boolean;
  /** The Application page's diff against Git and history commits. Default: none (no diff shown). */
  readonly git?: ApplicationGitSource;
  readonly now: () => number;
  readonly logger: Logger;
}

const denied = (viewer: Viewer, missing: ResourceAttributes) =>
  ({ status: 403, error: deniedMessage(viewer, missing) }) as const;

export class DashboardApi {
  /** The Application page and its Sync / Refresh. */
  readonly applications: ApplicationsApi;
  /** The Notifications page. */
  readonly notifications: NotificationsApi;

  constructor(private readonly options: DashboardApiOptions) {
    this.applications = new ApplicationsApi(options);
    this.notifications = new NotificationsApi(options, this);
  }

  get readOnly(): boolean {
    return this.options.readOnly;
  }

  /** The first of `needs` RBAC refuses, or undefined when all are allowed. */
  async missing(
    viewer: Viewer,
    needs: readonly ResourceAttributes[],
  ): Promise<ResourceAttributes | undefined> {
    const answers = await Promise.all(needs.map((a) => this.options.reviewer.can(viewer, a)));
    return needs.find((_, i) => !answers[i]);
  }

  async fleet(viewer: Viewer): Promise<ApiResult<FleetView>> {
    const { stores } = this.options;
    const rollouts = stores.rollouts.list();
    const applications = stores.applications?.list() ?? [];
    return {
      status: 200,
      body: fleetView(rollouts, applications, await this.visibility(viewer, rollouts, applications)),
    };
  }

  /** Which kinds the viewer may list in the namespaces these objects are in. */
  async visibility(
    viewer: Viewer,
    rollouts: readonly { metadata: { namespace?: string } }[],
    applications: readonly { metadata: { namespace?: string } }[],
  ): Promise<Visibility> {
    const allowed = new Map<string, boolean>();
    const kinds: FleetRow['kind'][] = ['Rollout', 'Application'];
    for (const kind of kinds) {
      const everywhere = await this.options.reviewer.can(viewer, listAccess(kind));
      const items: readonly { metadata: { namespace?: string } }[] =
        kind === 'Rollout' ? rollouts : applications;
      const namespaces = new Set(items.map((o) => o.metadata.namespace ?? ''));
      await Promise.all(
        [...namespaces].map(async (ns) => {
          allowed.set(
            `${kind}/${ns}`,
            everywhere || (await this.options.reviewer.can(viewer, listAccess(kind, ns))),
          );
        }),
      );
    }
    return (kind, ns) => allowed.get(`${kind}/${ns}`) === true;
  }

  async rollout(viewer: Viewer, namespace: string, name: string): Promise<ApiResult<RolloutPage>> {
    const read = rolloutReadAccess(namespace, name);
    if (!(await this.options.reviewer.can(viewer, read))) return denied(viewer, read);
    const { stores } = this.options;
    const rollout = stores.rollouts.get(`${namespace}/${name}`);
    if (rollout === undefined)
      return { status: 404, error: `rollout "${name}" not found in namespace "${namespace}"` };
    const children = childReadAccess(namespace);
    const [runsAllowed, replicaSetsAllowed, podsAllowed] = await Promise.all([
      this.options.reviewer.can(viewer, children.analysisRuns),
      this.options.reviewer.can(viewer, children.replicaSets),
      this.options.reviewer.can(viewer, children.pods),
    ]);
    const experimentsAllowed =
      stores.experiments !== undefined && (await this.options.reviewer.can(viewer, children.experiments));
    const replicaSets = replicaSetsAllowed ? stores.replicaSets.byIndex(Index.Namespace, namespace) : [];
    const analysisRuns = runsAllowed ? stores.analysisRuns.byIndex(Index.Namespace, namespace) : [];
    const detail = rolloutDetail({
      rollout,
      now: this.options.now(),
      replicaSets,
      analysisRuns,
      pods: podsAllowed ? (stores.pods?.byIndex(Index.Namespace, namespace) ?? []) : [],
    });
    const hidden = [
      ...(runsAllowed ? [] : ['analysisruns']),
      ...(replicaSetsAllowed ? [] : ['replicasets']),
      ...(podsAllowed ? [] : ['pods']),
      ...(experimentsAllowed || stores.experiments === undefined ? [] : ['experiments']),
    ];
    const blueGreen = blueGreenView(rollout);
    const experiments = experimentsAllowed
      ? experimentViews(
          rollout,
          stores.experiments?.byIndex(Index.Namespace, namespace) ?? [],
          replicaSets,
          analysisRuns,
        )
      : [];
    return {
      status: 200,
      body: { ...detail, hidden, ...(blueGreen !== undefined && { blueGreen }), experiments },
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
    if (!(ROLLOUT_ACTIONS as readonly string[]).includes(action))
      return { status: 400, error: `unknown action "${action}"; use one of ${ROLLOUT_ACTIONS.join(', ')}` };
    if (this.options.readOnly)
      return {
        status: 403,
        error: 'the dashboard is read-only (--dashboard-read-only); use kubectl or slipway rollout',
      };
    const read = rolloutReadAccess(namespace, name);
    if (!(await this.options.reviewer.can(viewer, read))) return denied(viewer, read);
    const rollout = this.options.stores.rollouts.get(`${namespace}/${name}`);
    if (rollout === undefined)
      return { status: 404, error: `rollout "${name}" not found in namespace "${namespace}"` };
    const revision = input.revision ?? 0;
    if (!Number.isSafeInteger(revision) || revision < 0)
      return { status: 400, error: 'revision must be a whole number of 0 or more (0: the previous one)' };
    let needs: ResourceAttributes[];
    try {
      needs =
        action === 'restart' || action === 'undo'
          ? specActionAccess(namespace, name, action === 'undo')
          : actionAccess(namespace, name, patchesFor(rollout, action as StatusAction));
    } catch (err) {
      return { status: 400, error: err instanceof Error ? err.message : String(err) };
    }
    const missing = await this.missing(viewer, needs);
    const fields = { user: viewer.username, action, rollout: objectKey(rollout) };
    if (missing !== undefined) {
      log.info({ ...fields, outcome: 'denied' }, 'dashboard action refused by RBAC');
      return denied(viewer, missing);
    }
    const ref = { namespace, name };
    // sent as the viewer (impersonated): the API server checks the viewer's RBAC once more
    const client = this.options.actAs?.(viewer) ?? this.options.client;
    let message = `rollout "${name}": ${action} sent`;
    try {
      if (action === 'promote') await promoteRollout(client, ref);
      else if (action === 'promote-full') await promoteRollout(client, ref, { full: true });
      else if (action === 'abort') await abortRollout(client, ref);
      else if (action === 'retry') await retryRollout(client, ref);
      else if (action === 'restart') await restartRollout(client, ref, this.options.now());
      else {
        const plan = await undoRollout(client, ref, revision);
        message =
          plan.kind === 'skip'
            ? `rollout "${name}": already at revision ${plan.revision}; nothing to undo`
            : `rollout "${name}": undo to revision ${plan.revision} sent`;
      }
    } catch (err) {
      log.warn({ ...fields, err }, 'dashboard action failed');
      return {
        status: err instanceof SlipwayError && err.code === 'ROLLOUT_ACTION' ? 400 : 502,
        error: explainActionError(err, explainAccessError),
      };
    }
    log.info({ ...fields, outcome: 'done' }, 'dashboard action');
    return { status: 200, body: { message } };
  }
}

type StatusAction = Exclude<RolloutAction, 'restart' | 'undo'>;

/** What each status action would send to this Rollout now (for its RBAC check). */
function patchesFor(rollout: RolloutObject, action: StatusAction): ActionPatches {
  switch (action) {
    case 'promote':
      return promotePatches(rollout);
    case 'promote-full':
      return promotePatches(rollout, { full: true });
    case 'abort':
      return { status: { status: { abort: true } } };
    case 'retry':
      return { status: { status: { abort: false } } };
  }
}
