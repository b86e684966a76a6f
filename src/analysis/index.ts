export type { MetricConditions, MetricResultAssessment, MetricResultPhase } from './evaluate.js';
export { evaluateMetricResult } from './evaluate.js';
