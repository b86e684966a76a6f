/**
 * The Application page: the whole release on one page. Git source and revision, sync and health, its
 * conditions, the current operation and the history, and the resource tree (each resource with its
 * sync and health as the Application's status records them), where each Rollout it owns is expanded
 * with its live phase, step and weight, its ReplicaSets and their pods, and links to its own page.
 * Pure: the Application, the cached Rollouts, ReplicaSets and pods in, a plain view out.
 */
import { type NamespaceObjects, type RolloutObject, rolloutInfo } from '../cli/rollout-view/index.js';
import type { ReplicaSet } from '../rollouts/index.js';
import { type Application, isAutomatedSyncEnabled } from '../sync/index.js';
import { rolloutRow } from './fleet-view.js';

export interface PodRow {
  readonly name: string;
  readonly status: string;
  readonly ready: string;
  readonly restarts: number;
}

export interface ResourceNode {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly sync: string;
  readonly health: string;
  readonly message: string;
  /** Children the Application's status does not list: a Rollout's ReplicaSets. */
  readonly children: readonly ResourceNode[];
  /** A ReplicaSet's pods. */
  readonly pods: readonly PodRow[];
  /** A Rollout the viewer may read: its live summary and page. */
  readonly rollout?: {
    readonly phase: string;
    readonly step: string;
    readonly weight: number | undefined;
    readonly image: string;
  };
}

export interface ApplicationDetail {
  readonly namespace: string;
  readonly name: string;
  readonly project: string;
  readonly repoURL: string;
  readonly path: string;
  readonly targetRevision: string;
  readonly destination: string;
  readonly autoSync: boolean;
  readonly sync: string;
  /** The revision last compared (full SHA). */
  readonly revision: string;
  readonly health: string;
  readonly healthMessage: string;
  readonly reconciledAt: string;
  readonly conditions: readonly { readonly type: string; readonly message: string; readonly at: string }[];
  readonly operation:
    | {
        readonly phase: string;
        readonly message: string;
        readonly revision: string;
        readonly startedAt: string;
        readonly finishedAt: string;
        readonly initiatedBy: string;
        readonly retryCount: number;
        readonly results: readonly {
          readonly kind: string;
          readonly name: string;
          readonly status: string;
          readonly message: string;
        }[];
      }
    | undefined;
  /** Newest first. */
  readonly history: readonly {
    readonly id: number;
    readonly revision: string;
    readonly deployedAt: string;
    readonly initiatedBy: string;
  }[];
  readonly tree: readonly ResourceNode[];
  /** The Rollouts among its resources (links to their pages). */
  readonly rollouts: readonly { readonly namespace: string; readonly name: string }[];
  /** A sync was requested and not yet picked up (`operation` set). */
  readonly syncRequested: boolean;
}

/** What the viewer may see beneath the Application's own status. */
export interface ApplicationWorld {
  /** Cached Rollouts by `namespace/name`, only where the viewer may get them. */
  readonly rollout: (namespace: string, name: string) => RolloutObject | undefined;
  /** Cached ReplicaSets of a namespace, empty where the viewer may not list them. */
  readonly replicaSets: (namespace: string) => readonly ReplicaSet[];
  /** Cached pods of a namespace, empty where the viewer may not list them. */
  readonly pods: (namespace: string) => NamespaceObjects['pods'];
}

/** Most resources shown; an Application with more shows the first ones (status order). */
export const MAX_TREE_NODES = 2_000;
export const HISTORY_SHOWN = 20;
const RESULTS_SHOWN = 200;

const initiator = (by: { readonly username?: string; readonly automated?: boolean } | undefined) =>
  by?.automated === true ? 'automated' : (by?.username ?? '');

