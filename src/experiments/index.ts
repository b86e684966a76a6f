// The Experiment controller's public surface: what the CLI, other modules, tests and benches use.
export type { ActionFailures, ExperimentAction, ExperimentEvent } from './actions.js';
export { failureKey } from './actions.js';
export {
  buildExperimentAnalysisRun,
  INSTANCE_ID_LABEL,
  isAnalysisCompleted,
  resolveExperimentArgs,
} from './analysis-runs.js';
export {
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_SCALE_DOWN_DELAY_SECONDS,
  ExperimentConditionType,
  ExperimentReason,
  experimentSpecProblem,
} from './conditions.js';
export {
  DEFAULT_EXPERIMENT_THREADS,
  type ExperimentsModuleOptions,
  experimentsControllerModule,
  type RegisterExperimentsOptions,
  registerExperimentController,
} from './controller-module.js';
export { decideExperiment, type ExperimentDecision, type ExperimentObservation } from './decide.js';
export { EXPERIMENTS_FIELD_MANAGER, ExperimentExecutor, experimentSubject } from './executor.js';
export { experimentDurationMs, parseExperimentDuration } from './experiment-duration.js';
export { calculatePhase, isTerminating, nextWakeAt, REQUIRED_ANALYSIS_COMPLETED_MESSAGE } from './phase.js';
export { type ExperimentInformers, type ExperimentObject, ExperimentReconciler } from './reconciler.js';
export {
  buildTemplateReplicaSet,
  buildTemplateService,
  EXPERIMENT_NAME_ANNOTATION,
  EXPERIMENT_TEMPLATE_NAME_ANNOTATION,
  templateReplicaSetName,
} from './template-objects.js';
export { isTemplateCompleted } from './template-status.js';
export type * from './types.js';
