/**
 * Whether a sync may run now under the sync windows matching an app, and when to look again if not.
 * Pure: the decision the Application reconciler takes before starting or advancing an operation.
 */
import type { SyncWindow } from '../types.js';
import { canSync, nextWindowChangeMs } from './sync-windows.js';

/** Argo CD's operation message while a window blocks the operation (controller/sync.go). */
export const BLOCKED_BY_SYNC_WINDOW = 'Sync operation blocked by sync window';

/** Slack after a window boundary before looking again, so the boundary has surely passed. */
const BOUNDARY_SLACK_MS = 1_000;

export type SyncGate =
  | { readonly kind: 'open' }
  | {
      readonly kind: 'blocked';
      /** Argo's message, with the reason when the windows do not parse. */
      readonly message: string;
      /** When the windows next change (a window opens or closes); undefined: never. */
      readonly recheckAfterMs?: number;
    };

export interface SyncGateInput {
  readonly windows: readonly SyncWindow[];
  readonly nowMs: number;
  readonly isManual: boolean;
  readonly operationStartedMs?: number;
}

export function decideSyncGate(input: SyncGateInput): SyncGate {
  if (input.windows.length === 0) return { kind: 'open' };
  const verdict = canSync(input.windows, input.nowMs, {
    isManual: input.isManual,
    ...(input.operationStartedMs !== undefined && { operationStartedMs: input.operationStartedMs }),
  });
  if (verdict.ok && verdict.value) return { kind: 'open' };
  const next = nextWindowChangeMs(input.windows, input.nowMs);
  return {
    kind: 'blocked',
    message: verdict.ok ? BLOCKED_BY_SYNC_WINDOW : `${BLOCKED_BY_SYNC_WINDOW}: ${verdict.error}`,
    ...(next !== undefined && { recheckAfterMs: next - input.nowMs + BOUNDARY_SLACK_MS }),
  };
}
