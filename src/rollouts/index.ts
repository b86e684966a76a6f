// The Rollout controller's public surface: what the CLI, the other modules, tests and benches use.
// Everything else in this folder is internal; add a name here only when something outside needs it.
export { type AnalysisRun, plannedRunName } from './analysis-runs.js';
export { analysisTemplateError, referencesAnalysisTemplates } from './analysis-template-check.js';
export {
  ConditionReason,
  formatMessage,
  invalidSpecCondition,
  type NewCondition,
  RolloutConditionType,
  setCondition,
} from './conditions.js';
export {
  DEFAULT_ROLLOUT_THREADS,
  type RegisterRolloutsOptions,
  type RolloutsModuleOptions,
  registerRolloutController,
  rolloutsModule,
} from './controller.js';
export { decide } from './decide.js';
export {
  INVALID_DURATION,
  InvalidDurationError,
  parsePauseDuration,
  pauseDurationSeconds,
} from './duration.js';
export { planEphemeralMetadata } from './ephemeral-metadata.js';
export { FIELD_MANAGER, RolloutExecutor } from './executor.js';
export { type RolloutContext, type RolloutEvent, runRolloutMachine } from './machine.js';
export { calculateRolloutPhase, computeRolloutPhase, type PhaseResult } from './phase.js';
export {
  computePodTemplateHash,
  EPHEMERAL_METADATA_ANNOTATION,
  findNewReplicaSet,
  POD_TEMPLATE_HASH_LABEL,
  podTemplateEqualIgnoreHash,
} from './pod-template-hash.js';
export { type RolloutInformers, type RolloutObject, RolloutReconciler } from './reconciler.js';
export { DEFAULT_MAX_REPLICAS, replicaCeilingError } from './replica-ceiling.js';
export { buildReplicaSet, isControlledBy, type ReplicaSet, revisionOf } from './replica-sets.js';
export {
  type BasicCanaryInput,
  calculateBasicCanaryReplicas,
  type DesiredSplitInput,
  desiredSplit,
  type IntOrStringInput,
  resolveMaxSurge,
  resolveMaxUnavailable,
  trafficWeightToReplicas,
} from './replicas.js';
export { planRestart, type RestartPlan } from './restart.js';
export { isRollbackWithinWindow, type RollbackWindow } from './rollback-window.js';
export { MANAGED_BY_ANNOTATION, planServiceSwitches } from './services.js';
export {
  computeStepHash,
  currentSetWeight,
  currentStepIndex,
  describeStep,
  desiredCanaryScale,
  hasStepHashChanged,
  isPauseStepCompleted,
  pauseTimeRemainingMs,
} from './steps.js';
export type {
  CanaryStep,
  CanaryStrategy,
  IntOrString,
  PodTemplateSpec,
  Rollout,
  RolloutCondition,
  RolloutPause,
  RolloutStatus,
} from './types.js';
export { planUndo } from './undo.js';
export { unsupportedFeature } from './unsupported-features.js';
export {
  abortRollout,
  checkPromoteOptions,
  imageTarget,
  type PromoteOptions,
  pauseRollout,
  promotePatches,
  promoteRollout,
  type RolloutObjectLike,
  restartAtTimestamp,
  restartRollout,
  resumeRollout,
  retryRollout,
  setRolloutImage,
  type UserActionClient,
  undoRollout,
  withImage,
} from './user-actions.js';
export { invalidSpecMessage, validateRollout } from './validation.js';
