import type { EvaluateOptions } from '../expr/index.js';
import { compile, ExprError, typeName } from '../expr/index.js';

/** The conditions of an AnalysisTemplate metric. */
export interface MetricConditions {
  readonly successCondition?: string;
  readonly failureCondition?: string;
}

export type MetricResultPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

export interface MetricResultAssessment {
  readonly phase: MetricResultPhase;
  /** Why the phase is Error. */
  readonly message?: string;
}

type ConditionOutcome =
  | { readonly ok: true; readonly value: boolean }
  | { readonly ok: false; readonly message: string };

/**
 * Assesses one measurement the way Argo Rollouts does (utils/evaluate/evaluate.go): the failure condition
 * wins over the success condition; with only a success condition anything else fails; with only a failure
 * condition anything else succeeds; with both and neither true the result is inconclusive; with none it
 * succeeds. A condition that does not compile, fails to evaluate or is not a bool makes the phase Error,
 * with Argo's (v1.10) message: `could not evaluate successCondition "<expr>": <reason>`, where the reason
 * is `metric result is nil or empty: no data returned from the metric provider` when the result is nil or
 * an empty array. The value is visible as `result`.
 */
export function evaluateMetricResult(
  metric: MetricConditions,
  result: unknown,
  options: EvaluateOptions = {},
): MetricResultAssessment {
  const successCondition = metric.successCondition ?? '';
  const failureCondition = metric.failureCondition ?? '';
  let success = false;
  let failure = false;
  if (successCondition !== '') {
    const outcome = evaluateCondition(successCondition, result, options);
    if (!outcome.ok) return evalError('successCondition', successCondition, result, outcome.message);
    success = outcome.value;
  }
  if (failureCondition !== '') {
    const outcome = evaluateCondition(failureCondition, result, options);
    if (!outcome.ok) return evalError('failureCondition', failureCondition, result, outcome.message);
    failure = outcome.value;
  }
  if (successCondition === '' && failureCondition === '') return { phase: 'Successful' };
  if (failureCondition === '') failure = !success;
  if (successCondition === '') success = !failure;
  if (failure) return { phase: 'Failed' };
  return success ? { phase: 'Successful' } : { phase: 'Inconclusive' };
}

/** Argo's `isNilOrEmpty`: nil, or an empty slice. */
const isNilOrEmpty = (result: unknown): boolean =>
  result === null || result === undefined || (Array.isArray(result) && result.length === 0);

/** Argo's `formatEvalError`. */
function evalError(
  field: 'successCondition' | 'failureCondition',
  condition: string,
  result: unknown,
  reason: string,
): MetricResultAssessment {
  const why = isNilOrEmpty(result)
    ? 'metric result is nil or empty: no data returned from the metric provider'
    : reason;
  return { phase: 'Error', message: `could not evaluate ${field} "${condition}": ${why}` };
}

function evaluateCondition(condition: string, result: unknown, options: EvaluateOptions): ConditionOutcome {
  try {
    const value = compile(condition).evaluate({ result: result ?? null }, options);
    if (typeof value !== 'boolean')
      return { ok: false, message: `expected bool, but got ${typeName(value)}` };
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    return { ok: false, message: err.message };
  }
}
