export {
  type CronParseResult,
  type CronSchedule,
  nextActivation,
  parseCronSchedule,
} from './cron-schedule.js';
export { BLOCKED_BY_SYNC_WINDOW, decideSyncGate, type SyncGate, type SyncGateInput } from './sync-gate.js';
export {
  activeWindows,
  type CanSyncOptions,
  canSync,
  matchingWindows,
  nextWindowChangeMs,
  type SyncWindowState,
  syncWindowState,
  type WindowsResult,
  type WindowTarget,
} from './sync-windows.js';
export { matchesWindowGlob } from './window-glob.js';
