import {
  consecutiveErrorLimitOf,
  consecutiveSuccessLimitOf,
  effectiveCountOf,
  failureLimitOf,
  inconclusiveLimitOf,
  intValue,
} from './metric-fields.js';
import {
  type AnalysisPhase,
  type AnalysisRunStatus,
  isCompletedPhase,
  type Metric,
  type MetricResult,
  type RunSummary,
} from './types.js';

/** Best to worst, as Argo orders completed phases. */
const PHASE_ORDER: readonly AnalysisPhase[] = [
  'Successful',
  'Running',
  'Pending',
  'Inconclusive',
  'Error',
  'Failed',
];

/** True when `next` is worse than `current`. */
export function isWorsePhase(current: AnalysisPhase, next: AnalysisPhase): boolean {
  return PHASE_ORDER.indexOf(next) > PHASE_ORDER.indexOf(current);
}

/**
 * A run is terminating when termination was requested or any non-dry-run metric already ended Failed,
 * Error or Inconclusive (fail fast): no new measurements are started, in-flight ones are terminated.
 */
export function isTerminating(
  terminate: boolean | undefined,
  status: AnalysisRunStatus | undefined,
): boolean {
  if (terminate === true) return true;
  return (status?.metricResults ?? []).some(
    (r) => r.dryRun !== true && (r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive'),
  );
}

export interface LimitBreach {
  readonly phase: 'Failed' | 'Inconclusive' | 'Error';
  /** e.g. `failed (3) > failureLimit (2)`. */
  readonly message: string;
}

/**
 * Argo's `assessMetricFailureInconclusiveOrError`: the failure limit (−1 disables it), then the
 * inconclusive limit, then the consecutive error limit; a later breach wins.
 */
export function assessLimits(metric: Metric, result: MetricResult): LimitBreach | undefined {
  let breach: LimitBreach | undefined;
  const failureLimit = failureLimitOf(metric);
  const failed = result.failed ?? 0;
  if (failureLimit >= 0 && failed > failureLimit)
    breach = { phase: 'Failed', message: `failed (${failed}) > failureLimit (${failureLimit})` };
  const inconclusiveLimit = inconclusiveLimitOf(metric);
  const inconclusive = result.inconclusive ?? 0;
  if (inconclusive > inconclusiveLimit) {
    breach = {
      phase: 'Inconclusive',
      message: `inconclusive (${inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`,
    };
  }
  const errorLimit = consecutiveErrorLimitOf(metric);
  const consecutiveError = result.consecutiveError ?? 0;
  if (consecutiveError > errorLimit) {
    breach = {
      phase: 'Error',
      message: `consecutiveErrors (${consecutiveError}) > consecutiveErrorLimit (${errorLimit})`,
    };
  }
  return breach;
}

/**
 * The phase of one metric from its counters and latest measurement (Argo's `assessMetricStatus`):
 * completed phases stick; no measurement yet is Pending (Successful when terminating); an in-flight
 * measurement is Running; then the limits; then consecutiveSuccessLimit; then the count; an endless
 * metric is Successful only when the run terminates.
 */
export function assessMetricStatus(
  metric: Metric,
  result: MetricResult,
  terminating: boolean,
): AnalysisPhase {
  if (isCompletedPhase(result.phase)) return result.phase;
  const measurements = result.measurements ?? [];
  const last = measurements[measurements.length - 1];
  if (last === undefined) return terminating ? 'Successful' : 'Pending';
  if (!isCompletedPhase(last.phase)) return 'Running';
  const breach = assessLimits(metric, result);
  if (breach !== undefined) return breach.phase;
  const successLimit = consecutiveSuccessLimitOf(metric);
  const successApplicable = successLimit > 0;
  if (successApplicable && (result.consecutiveSuccess ?? 0) >= successLimit) return 'Successful';
  const count = effectiveCountOf(metric);
  if (count !== undefined && (result.count ?? 0) >= count) {
    const failureApplicable = (intValue(metric.failureLimit) ?? 0) >= 0;
    if (failureApplicable && successApplicable) return 'Inconclusive';
    if (successApplicable) return 'Failed';
    return 'Successful';
  }
  return terminating ? 'Successful' : 'Running';
}

export interface MetricTransition {
  readonly name: string;
  readonly from: AnalysisPhase;
  readonly to: AnalysisPhase;
}

export interface RunAssessment {
  readonly phase: AnalysisPhase;
  /** Set when the phase is final: the worst metric's reason, or `Run Terminated`. */
  readonly message: string;
  readonly metricResults: readonly MetricResult[];
  readonly runSummary: RunSummary;
  readonly dryRunSummary: RunSummary;
  /** Metrics whose phase changed in this assessment (for events and logs). */
  readonly transitions: readonly MetricTransition[];
}

export interface AssessRunInput {
  readonly metrics: readonly Metric[];
  readonly metricResults: readonly MetricResult[];
  readonly terminate?: boolean;
  /** Terminating as computed before this reconcile's measurements (Argo evaluates it once). */
  readonly terminating: boolean;
  readonly dryRunMetrics: ReadonlySet<string>;
}

interface MutableSummary {
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
}

const emptySummary = (): MutableSummary => ({
  count: 0,
  successful: 0,
  failed: 0,
  inconclusive: 0,
  error: 0,
});

/**
 * Argo's `assessRunStatus`: updates each metric's phase (and message on a transition), counts run and
 * dry-run summaries, and returns the run phase: Running until every metric completes, then the worst
 * non-dry-run phase; a terminating run ends at once with the worst phase so far (Successful if none).
 */
export function assessRun(input: AssessRunInput): RunAssessment {
  const { metrics, terminating, dryRunMetrics } = input;
  const results = [...input.metricResults];
  const transitions: MetricTransition[] = [];
  const runSummary = emptySummary();
  const dryRunSummary = emptySummary();
  let worst: AnalysisPhase | undefined;
  let message = input.terminate === true ? 'Run Terminated' : '';
  let everythingCompleted = true;

  for (const metric of metrics) {
    const isDryRun = dryRunMetrics.has(metric.name);
    if (isDryRun) dryRunSummary.count++;
    else runSummary.count++;
    const index = results.findIndex((r) => r.name === metric.name);
    let result = results[index];
    if (result === undefined) {
      everythingCompleted = false;
      continue;
    }
    const phase = assessMetricStatus(metric, result, terminating);
    if (phase !== result.phase) {
      transitions.push({ name: metric.name, from: result.phase, to: phase });
      const lastMessage = result.measurements?.[result.measurements.length - 1]?.message;
      const { message: _previous, ...rest } = result;
      result = {
        ...rest,
        phase,
        ...(lastMessage !== undefined && lastMessage !== '' && { message: lastMessage }),
      };
      results[index] = result;
    }
    if (!isCompletedPhase(phase)) {
      everythingCompleted = false;
      continue;
    }
    const breach = assessLimits(metric, result);
    const summary = isDryRun ? dryRunSummary : runSummary;
    switch (breach?.phase) {
      case 'Error':
        summary.error++;
        break;
      case 'Failed':
        summary.failed++;
        break;
      case 'Inconclusive':
        summary.inconclusive++;
        break;
      default:
        summary.successful++;
    }
    if (!isDryRun) {
      if (worst === undefined || isWorsePhase(worst, phase)) {
        worst = phase;
        if (breach !== undefined) {
          message = `Metric "${metric.name}" assessed ${phase} due to ${breach.message}`;
          if (result.message !== undefined && result.message !== '')
            message += `: "Error Message: ${result.message}"`;
        }
      }
    } else {
      worst ??= 'Successful';
      if (breach !== undefined) {
        result = { ...result, message: `Metric assessed ${phase} due to ${breach.message}` };
        results[index] = result;
      }
    }
  }
  const base = { metricResults: results, runSummary, dryRunSummary, transitions };
  message = message.trim();
  if (terminating) return { ...base, phase: worst ?? 'Successful', message };
  if (!everythingCompleted || worst === undefined) return { ...base, phase: 'Running', message: '' };
  return { ...base, phase: worst, message };
}