function replicaSetNodes(rollout: RolloutObject, world: ApplicationWorld, now: number): ResourceNode[] {
  const ns = rollout.metadata.namespace ?? '';
  // the plugin's view of this Rollout's ReplicaSets and pods (owner-filtered, newest revision first)
  const info = rolloutInfo({
    rollout,
    now,
    replicaSets: world.replicaSets(ns),
    pods: world.pods(ns),
    analysisRuns: [],
  });
  return info.replicaSets.map((rs) => ({
    group: 'apps',
    kind: 'ReplicaSet',
    namespace: ns,
    name: rs.name,
    sync: '',
    health: rs.status,
    message: `revision ${rs.revision}${rs.tags.length > 0 ? ` (${rs.tags.join(', ')})` : ''}: ${rs.available}/${rs.replicas} available`,
    children: [],
    pods: rs.pods.map((p) => ({ name: p.name, status: p.status, ready: p.ready, restarts: p.restarts })),
  }));
}

type ResourceStatus = NonNullable<NonNullable<Application['status']>['resources']>[number];

function resourceNode(r: ResourceStatus, world: ApplicationWorld, now: number): ResourceNode {
  const base = {
    group: r.group,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    sync: r.status ?? 'Unknown',
    health: r.health?.status ?? '',
    message: r.health?.message ?? '',
    pods: [],
  };
  const rollout =
    r.group === 'argoproj.io' && r.kind === 'Rollout' ? world.rollout(r.namespace, r.name) : undefined;
  if (rollout === undefined) return { ...base, children: [] };
  const row = rolloutRow(rollout);
  return {
    ...base,
    children: replicaSetNodes(rollout, world, now),
    rollout: { phase: row.status, step: row.step, weight: row.weight, image: row.revision },
  };
}

export function applicationDetail(app: Application, world: ApplicationWorld, now: number): ApplicationDetail {
  const s = app.status ?? {};
  const source = app.spec?.source;
  const dest = app.spec?.destination ?? {};
  const op = s.operationState;
  const resources = (s.resources ?? []).slice(0, MAX_TREE_NODES);
  return {
    namespace: app.metadata.namespace ?? '',
    name: app.metadata.name ?? '',
    project: app.spec?.project ?? 'default',
    repoURL: source?.repoURL ?? '',
    path: source?.path ?? '',
    targetRevision: source?.targetRevision || 'HEAD',
    destination: `${dest.server ?? dest.name ?? ''} ${dest.namespace ?? ''}`.trim(),
    autoSync: isAutomatedSyncEnabled(app),
    sync: s.sync?.status ?? 'Unknown',
    revision: s.sync?.revision ?? (s.sync?.revisions ?? []).join(', '),
    health: s.health?.status ?? 'Unknown',
    healthMessage: s.health?.message ?? '',
    reconciledAt: s.reconciledAt ?? '',
    conditions: (s.conditions ?? []).map((c) => ({
      type: c.type,
      message: c.message,
      at: c.lastTransitionTime ?? '',
    })),
    operation:
      op === undefined
        ? undefined
        : {
            phase: op.phase,
            message: op.message ?? '',
            revision: op.syncResult?.revision ?? op.operation?.sync?.revision ?? '',
            startedAt: op.startedAt ?? '',
            finishedAt: op.finishedAt ?? '',
            initiatedBy: initiator(op.operation?.initiatedBy),
            retryCount: op.retryCount ?? 0,
            results: (op.syncResult?.resources ?? []).slice(0, RESULTS_SHOWN).map((r) => ({
              kind: r.kind,
              name: r.name,
              status: r.hookPhase ?? r.status ?? '',
              message: r.message ?? '',
            })),
          },
    history: [...(s.history ?? [])]
      .sort((a, b) => b.id - a.id)
      .slice(0, HISTORY_SHOWN)
      .map((h) => ({
        id: h.id,
        revision: h.revision ?? (h.revisions ?? []).join(', '),
        deployedAt: h.deployedAt,
        initiatedBy: initiator(h.initiatedBy),
      })),
    tree: resources.map((r) => resourceNode(r, world, now)),
    rollouts: resources
      .filter((r) => r.group === 'argoproj.io' && r.kind === 'Rollout')
      .map((r) => ({ namespace: r.namespace, name: r.name })),
    syncRequested: app.operation !== undefined,
  };
}
