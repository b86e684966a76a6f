import type { Application, Operation, SyncStatusCode } from '../types.js';
import { autoSyncHold } from './auto-sync-hold.js';
import { AUTOMATED_RETRY, selfHealDelayMs } from './backoff.js';
import { revisionKey } from './revision-key.js';

export type AutoSyncDecision =
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'wait'; readonly delayMs: number }
  | { readonly kind: 'blocked'; readonly message: string }
  | { readonly kind: 'sync'; readonly operation: Operation };

export interface AutoSyncInput {
  readonly app: Application;
  /** The compared revision (a multi-source app's `revisionKey`). */
  readonly revision: string;
  /** Multi-source apps: one commit per source; the operation names them as `sync.revisions`. */
  readonly revisions?: readonly string[];
  readonly syncStatus: SyncStatusCode;
  /** The comparison wants to delete every live object (nothing rendered). */
  readonly wouldPruneAll: boolean;
  readonly nowMs: number;
}

/** Argo CD's `IsAutomatedSyncEnabled`: an `automated` block not switched off by `enabled: false`. */
export const isAutomatedSyncEnabled = (app: Pick<Application, 'spec'>): boolean => {
  // `spec` may be missing on objects read as they are (the dashboard's cache)
  const automated = app.spec?.syncPolicy?.automated;
  return automated !== undefined && automated !== null && automated.enabled !== false;
};

/**
 * Argo CD's automated sync policy, pure: sync once per revision; a failed attempt at a revision is not
 * repeated (it raises a condition); with selfHeal, drift at an already-synced revision is re-applied
 * with backoff (0, 2, 6, 18, 54, 162, 300 s); allowEmpty=false refuses to prune everything.
 */
export function decideAutoSync(input: AutoSyncInput): AutoSyncDecision {
  const { app, revision } = input;
  const automated = app.spec.syncPolicy?.automated;
  if (!automated || !isAutomatedSyncEnabled(app))
    return { kind: 'none', reason: 'automated sync is disabled' };
  if (app.operation) return { kind: 'none', reason: 'an operation is in progress' };
  if (input.syncStatus === 'Synced') return { kind: 'none', reason: 'synced' };
  const hold = autoSyncHold(app, revision);
  if (hold !== undefined) return { kind: 'none', reason: hold };
  if (input.wouldPruneAll && automated.prune && !automated.allowEmpty) {
    return { kind: 'blocked', message: 'auto-sync will wipe out all resources; set allowEmpty to allow it' };
  }
  const last = app.status?.operationState;
  const sameRevision =
    revisionKey(last?.syncResult) === revision || revisionKey(last?.operation.sync) === revision;
  const retry = app.spec.syncPolicy?.retry ?? AUTOMATED_RETRY;
  const base: Operation = {
    sync: {
      ...(input.revisions ? { revisions: input.revisions } : { revision }),
      prune: automated.prune === true,
    },
    initiatedBy: { automated: true },
    retry,
  };
  if (!last || !sameRevision) return { kind: 'sync', operation: base };
  // A failed attempt that touched an object without a kind failed on a controller bug (kind-less
  // caches before 0.1.1), not on the revision: it is tried again.
  const controllerFault = last.syncResult?.resources?.some((r) => !r.kind) === true;
  if ((last.phase === 'Failed' || last.phase === 'Error') && !controllerFault) {
    return {
      kind: 'blocked',
      message: `Failed sync attempt to ${revision}: ${last.message ?? 'sync failed'}`,
    };
  }
  // Running although no operation is requested: the state of an operation nobody will finish.
  if (last.phase === 'Running') return { kind: 'sync', operation: base };
  if (controllerFault) return { kind: 'sync', operation: base };
  if (!automated.selfHeal) return { kind: 'none', reason: `already attempted sync to ${revision}` };
  // Drift after the app was seen Synced again is a fresh drift: the backoff starts over.
  const finished = last.finishedAt ? Date.parse(last.finishedAt) : 0;
  const reconciled = app.status?.reconciledAt ? Date.parse(app.status.reconciledAt) : 0;
  const wasSyncedSince = app.status?.sync?.status === 'Synced' && reconciled > finished;
  const attempts = wasSyncedSince ? 0 : (last.operation.sync?.selfHealAttemptsCount ?? 0);
  const due = finished + selfHealDelayMs(attempts);
  if (input.nowMs < due) return { kind: 'wait', delayMs: due - input.nowMs };
  return {
    kind: 'sync',
    operation: { ...base, sync: { ...base.sync, selfHealAttemptsCount: attempts + 1 } },
  };
}
