// The Rollout controller's public surface: what the CLI, the other modules, tests and benches use.
// Everything else in this folder is internal; add a name here only when something outside needs it.
export { type AnalysisRun, plannedRunName } from './analysis/analysis-runs.js';
export { analysisTemplateError, referencesAnalysisTemplates } from './analysis/analysis-template-check.js';
export { planPromotionRuns } from './bluegreen/analysis.js';
export { withAntiAffinity } from './bluegreen/anti-affinity.js';
export { decideBlueGreen } from './bluegreen/decide.js';
export {
  type BlueGreenContext,
  type BlueGreenEvent,
  blueGreenMachine,
  runBlueGreenMachine,
} from './bluegreen/machine.js';
export { newReplicaSetReplicas, planBlueGreenScaling } from './bluegreen/replicas.js';
export { blueGreenStrategy } from './bluegreen/strategy.js';
export { abortScaleDownDelaySeconds, planAbortedCanaryScaleDown } from './canary/abort-scale-down.js';
export { decideCanary as decide, decideCanary } from './canary/decide.js';
export { type CanaryDecision, decisionOf } from './canary/decision.js';
export { type CanaryWorld, planCanaryActions } from './canary/effects.js';
export {
  continueRolloutMachine,
  type RolloutContext,
  type RolloutEvent,
  type RolloutMachineRun,
  rolloutMachine,
  runRolloutMachine,
} from './canary/machine.js';
export { pauseStepProgress } from './canary/pause.js';
export { DEFAULT_MAX_REPLICAS, replicaCeilingError } from './canary/replica-ceiling.js';
export { planRoutedOlderScaleDown, planScaling } from './canary/scaling.js';
export {
  computeStepHash,
  currentSetWeight,
  currentStepIndex,
  describeStep,
  desiredCanaryScale,
  hasStepHashChanged,
  isPauseStepCompleted,
  maxTrafficWeight,
  pauseTimeRemainingMs,
} from './canary/steps.js';
export { canaryStrategy } from './canary/strategy.js';
export { planTraffic, type TrafficPlan, type TrafficPlanInput } from './canary/traffic.js';
export { targetTrafficRoutedReplicas, trafficRoutedReplicaInput } from './canary/traffic-routed-scaling.js';
export {
  DEFAULT_ROLLOUT_THREADS,
  type RegisterRolloutsOptions,
  type RolloutsModuleOptions,
  registerRolloutController,
  rolloutsModule,
} from './controller/controller.js';
export { FIELD_MANAGER, RolloutExecutor } from './controller/executor.js';
export { type RolloutInformers, type RolloutObject, RolloutReconciler } from './controller/reconciler.js';
export { MANAGED_BY_ANNOTATION, planServiceSwitches } from './controller/services.js';
export {
  runTrafficActions,
  type TrafficOutcome,
  WEIGHT_VERIFY_RETRY_MS,
} from './controller/traffic-actions.js';
export { RolloutWorkloads, type WorkloadLookup } from './controller/workloads.js';
export { planUndo } from './operations/undo.js';
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
} from './operations/user-actions.js';
export { planEphemeralMetadata } from './replica-sets/ephemeral-metadata.js';
export { buildReplicaSet, isControlledBy, type ReplicaSet, revisionOf } from './replica-sets/replica-sets.js';
export { planRestart, type RestartPlan } from './replica-sets/restart.js';
export {
  DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS,
  DEFAULT_SCALE_DOWN_DELAY_SECONDS,
  type DelayedReplicaSet,
  planScaleDownDelay,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type ScaleDownDelayInput,
  type ScaleDownDelayPlan,
  type ScaleDownDelayVerdict,
  scaleDownDeadlineOf,
} from './replica-sets/scale-down-delay.js';
export {
  type BasicCanaryInput,
  type CanaryReplicasOrWeight,
  calculateBasicCanaryReplicas,
  calculateTrafficRoutedCanaryReplicas,
  canaryReplicasOrWeight,
  type DesiredSplitInput,
  desiredSplit,
  type IntOrStringInput,
  resolveMaxSurge,
  resolveMaxUnavailable,
  type SetCanaryScaleInput,
  type TrafficRoutedCanaryInput,
  trafficWeightToReplicas,
} from './replicas.js';
export {
  INVALID_DURATION,
  InvalidDurationError,
  parsePauseDuration,
  pauseDurationSeconds,
} from './spec/duration.js';
export {
  computePodTemplateHash,
  EPHEMERAL_METADATA_ANNOTATION,
  findNewReplicaSet,
  POD_TEMPLATE_HASH_LABEL,
  podTemplateEqualIgnoreHash,
} from './spec/pod-template-hash.js';
export { unsupportedFeature } from './spec/unsupported-features.js';
export {
  formatValidationError,
  invalidSpecMessage,
  type ValidateRolloutOptions,
  type ValidationError,
  validateRollout,
} from './spec/validation.js';
export {
  planWorkloadScaleDown,
  resolveWorkloadRef,
  ScaleDown,
  WORKLOAD_GENERATION_ANNOTATION,
  WorkloadRefMessage,
  type WorkloadResolution,
  type WorkloadScaleDownInput,
  workloadKindOf,
} from './spec/workload-ref.js';
export {
  ConditionReason,
  formatMessage,
  invalidSpecCondition,
  type NewCondition,
  RolloutConditionType,
  setRolloutCondition,
} from './status/conditions.js';
export {
  calculateRolloutPhase,
  computeRolloutPhase,
  isGenerationObserved,
  isUnpausing,
  type PhaseResult,
} from './status/phase.js';
export { isRollbackWithinWindow, type RollbackWindow } from './status/rollback-window.js';
export {
  ACTION_ORDER,
  actionsOf,
  type EventIntent,
  inExecutionOrder,
  PRE_COMMIT,
  type RolloutAction,
  type RolloutDecision,
  type RolloutObservation,
  type RolloutStrategy,
  rolloutStrategies,
  strategyFor,
} from './strategies/index.js';
export type {
  AdditionalDestination,
  TrafficRouter,
  TrafficRouterContext,
  TrafficRouterFactory,
} from './traffic/router.js';
export type {
  CanaryStep,
  CanaryStrategy,
  IntOrString,
  PodTemplateSpec,
  Rollout,
  RolloutCondition,
  RolloutPause,
  RolloutStatus,
  TrafficWeights,
  WeightDestination,
} from './types.js';
