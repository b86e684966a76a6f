export { REDACTED, redact, substituteArgs } from './args.js';
export {
  type AssessRunInput,
  assessLimits,
  assessMetricStatus,
  assessRun,
  isTerminating,
  isWorsePhase,
  type LimitBreach,
  type MetricTransition,
  type RunAssessment,
} from './assess.js';
export {
  type ConditionCompileError,
  conditionCompileError,
  firstConditionCompileError,
  formatConditionError,
  templateConditionError,
} from './condition-check.js';
export {
  CONTROLLER_INSTANCE_ID_LABEL,
  instanceIdLabels,
  instanceIdSelector,
} from './controller-instance.js';
export {
  type AnalysisControllerOptions,
  type AnalysisModuleOptions,
  analysisControllerModule,
  DEFAULT_ANALYSIS_THREADS,
  registerAnalysisController,
} from './controller-module.js';
export type { MetricConditions, MetricResultAssessment, MetricResultPhase } from './evaluate.js';
export { evaluateMetricResult } from './evaluate.js';
export { type CollectGarbageOptions, collectGarbage, metricsOverLimit } from './garbage-collect.js';
export { type MeasureOptions, takeMeasurements } from './measure.js';
export {
  DEFAULT_CONSECUTIVE_ERROR_LIMIT,
  DEFAULT_MEASUREMENT_HISTORY_LIMIT,
  ERROR_RETRY_INTERVAL_MS,
} from './metric-fields.js';
export {
  dryRunMetricNames,
  isDryRunMetric,
  retentionLimits,
  validateMetric,
  validateMetrics,
} from './metric-rules.js';
export {
  convertPromResult,
  evaluateJsonPath,
  goJsonText,
  type JobClient,
  JobProvider,
  jobsToDelete,
  type MeasureContext,
  type MetricProvider,
  measurePromResponse,
  measureWebResponse,
  type PromResponseBody,
  ProviderRegistry,
  prometheusSpecProblem,
  RESOLVED_QUERY_KEY,
  resolveRange,
  sequencedJobName,
  type WebRequest,
  webRequest,
} from './providers/index.js';
export { measurementLimit, recordMeasurement, trimMeasurements } from './record-measurement.js';
export {
  type BuildAnalysisRunSpecOptions,
  type BuildAnalysisRunSpecResult,
  buildAnalysisRunSpec,
  mergeArgs,
  type ResolveTemplateRefsResult,
  resolveTemplateRefs,
  type TemplateLookup,
} from './run-from-templates.js';
export { type EvaluateOnceOptions, evaluateOnce, type MetricVerdict } from './run-once.js';
export { ANALYSIS_RUN_GVK, type AnalysisRunObject, AnalysisRunReconciler } from './run-reconciler.js';
export { generateMetricTasks, type MetricTask, metricDueAt, nextReconcileTime } from './schedule.js';
export type * from './types.js';
export { isCompletedPhase } from './types.js';
