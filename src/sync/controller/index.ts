export {
  type AppDiffDeps,
  type AppDiffOptions,
  type ApplicationDiff,
  diffApplication,
  type ResourceDiffEntry,
} from './app-diff.js';
export { appSources, isMultiSource, isRefOnly } from './app-sources.js';
export { type Comparison, compareApp, type ManagedResource, PredictionCache } from './comparison.js';
export { type DesiredState, DesiredStateCache } from './desired-state.js';
export { LiveState } from './live-state.js';
export {
  registerSyncController,
  type SyncControllerHandle,
  type SyncControllerOptions,
  type SyncModuleOptions,
  syncControllerModule,
} from './module.js';
export { ApplicationReconciler } from './reconciler.js';
export { applicationSpecError } from './spec-check.js';
export { appendHistory, buildStatus } from './status.js';
export { resourceKey, TRACKING_LABEL, withTracking } from './tracking.js';
