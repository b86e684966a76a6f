// The Application controller's public surface: what the CLI, the other modules, tests and benches use.
// Everything else is internal to its sub-folder; add a name here only when something outside needs it.
export { ResourceManager } from './apply/index.js';
export {
  type AppDiffDeps,
  type ApplicationDiff,
  applicationSpecError,
  appSources,
  buildStatus,
  type Comparison,
  DesiredStateCache,
  diffApplication,
  isMultiSource,
  type ResourceDiffEntry,
  registerSyncController,
  resourceKey,
  type SyncControllerHandle,
  type SyncControllerOptions,
  type SyncModuleOptions,
  syncControllerModule,
} from './controller/index.js';
export { compareResource, hideSecretData, unifiedDiff } from './diff/index.js';
export { SyncError, SyncErrorCode } from './errors.js';
export { aggregateHealth, assessHealth } from './health/index.js';
export {
  AUTO_SYNC_HOLD_ANNOTATION,
  autoSyncHold,
  decideAutoSync,
  groupSteps,
  historyRevision,
  hookTypes,
  isAutomatedSyncEnabled,
  nextRetryAtMs,
  parseSyncOptions,
  planRollback,
  previousHistoryId,
  type RollbackPlan,
  retryDelayMs,
  selfHealDelayMs,
  syncWave,
} from './operation/index.js';
export {
  checkKustomizeInputs,
  DefaultRenderLimits,
  decodeDoubleQuoted,
  ensureRenderTools,
  findOutOfBoundsSymlink,
  globToRegExp,
  isRemoteReference,
  parseKustomizeImage,
  parseManifests,
  type RenderLimits,
  type RenderLimitsFromEnv,
  renderLimitsFromEnv,
  renderSource,
  resolveInRepo,
  SymlinkAudit,
} from './render/index.js';
export {
  type CommitMetadata,
  type CredentialSource,
  git,
  parseLsRemote,
  RepoCache,
  type RepoCredentials,
  resolveRevision,
  SecretCredentialSource,
  type WebhookSecrets,
} from './source/index.js';
export type {
  Application,
  ApplicationSource,
  AppProject,
  Operation,
  OperationState,
  ResourceIgnoreDifferences,
  SyncPhase,
  SyncWindow,
} from './types.js';
export {
  activeWindows,
  BLOCKED_BY_SYNC_WINDOW,
  canSync,
  decideSyncGate,
  matchingWindows,
  nextActivation,
  nextWindowChangeMs,
  parseCronSchedule,
  type SyncWindowState,
  syncWindowState,
} from './windows/index.js';
export {
  currentProcessOwner,
  isOwnerAlive,
  openWorkspace,
  ownerToken,
  type ProcessOwner,
  type ProcessProbe,
  parseOwnerToken,
  scratchRoot,
  systemProcessProbe,
  useScratchRoot,
  type Workspace,
} from './workspace/index.js';
