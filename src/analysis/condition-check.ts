/**
 * Compiles metric `successCondition` / `failureCondition` up front, so that an expression that can
 * never evaluate is reported when an AnalysisRun starts (or when a Rollout references the template)
 * instead of as an Error measurement after the first interval. Pure.
 */
import { compile, ExprError } from '../expr/index.js';
import { substituteArgs } from './args.js';
import { isDryRunMetric } from './metric-rules.js';
import type { AnalysisTemplateLike, Argument, DryRun, Metric } from './types.js';

export interface ConditionCompileError {
  readonly metric: string;
  readonly field: 'successCondition' | 'failureCondition';
  readonly condition: string;
  /** The compiler's message, with line and column. */
  readonly reason: string;
}

/** Argo's wording for a condition that cannot be evaluated (utils/evaluate `formatEvalError`). */
export function formatConditionError(error: ConditionCompileError): string {
  return `could not evaluate ${error.field} "${error.condition}": ${error.reason}`;
}

/** The first of the metric's conditions that does not compile; undefined when both compile. */
export function conditionCompileError(metric: Metric): ConditionCompileError | undefined {
  for (const field of ['successCondition', 'failureCondition'] as const) {
    const condition = metric[field];
    if (condition === undefined || condition === '') continue;
    try {
      compile(condition);
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      return { metric: metric.name, field, condition, reason: err.message };
    }
  }
  return undefined;
}

/**
 * The first metric of a run whose condition does not compile. Dry-run metrics are left out: their
 * errors are recorded per measurement and never decide the run.
 */
export function firstConditionCompileError(
  metrics: readonly Metric[],
  dryRunMetrics: ReadonlySet<string>,
): ConditionCompileError | undefined {
  for (const metric of metrics) {
    if (dryRunMetrics.has(metric.name)) continue;
    const error = conditionCompileError(metric);
    if (error !== undefined) return error;
  }
  return undefined;
}

/** Argo's placeholder for template args whose value comes from elsewhere (validation_references.go). */
const ARG_PLACEHOLDER = 'dummy-value';

/**
 * The first metric of a template whose condition does not compile once its args are filled in: the
 * value the referencing Rollout passes, else the template's default, else a placeholder (values
 * from a field, a pod-template hash or a Secret). A metric whose args cannot be filled in is skipped:
 * building the run reports that. Dry-run metrics (the template's rules and `extraDryRun`, the
 * Rollout's) are skipped, as in the run.
 */
export function templateConditionError(
  template: AnalysisTemplateLike,
  provided: readonly Argument[] = [],
  extraDryRun: readonly DryRun[] = [],
): ConditionCompileError | undefined {
  const dryRun = [...extraDryRun, ...(template.spec.dryRun ?? [])];
  const values = new Map<string, string>();
  for (const arg of template.spec.args ?? []) {
    const given = provided.find((a) => a.name === arg.name);
    const value = given?.value ?? (given?.valueFrom === undefined ? arg.value : undefined);
    values.set(`args.${arg.name}`, value ?? ARG_PLACEHOLDER);
  }
  for (const metric of template.spec.metrics ?? []) {
    if (isDryRunMetric(dryRun, metric.name)) continue;
    const resolved = substituteArgs(metric, values);
    if (!resolved.ok) continue;
    const error = conditionCompileError(resolved.metric);
    if (error !== undefined) return error;
  }
  return undefined;
}
