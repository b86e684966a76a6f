/**
 * The canary machine's pure predicates over its context: which step is current, which weight it sets,
 * whether it is done, and which analysis run failed or needs a pause. Follows Argo Rollouts'
 * rollout/canary.go (completedCurrentCanaryStep) and rollout/analysis.go.
 */
import type { AnalysisPhase, ObservedRun, RolloutContext } from './machine.js';
import { pauseStepProgress } from './pause.js';
import { PauseReason, type PauseReason as PauseReasonValue, type StepModel } from './steps.js';

const FAILED = new Set<AnalysisPhase>(['Failed', 'Error']);

export const currentStepModel = (c: RolloutContext): StepModel | undefined => c.steps[c.stepIndex];

export const hasPause = (c: RolloutContext, reason: PauseReasonValue) =>
  c.pauseConditions.some((p) => p.reason === reason);

/** The setWeight in effect at `index` (Argo's GetCurrentSetWeight without abort). */
export function weightAtStep(steps: readonly StepModel[], index: number): number {
  if (index >= steps.length) return 100;
  for (let i = index; i >= 0; i--) {
    const step = steps[i];
    if (step?.kind === 'setWeight') return step.weight;
  }
  return 0;
}

export function isCurrentStepDone(c: RolloutContext): boolean {
  if (c.specPaused) return false;
  const step = currentStepModel(c);
  switch (step?.kind) {
    case undefined:
      return false;
    case 'setWeight': {
      const weight = weightAtStep(c.steps, c.stepIndex);
      if (c.trafficRouted !== true) return c.readyWeight === weight;
      // routed traffic: the ReplicaSets at their sizes for this step (a setCanaryScale may set them, not the
      // weight), the weight set (status records it) and no router reporting it unverified
      return c.readyStepIndex === c.stepIndex && c.trafficWeight === weight && c.trafficVerified !== false;
    }
    case 'setCanaryScale':
      return c.readyStepIndex === c.stepIndex;
    case 'pause':
      return pauseStepProgress({
        durationSeconds: step.durationSeconds,
        pauseConditions: c.pauseConditions,
        controllerPause: c.controllerPause,
        now: c.now,
      }).done;
    case 'analysis': {
      const run = c.stepRun;
      if (run?.stepIndex !== c.stepIndex) return false;
      return (
        run.phase === 'Successful' ||
        (run.phase === 'Inconclusive' && c.userPromoted && !hasPause(c, PauseReason.InconclusiveAnalysis))
      );
    }
    // Argo's completedCurrentCanaryStep: the current experiment succeeded; past an inconclusive one
    // only when the user promoted (as an inconclusive step analysis)
    case 'experiment': {
      const ex = c.experiment;
      return (
        ex?.phase === 'Successful' ||
        (ex?.phase === 'Inconclusive' && c.userPromoted && !hasPause(c, PauseReason.InconclusiveExperiment))
      );
    }
    // header and mirror routes are set by the executor as the step is reached (validation lets them
    // through only with a traffic router); other unsupported steps never complete
    case 'unsupported':
      return step.action === 'setHeaderRoute' || step.action === 'setMirrorRoute';
    default:
      return false;
  }
}

export const isBackgroundActive = (c: RolloutContext) =>
  c.backgroundStartingStep !== undefined && c.stepIndex >= c.backgroundStartingStep;

export function failedRun(c: RolloutContext): ObservedRun | undefined {
  const step = c.stepRun;
  if (step !== undefined && step.stepIndex === c.stepIndex && FAILED.has(step.phase)) return step;
  const background = c.backgroundRun;
  if (background !== undefined && isBackgroundActive(c) && FAILED.has(background.phase)) return background;
  return undefined;
}

export function inconclusiveRunNeedsPause(c: RolloutContext): boolean {
  if (c.controllerPause || hasPause(c, PauseReason.InconclusiveAnalysis)) return false;
  const step = c.stepRun;
  if (step?.stepIndex === c.stepIndex && step.phase === 'Inconclusive') return true;
  return isBackgroundActive(c) && c.backgroundRun?.phase === 'Inconclusive';
}

/** The current experiment of an experiment step, when it failed or errored (Argo aborts the Rollout). */
export function failedExperiment(c: RolloutContext): ObservedRun | undefined {
  if (currentStepModel(c)?.kind !== 'experiment') return undefined;
  const ex = c.experiment;
  return ex !== undefined && FAILED.has(ex.phase) ? ex : undefined;
}

/** An experiment step whose experiment is inconclusive pauses with `InconclusiveExperiment` (once). */
export function inconclusiveExperimentNeedsPause(c: RolloutContext): boolean {
  if (c.controllerPause || hasPause(c, PauseReason.InconclusiveExperiment)) return false;
  return currentStepModel(c)?.kind === 'experiment' && c.experiment?.phase === 'Inconclusive';
}
