/**
 * The Experiment's phase from its templates and analyses (Argo's calculateStatus, assessTemplates,
 * assessAnalysisRuns), whether it is terminating, whether its duration has passed, and when to look
 * again (Argo's calculateEnqueueDuration). Pure: time comes in as `now`.
 */

import type { AnalysisPhase } from '../analysis/index.js';
import { isWorsePhase } from '../analysis/index.js';
import { isAnalysisCompleted } from './analysis-runs.js';
import { progressDeadlineSeconds } from './conditions.js';
import { experimentDurationMs } from './experiment-duration.js';
import { desiredTemplateReplicas } from './template-status.js';
import type { Experiment, ExperimentStatus, TemplateStatusCode } from './types.js';

export const REQUIRED_ANALYSIS_COMPLETED_MESSAGE = 'Required AnalysisRuns completed';

const hasRequiredAnalyses = (ex: Experiment): boolean =>
  (ex.spec?.analyses ?? []).some((a) => a.requiredForCompletion === true);

/** At least one analysis is requiredForCompletion and every such one is Successful. */
export function requiredAnalysesSuccessful(ex: Experiment, status: ExperimentStatus | undefined): boolean {
  const required = (ex.spec?.analyses ?? []).filter((a) => a.requiredForCompletion === true);
  if (required.length === 0 || status === undefined) return false;
  return required.every((a) => status.analysisRuns?.find((r) => r.name === a.name)?.phase === 'Successful');
}

/** Argo's IsTerminating, over `status` (the stored one, or a new one for the wake-up). */
export function isTerminating(ex: Experiment, status: ExperimentStatus | undefined): boolean {
  if (ex.spec?.terminate === true) return true;
  if (isAnalysisCompleted(status?.phase)) return true;
  if ((status?.templateStatuses ?? []).some((t) => t.status === 'Failed' || t.status === 'Error'))
    return true;
  if (
    (status?.analysisRuns ?? []).some(
      (r) => r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive',
    )
  )
    return true;
  return requiredAnalysesSuccessful(ex, status);
}

/** When the duration ends (availableAt + duration), epoch ms; undefined without both. */
export function durationEndsAt(ex: Experiment, status: ExperimentStatus | undefined): number | undefined {
  const duration = experimentDurationMs(ex.spec?.duration);
  if (duration === undefined || status?.availableAt === undefined) return undefined;
  return Date.parse(status.availableAt) + duration;
}

export const hasPassedDuration = (
  ex: Experiment,
  status: ExperimentStatus | undefined,
  now: number,
): boolean => {
  const end = durationEndsAt(ex, status);
  return end !== undefined && now > end;
};

const TEMPLATE_ORDER: readonly TemplateStatusCode[] = [
  'Successful',
  'Running',
  'Progressing',
  'Error',
  'Failed',
];
const templateWorse = (current: TemplateStatusCode, next: TemplateStatusCode | undefined): boolean =>
  Math.max(0, TEMPLATE_ORDER.indexOf(next as TemplateStatusCode)) > TEMPLATE_ORDER.indexOf(current);

/** The worst template status as an experiment phase, with its message. */
export function assessTemplates(
  ex: Experiment,
  status: ExperimentStatus,
): { phase: AnalysisPhase; message: string } {
  let worst: TemplateStatusCode = 'Successful';
  let message = '';
  for (const t of ex.spec?.templates ?? []) {
    const ts = status.templateStatuses?.find((s) => s.name === t.name);
    if (ts === undefined) {
      if (templateWorse(worst, 'Progressing')) worst = 'Progressing';
    } else if (templateWorse(worst, ts.status)) {
      worst = ts.status as TemplateStatusCode;
      message = ts.message ?? '';
    }
  }
  const phase: AnalysisPhase =
    worst === 'Progressing' ? 'Pending' : worst === 'Running' ? 'Running' : (worst as AnalysisPhase);
  return { phase, message };
}

/** The worst analysis phase (Running instead of Pending); no analyses: Successful. */
export function assessAnalyses(
  ex: Experiment,
  status: ExperimentStatus,
): { phase: AnalysisPhase; message: string } {
  let worst: AnalysisPhase = 'Successful';
  let message = '';
  for (const a of ex.spec?.analyses ?? []) {
    const run = status.analysisRuns?.find((r) => r.name === a.name);
    const phase = (run?.phase ?? '') as AnalysisPhase;
    if (isWorsePhase(worst, phase)) {
      worst = phase;
      message = run?.message ?? '';
    }
  }
  if (requiredAnalysesSuccessful(ex, status) && isWorsePhase(worst, 'Running'))
    return { phase: 'Successful', message: REQUIRED_ANALYSIS_COMPLETED_MESSAGE };
  return { phase: worst === 'Pending' ? 'Running' : worst, message };
}

/** Argo's calculateStatus: phase and message of the new status (conditions are set afterwards). */
export function calculatePhase(ex: Experiment, next: ExperimentStatus, now: string): ExperimentStatus {
  const phase = ex.status?.phase ?? '';
  if (phase === '') return { ...next, phase: 'Pending' };
  if (phase !== 'Pending' && phase !== 'Running') return next;
  const templates = assessTemplates(ex, next);
  const analyses = assessAnalyses(ex, next);
  let status = next;
  if (templates.phase === 'Running' && status.availableAt === undefined)
    status = { ...status, availableAt: now };
  const set = (r: { phase: AnalysisPhase; message: string }): ExperimentStatus => {
    const { message: _old, ...rest } = status;
    return { ...rest, phase: r.phase, ...(r.message !== '' && { message: r.message }) };
  };
  if (isAnalysisCompleted(templates.phase)) {
    const deferToAnalyses = isAnalysisCompleted(analyses.phase) || hasRequiredAnalyses(ex);
    // templates ran their course: the analyses decide; a Failed/Error template decides itself
    return set(templates.phase === 'Successful' && deferToAnalyses ? analyses : templates);
  }
  if (isAnalysisCompleted(analyses.phase) && analyses.phase !== 'Successful') return set(analyses);
  if (requiredAnalysesSuccessful(ex, status)) return set(analyses);
  return set(templates);
}

/**
 * When to look again (Argo's calculateEnqueueDuration over the new status): the end of the duration
 * and each moving template's progress deadline, whichever is first. Undefined: no timed wake-up.
 */
export function nextWakeAt(ex: Experiment, status: ExperimentStatus, now: number): number | undefined {
  const exNew: Experiment = { ...ex, status };
  if (isTerminating(exNew, status)) return undefined;
  let at: number | undefined;
  const end = durationEndsAt(ex, status);
  if (end !== undefined && now <= end) at = end + 1;
  const deadlineMs = progressDeadlineSeconds(ex) * 1000;
  for (const t of ex.spec?.templates ?? []) {
    const ts = status.templateStatuses?.find((s) => s.name === t.name);
    if (ts === undefined || (ts.status !== 'Progressing' && ts.status !== 'Running')) continue;
    const desired = desiredTemplateReplicas(t, false, ts);
    if (ts.availableReplicas !== desired && ts.lastTransitionTime !== undefined) {
      // a moment past the deadline: the deadline check is "strictly after"
      const due = Date.parse(ts.lastTransitionTime) + deadlineMs + 1000;
      if (at === undefined || due < at) at = due;
    }
  }
  return at;
}
