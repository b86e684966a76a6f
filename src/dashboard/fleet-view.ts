/**
 * The Fleet page: one row per Rollout and Application the viewer may list, with the counts by state.
 * Pure: objects and the viewer's visibility in, rows out.
 */
import { clientRolloutPhase, currentSetWeight, type RolloutObject } from '../cli/rollout-view/index.js';
import type { Application } from '../sync/index.js';

export interface FleetRow {
  readonly kind: 'Rollout' | 'Application';
  readonly namespace: string;
  readonly name: string;
  /** Rollout phase (Healthy, Progressing, Paused, Degraded); an Application's health. */
  readonly status: string;
  readonly message: string;
  /** Applications: Synced / OutOfSync / Unknown. */
  readonly sync: string;
  /** Rollouts: `index/steps`; '' otherwise. */
  readonly step: string;
  /** Rollouts: the desired canary weight; undefined for blue-green and Applications. */
  readonly weight: number | undefined;
  readonly strategy: string;
  /** Applications: the revision synced; Rollouts: the first container's image. */
  readonly revision: string;
}

export interface FleetView {
  readonly rows: readonly FleetRow[];
  /** Rows by `status` (a Rollout's phase, an Application's health). */
  readonly counts: Readonly<Record<string, number>>;
  /** Applications by sync status. */
  readonly syncCounts: Readonly<Record<string, number>>;
  /** Namespaces the viewer could not list (shown as a note, never their objects). */
  readonly hiddenNamespaces: number;
}

/** Whether the viewer may list this kind in this namespace. */
export type Visibility = (kind: FleetRow['kind'], namespace: string) => boolean;

export function rolloutRow(r: RolloutObject): FleetRow {
  const { phase, message } = clientRolloutPhase(r);
  const canary = r.spec?.strategy?.canary;
  const steps = canary?.steps ?? [];
  const index = r.status?.currentStepIndex;
  const containers = (r.spec?.template as { spec?: { containers?: { image?: string }[] } } | undefined)?.spec
    ?.containers;
  return {
    kind: 'Rollout',
    namespace: r.metadata.namespace ?? '',
    name: r.metadata.name ?? '',
    status: phase,
    message,
    sync: '',
    step: canary !== undefined && index !== undefined && steps.length > 0 ? `${index}/${steps.length}` : '',
    weight: canary !== undefined ? currentSetWeight(r) : undefined,
    strategy: canary !== undefined ? 'Canary' : r.spec?.strategy?.blueGreen !== undefined ? 'BlueGreen' : '',
    revision: containers?.[0]?.image ?? '',
  };
}

export function applicationRow(a: Application): FleetRow {
  const conditions = a.status?.conditions ?? [];
  return {
    kind: 'Application',
    namespace: a.metadata.namespace ?? '',
    name: a.metadata.name ?? '',
    status: a.status?.health?.status ?? 'Unknown',
    message: a.status?.health?.message ?? conditions[0]?.message ?? '',
    sync: a.status?.sync?.status ?? 'Unknown',
    step: '',
    weight: undefined,
    strategy: '',
    revision: (a.status?.sync?.revision ?? '').slice(0, 12),
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = (a: FleetRow, b: FleetRow) =>
  compare(a.namespace, b.namespace) || compare(a.kind, b.kind) || compare(a.name, b.name);

/**
 * Rows by object: cached objects are replaced, never changed, on every update, so a row computed for
 * one object serves every viewer and every re-render until the object changes.
 */
const rowCache = new WeakMap<object, FleetRow>();
function cachedRow<T extends object>(o: T, row: (o: T) => FleetRow): FleetRow {
  let r = rowCache.get(o);
  if (r === undefined) {
    r = row(o);
    rowCache.set(o, r);
  }
  return r;
}

export function fleetView(
  rollouts: readonly RolloutObject[],
  applications: readonly Application[],
  visible: Visibility,
): FleetView {
  const rows: FleetRow[] = [];
  const hidden = new Set<string>();
  const add = <T extends { metadata: { namespace?: string } }>(
    kind: FleetRow['kind'],
    items: readonly T[],
    row: (o: T) => FleetRow,
  ) => {
    for (const o of items) {
      const ns = o.metadata.namespace ?? '';
      if (visible(kind, ns)) rows.push(cachedRow(o, row));
      else hidden.add(`${kind}/${ns}`);
    }
  };
  add('Rollout', rollouts, rolloutRow);
  add('Application', applications, applicationRow);
  rows.sort(byKey);
  const counts: Record<string, number> = {};
  const syncCounts: Record<string, number> = {};
  for (const r of rows) {
    counts[r.status] = (counts[r.status] ?? 0) + 1;
    if (r.sync !== '') syncCounts[r.sync] = (syncCounts[r.sync] ?? 0) + 1;
  }
  return {
    rows,
    counts,
    syncCounts,
    hiddenNamespaces: new Set([...hidden].map((h) => h.split('/')[1])).size,
  };
}
