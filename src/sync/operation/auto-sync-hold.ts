import { canonicalJson } from '../../go/index.js';
import type { Application } from '../types.js';

/**
 * An Application carrying this annotation (its value says who holds it, e.g. `ApplicationSet/web`)
 * is auto-synced only to the revision and source its last sync used: self-heal keeps working, a new
 * commit or a changed source waits for an explicit sync operation. The ApplicationSet controller's
 * RollingSync sets it so that automated sync can stay on (docs/decisions/014-rolling-sync.md).
 */
export const AUTO_SYNC_HOLD_ANNOTATION = 'slipway.dev/auto-sync-hold';

/** Why automated sync to `revision` is held, or `undefined` when it is not. Pure. */
export function autoSyncHold(app: Application, revision: string): string | undefined {
  const holder = app.metadata.annotations?.[AUTO_SYNC_HOLD_ANNOTATION];
  if (holder === undefined) return undefined;
  const last = app.status?.operationState?.syncResult;
  const sameTarget =
    last !== undefined &&
    last.revision === revision &&
    canonicalJson(last.source ?? null) === canonicalJson(app.spec.source ?? null);
  return sameTarget ? undefined : `automated sync to ${revision} is held by ${holder}`;
}
