/**
 * Rollback as Argo CD's API server does it (server/application/application.go `Rollback`): a sync of
 * a history entry's revision(s), refused while automated sync is on, when the entry does not exist,
 * or while another operation is in progress. One rule for `slipway app rollback` and the dashboard.
 * Pure.
 */
import type { Application, Operation, RevisionHistory } from '../types.js';
import { isAutomatedSyncEnabled } from './auto-sync.js';

export type RollbackPlan =
  | { readonly kind: 'rollback'; readonly entry: RevisionHistory; readonly operation: Operation }
  | { readonly kind: 'refused'; readonly message: string };

/** The entry `argocd app rollback NAME` (no id) goes back to: the one before the current deployment. */
export function previousHistoryId(app: Application): number | undefined {
  return (app.status?.history ?? []).at(-2)?.id;
}

/** The revision(s) of a history entry, as `app history` prints them. */
export const historyRevision = (h: RevisionHistory): string => h.revision ?? (h.revisions ?? []).join(',');

export function planRollback(app: Application, id: number | undefined, username: string): RollbackPlan {
  if (app.metadata.deletionTimestamp !== undefined)
    return { kind: 'refused', message: 'application is deleting' };
  if (isAutomatedSyncEnabled(app))
    return { kind: 'refused', message: 'rollback cannot be initiated when auto-sync is enabled' };
  const entry = (app.status?.history ?? []).find((h) => h.id === id);
  if (entry === undefined)
    return {
      kind: 'refused',
      message: `application ${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''} does not have deployment with id ${String(id)}`,
    };
  // Argo CD's SetAppOperation refuses a second operation the same way
  if (app.operation !== undefined)
    return { kind: 'refused', message: 'another operation is already in progress' };
  const syncOptions = app.spec.syncPolicy?.syncOptions;
  return {
    kind: 'rollback',
    entry,
    operation: {
      sync: {
        ...(entry.revisions !== undefined
          ? { revisions: entry.revisions }
          : { revision: entry.revision ?? '' }),
        prune: false,
        ...(syncOptions !== undefined && syncOptions.length > 0 && { syncOptions }),
      },
      initiatedBy: { username },
    },
  };
}
