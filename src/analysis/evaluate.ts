import type { EvaluateOptions } from '../expr/index.js';
import { compile, ExprError, ExprSyntaxError, floatsFromHost, goTypeName } from '../expr/index.js';

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

/** Functions Argo's analysis environment defines over expr's builtins of the same name. */
const ARGO_ENV_FUNCTIONS = ['isNil', 'default'];

const arity = (name: string, args: readonly unknown[], n: number): void => {
  if (args.length < n) throw new Error(`not enough arguments in call to ${name}`);
  if (args.length > n) throw new Error(`too many arguments in call to ${name}`);
};

/**
 * Argo's analysis environment (utils/evaluate EvalCondition): `isNil(x)` and `default(x, d)` ignore `x` and
 * look at the whole measurement: `isNil` is whether the result is nil, `default` returns the result unless
 * it is nil (then `d`).
 */
function argoEnv(measured: unknown): Record<string, unknown> {
  const nil = measured === null || measured === undefined;
  // Argo's providers hand over float64 numbers (JSON decoded into `any`, Prometheus samples).
  const result = floatsFromHost(measured ?? null);
  return {
    result,
    isNil: (...args: unknown[]) => {
      arity('isNil', args, 1);
      return nil;
    },
    default: (...args: unknown[]) => {
      arity('default', args, 2);
      return nil ? args[1] : result;
    },
  };
}

function evaluateCondition(condition: string, result: unknown, options: EvaluateOptions): ConditionOutcome {
  try {
    // As Argo: expr.Compile(condition, expr.Env(env)), so type errors are checked against the result's types.
    const env = argoEnv(result);
    const value = compile(condition, { envFunctions: ARGO_ENV_FUNCTIONS, env }).evaluate(env, {
      ...options,
      keepNumberKinds: true,
    });
    // Argo's `expected bool, but got %T`.
    if (typeof value !== 'boolean')
      return { ok: false, message: `expected bool, but got ${goTypeName(value)}` };
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    // Argo reports expr's compile errors without their position (file.Error.Message).
    return { ok: false, message: err instanceof ExprSyntaxError ? err.reason : err.message };
  }
}
