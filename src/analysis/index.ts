export type { MetricConditions, MetricResultAssessment, MetricResultPhase } from './evaluate.js';
export { evaluateMetricResult } from './evaluate.js';
export {
  type BuildAnalysisRunSpecOptions,
  type BuildAnalysisRunSpecResult,
  buildAnalysisRunSpec,
  mergeArgs,
  type ResolveTemplateRefsResult,
  resolveTemplateRefs,
  type TemplateLookup,
} from './run-from-templates.js';
export type * from './types.js';
export { isCompletedPhase } from './types.js';
