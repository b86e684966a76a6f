export {
  type AutoSyncDecision,
  type AutoSyncInput,
  decideAutoSync,
  isAutomatedSyncEnabled,
} from './auto-sync.js';
export { AUTO_SYNC_HOLD_ANNOTATION, autoSyncHold } from './auto-sync-hold.js';
export { AUTOMATED_RETRY, nextRetryAtMs, retryDelayMs, selfHealDelayMs } from './backoff.js';
export { type HookDeletePolicy, hookDeletePolicies, hookTypes, isHook } from './hooks.js';
export {
  comparePrune,
  compareTasks,
  groupSteps,
  KIND_ORDER,
  kindRank,
  type Ordered,
  PHASE_ORDER,
  syncWave,
} from './order.js';
export { revisionKey } from './revision-key.js';
export {
  historyRevision,
  planRollback,
  previousHistoryId,
  type RollbackPlan,
} from './rollback.js';
export {
  DEFAULT_WAVE_TIMEOUT_MS,
  parseDurationMs,
  parseSyncOptions,
  resourceSyncOptions,
  type SyncOptions,
} from './sync-options.js';
