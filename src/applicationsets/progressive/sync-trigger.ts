/**
 * What RollingSync writes on the Applications it manages: the auto-sync hold (the sync loop then
 * auto-syncs no revision or source the Application was not synced to before, so a new commit waits
 * for its step while self-heal keeps working; docs/decisions/014-rolling-sync.md) and, when an
 * Application's step is reached, the sync operation Argo CD's ApplicationSet controller writes.
 */
import { AUTO_SYNC_HOLD_ANNOTATION, type Operation } from '../../sync/index.js';
import type { GeneratedApplication } from '../template/render.js';

export const ROLLING_SYNC_INITIATOR = 'applicationset-controller';
export const ROLLING_SYNC_REASON = 'ApplicationSet RollingSync triggered a sync of this Application resource';

interface SyncPolicyView {
  readonly automated?: { readonly prune?: boolean };
  readonly syncOptions?: readonly string[];
  readonly retry?: Operation['retry'];
}

/** Argo's `syncApplication`: the Application's own sync options, retry (else 5 attempts) and prune. */
export function rollingSyncOperation(spec: Readonly<Record<string, unknown>>): Operation {
  const policy = spec.syncPolicy as SyncPolicyView | undefined;
  return {
    initiatedBy: { username: ROLLING_SYNC_INITIATOR, automated: true },
    info: [{ name: 'Reason', value: ROLLING_SYNC_REASON }],
    sync: {
      ...(policy?.syncOptions !== undefined && { syncOptions: policy.syncOptions }),
      ...(policy !== undefined && { prune: policy.automated?.prune === true }),
    },
    retry: policy?.retry ?? { limit: 5 },
  };
}

/** Every generated Application carries the hold while its ApplicationSet uses RollingSync. */
export function withAutoSyncHold(
  generated: readonly GeneratedApplication[],
  appSetName: string,
): GeneratedApplication[] {
  return generated.map((g) => ({
    ...g,
    metadata: {
      ...g.metadata,
      annotations: {
        ...(g.metadata.annotations ?? {}),
        [AUTO_SYNC_HOLD_ANNOTATION]: `ApplicationSet/${appSetName}`,
      },
    },
  }));
}
