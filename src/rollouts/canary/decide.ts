/**
 * The canary strategy's decision for one reconcile of a valid Rollout: observations become the machine's
 * events, the machine (through XState's pure `transition()`) moves the steps, pauses and abort and returns
 * named actions, and the new status is projected (conditions, phase, counts, analysis references, traffic
 * weights). A last `PLAN` event hands the machine the projected status and the observed world; it returns
 * the effects (scale, analysis runs, Services, traffic, prune, requeue) as named actions. Pure: no client,
 * no clock; the reconciler observes and the executor acts.
 */

import { formatMetaLabelSelector } from '../../kube/index.js';
import {
  type AnalysisRun,
  findCurrentRun,
  isRunCompleted,
  observedRun,
  statusRef,
} from '../analysis/analysis-runs.js';
import { planRuns } from '../analysis/run-plan.js';
import { findCurrentExperiment, observedExperiment } from '../experiments/rollout-experiments.js';
import {
  actualReplicas,
  availableReplicas,
  classifyReplicaSets,
  readyReplicas,
  sumOf,
} from '../replica-sets/replica-sets.js';
import { ConditionReason, getCondition, RolloutConditionType } from '../status/conditions.js';
import { withConditionsAndPhase } from '../status/conditions-and-phase.js';
import { isRollbackWithinWindow } from '../status/rollback-window.js';
import { progressDeadlineAt } from '../status/rollout-conditions.js';
import type { EventIntent, RolloutAction } from '../strategies/actions.js';
import type { RolloutObservation } from '../strategies/strategy.js';
import type { CanaryStatus, RolloutStatus } from '../types.js';
import { type CanaryDecision, decisionOf } from './decision.js';
import type { CanaryWorld } from './effects.js';
import { planExperimentStep } from './experiment-step.js';
import {
  continueRolloutMachine,
  type RolloutContext,
  type RolloutEvent,
  runRolloutMachine,
} from './machine.js';
import { isAtDesiredReplicas } from './scaling.js';
import { stepDescription } from './step-description.js';
import { computeStepHash, describeStep, desiredCanaryScale, PauseReason, type StepModel } from './steps.js';
import { planTraffic } from './traffic.js';

const hasPauseReason = (status: RolloutStatus, reason: string) =>
  (status.pauseConditions ?? []).some((p) => p.reason === reason);

/** The machine context for the status as it is now. */
function contextFrom(
  o: RolloutObservation,
  steps: readonly StepModel[],
  hasStableRS: boolean,
): RolloutContext {
  const { rollout, now } = o;
  const status = rollout.status ?? {};
  const canary = rollout.spec?.strategy?.canary;
  const background = canary?.analysis;
  const replicas = rollout.spec?.replicas ?? 1;
  return {
    steps,
    stepNames: (canary?.steps ?? []).map(stepDescription),
    stepIndex: status.currentStepIndex ?? 0,
    pauseConditions: status.pauseConditions ?? [],
    controllerPause: status.controllerPause === true,
    abort: status.abort === true,
    ...(status.abortedAt !== undefined && { abortedAt: status.abortedAt }),
    promoteFull: status.promoteFull === true,
    ...(status.stableRS !== undefined && { stableRS: status.stableRS }),
    currentPodHash: o.currentPodHash,
    hasStableRS,
    specPaused: rollout.spec?.paused === true,
    revision: o.revision,
    newRSFullyAvailable:
      availableReplicas(o.newRS) === replicas && (o.newRS.spec?.replicas ?? 0) === replicas,
    ...(background?.templates !== undefined && { backgroundStartingStep: background.startingStep ?? 0 }),
    now,
    userPromoted: false,
    progressDeadlineExceeded: false,
    progressDeadlineAbort: rollout.spec?.progressDeadlineAbort === true,
    trafficRouted: o.trafficRouted === true,
  };
}

/** Argo's emitAnalysisRunStatusChangeEvents: `AnalysisRun<Phase>` when a current run changed phase. */
function analysisEvents(
  previous: CanaryStatus | undefined,
  step: AnalysisRun | undefined,
  background: AnalysisRun | undefined,
): EventIntent[] {
  const out: EventIntent[] = [];
  const check = (
    kind: string,
    prev: { name: string; status: string } | undefined,
    run: AnalysisRun | undefined,
  ) => {
    const phase = run?.status?.phase ?? '';
    if (run === undefined || prev === undefined || prev.name !== run.metadata.name) return;
    if (phase === '' || prev.status === phase) return;
    out.push({
      type: 'event',
      eventType: phase === 'Failed' || phase === 'Error' ? 'Warning' : 'Normal',
      reason: `AnalysisRun${phase}`,
      message: `${kind} Analysis Run '${run.metadata.name}' Status New: '${phase}' Previous: '${prev.status || 'NoPreviousStatus'}'`,
    });
  };
  check('Step', previous?.currentStepAnalysisRunStatus, step);
  check('Background', previous?.currentBackgroundAnalysisRunStatus, background);
  return out;
}

export function decideCanary(o: RolloutObservation): CanaryDecision {
  const { rollout, now } = o;
  const spec = rollout.spec ?? {};
  const prev = rollout.status ?? {};
  const canary = spec.strategy?.canary ?? {};
  const steps = (canary.steps ?? []).map(describeStep);
  const sets = classifyReplicaSets(o.replicaSets, o.newRS, prev.stableRS);
  const stepHash = computeStepHash(rollout);
  const specChanged = prev.currentPodHash !== o.currentPodHash || (prev.currentStepHash ?? '') !== stepHash;
  const prevIndex = prev.currentStepIndex ?? 0;

  // current analysis runs, as status references them
  const stepRunNow =
    !specChanged && steps[prevIndex]?.kind === 'analysis'
      ? findCurrentRun(o.runs, {
          type: 'Step',
          podHash: o.currentPodHash,
          stepIndex: prevIndex,
          ...(prev.canary?.currentStepAnalysisRunStatus && {
            referenced: prev.canary.currentStepAnalysisRunStatus.name,
          }),
        })
      : undefined;
  let backgroundNow =
    !specChanged && canary.analysis?.templates !== undefined
      ? findCurrentRun(o.runs, {
          type: 'Background',
          podHash: o.currentPodHash,
          ...(prev.canary?.currentBackgroundAnalysisRunStatus && {
            referenced: prev.canary.currentBackgroundAnalysisRunStatus.name,
          }),
        })
      : undefined;
  // the experiment status names (a new revision starts without one)
  const experiments = o.experiments ?? [];
  const currentExperiment = specChanged
    ? undefined
    : findCurrentExperiment(experiments, prev.canary?.currentExperiment);
  // promoted past an inconclusive background run: it is replaced by a fresh one
  if (
    backgroundNow !== undefined &&
    observedRun(backgroundNow).phase === 'Inconclusive' &&
    prev.controllerPause === true &&
    !hasPauseReason(prev, PauseReason.InconclusiveAnalysis)
  ) {
    backgroundNow = undefined;
  }

  // control events first (they reset or redirect), then the clock and the observations
  const events: RolloutEvent[] = [];
  if (specChanged) {
    events.push({
      type: 'SPEC_CHANGED',
      rollbackToStable: sets.stableRS !== undefined && o.currentPodHash === prev.stableRS,
    });
    events.push({ type: 'TICK', now });
  } else {
    if (prev.promoteFull === true && o.currentPodHash !== prev.stableRS)
      events.push({ type: 'PROMOTE_FULL' });
    if (isRollbackWithinWindow(spec.rollbackWindow, sets.newRS, sets.stableRS, o.replicaSets))
      events.push({ type: 'ROLLBACK_WITHIN_WINDOW' });
    if (prev.abort === true && prev.abortedAt === undefined) events.push({ type: 'ABORT' });
    if (prev.abort !== true && prev.abortedAt !== undefined) events.push({ type: 'RETRY' });
    if (prev.controllerPause === true && (prev.pauseConditions ?? []).length === 0)
      events.push({ type: 'PROMOTE' });
    events.push({ type: 'TICK', now });
    if (stepRunNow !== undefined)
      events.push({ type: 'ANALYSIS', kind: 'step', run: observedRun(stepRunNow) });
    if (backgroundNow !== undefined)
      events.push({ type: 'ANALYSIS', kind: 'background', run: observedRun(backgroundNow) });
    if (currentExperiment !== undefined)
      events.push({ type: 'EXPERIMENT', experiment: observedExperiment(currentExperiment) });
    const progressing = getCondition(prev.conditions, RolloutConditionType.Progressing);
    if (progressing?.reason === ConditionReason.ProgressDeadlineExceeded)
      events.push({ type: 'PROGRESS_DEADLINE_EXCEEDED' });
    const weight = desiredCanaryScale(rollout).weight;
    if (isAtDesiredReplicas(rollout, sets, weight))
      events.push({ type: 'REPLICAS_READY', weight, stepIndex: prevIndex });
    const weights = prev.canary?.weights;
    // the weight recorded for this pod template (a previous revision's weight never completes a step)
    if (
      o.trafficRouted === true &&
      weights !== undefined &&
      weights.canary.podTemplateHash === o.currentPodHash
    )
      events.push({
        type: 'TRAFFIC_WEIGHT',
        weight: weights.canary.weight,
        ...(weights.verified !== undefined && { verified: weights.verified }),
      });
  }

  const run = runRolloutMachine(contextFrom(o, steps, sets.stableRS !== undefined), events);
  const result = run.snapshot.context;

  // ---- the new status ----
  const stepIndex = steps.length > 0 ? result.stepIndex : undefined;
  const stepRunRef =
    stepRunNow !== undefined && result.stepIndex === prevIndex && !result.abort
      ? statusRef(stepRunNow)
      : undefined;
  // no analysis while aborted, fully promoting or rolling back within the window (Argo cancels it)
  const backgroundActive =
    canary.analysis?.templates !== undefined &&
    !result.abort &&
    !result.promoteFull &&
    result.rollbackWithinWindow !== true &&
    result.currentPodHash !== result.stableRS &&
    result.stepIndex >= (canary.analysis.startingStep ?? 0);
  const backgroundRef =
    backgroundNow !== undefined && backgroundActive ? statusRef(backgroundNow) : undefined;
  const newStableHash = result.stableRS;
  const postSets = classifyReplicaSets(o.replicaSets, o.newRS, newStableHash);
  const limits = (
    spec as { analysis?: { successfulRunHistoryLimit?: number; unsuccessfulRunHistoryLimit?: number } }
  ).analysis;
  const experimentPlan = planExperimentStep({
    rollout,
    previousIndex: prevIndex,
    stepIndex: result.stepIndex,
    specChanged,
    inactive: result.abort || result.promoteFull || result.rollbackWithinWindow === true,
    ...(!specChanged &&
      prev.canary?.currentExperiment !== undefined && { previousName: prev.canary.currentExperiment }),
    ...(currentExperiment !== undefined && { current: currentExperiment }),
    owned: experiments,
    namesInUse: o.experimentNamesInUse ?? new Set(experiments.map((ex) => ex.metadata.name ?? '')),
    ...(postSets.stableRS !== undefined && { stableRS: postSets.stableRS }),
    newRS: o.newRS,
    replicaSets: o.replicaSets,
    historyLimits: {
      ...(limits?.successfulRunHistoryLimit !== undefined && {
        successful: limits.successfulRunHistoryLimit,
      }),
      ...(limits?.unsuccessfulRunHistoryLimit !== undefined && {
        unsuccessful: limits.unsuccessfulRunHistoryLimit,
      }),
    },
    podHash: o.currentPodHash,
    revision: o.revision,
  });
  // an experiment step, like an analysis step, does not count against the progress deadline (Argo's isIndefiniteStep)
  const atExperimentStep = steps[result.stepIndex]?.kind === 'experiment' && !result.abort;
  const all = o.replicaSets;
  const base: RolloutStatus = {
    ...prev,
    observedGeneration: String(rollout.metadata?.generation ?? 0),
    currentPodHash: o.currentPodHash,
    currentStepHash: stepHash,
    // a new template or new steps cancel a pending restart: the update replaces the pods anyway
    ...(specChanged && spec.restartAt !== undefined && { restartedAt: spec.restartAt }),
    ...(stepIndex !== undefined ? { currentStepIndex: stepIndex } : {}),
    pauseConditions: result.pauseConditions.length > 0 ? result.pauseConditions : undefined,
    controllerPause: result.controllerPause || undefined,
    abort: result.abort || undefined,
    abortedAt: result.abortedAt,
    promoteFull: result.promoteFull || undefined,
    stableRS: newStableHash,
    replicas: sumOf(all, actualReplicas),
    updatedReplicas: actualReplicas(o.newRS),
    readyReplicas: sumOf(all, readyReplicas),
    availableReplicas: sumOf(all, availableReplicas),
    HPAReplicas: sumOf(all, actualReplicas),
    selector: formatMetaLabelSelector(spec.selector ?? {}),
    canary: {
      ...(prev.canary ?? {}),
      currentStepAnalysisRunStatus: stepRunRef,
      currentBackgroundAnalysisRunStatus: backgroundRef,
      currentExperiment: experimentPlan.currentName,
    },
  };
  const status = withConditionsAndPhase({
    ...o,
    status: base,
    abortMessage: result.abortMessage,
    waitingForAnalysis:
      (stepRunRef !== undefined && !isRunCompleted(stepRunNow as AnalysisRun)) || atExperimentStep,
  });
  const { conditions, phase } = status;

  // ---- traffic (when a registered router runs this Rollout) ----
  const weight = desiredCanaryScale({ ...rollout, status }).weight;
  const traffic =
    o.trafficRouted === true
      ? planTraffic({
          rollout: { ...rollout, status },
          newRS: postSets.newRS,
          stableRS: postSets.stableRS,
          atDesiredReplicas: isAtDesiredReplicas({ ...rollout, status }, postSets, weight),
          previousWeights: prev.canary?.weights,
          previousStatus: prev,
          experimentDestinations: experimentPlan.destinations,
        })
      : undefined;

  // ---- AnalysisRuns ----
  const isSameAttempt = !specChanged && prev.abortedAt === result.abortedAt;
  const { createRuns, current, planned } = planRuns({
    rolloutName: rollout.metadata?.name ?? '',
    podHash: o.currentPodHash,
    stableHash: newStableHash,
    revision: o.revision,
    step: steps[result.stepIndex],
    stepIndex: result.stepIndex,
    isSameStep: isSameAttempt && result.stepIndex === prevIndex,
    isSameAttempt,
    aborted: result.abort,
    stepRun: stepRunRef !== undefined ? stepRunNow : undefined,
    background: backgroundActive ? canary.analysis : undefined,
    backgroundRun: backgroundRef !== undefined ? backgroundNow : undefined,
    previous: prev.canary,
    owned: o.runs,
    inUse: o.runNamesInUse ?? new Set(o.runs.map((r) => r.metadata.name ?? '')),
  });

  const deadline = progressDeadlineAt(spec, conditions);

  // runs to create are named in the status written before they are created (see run-plan.ts)
  const withRuns: RolloutStatus =
    createRuns.length === 0 ? status : { ...status, canary: { ...status.canary, ...planned } };
  const committed: RolloutStatus =
    traffic === undefined
      ? withRuns
      : { ...withRuns, canary: { ...withRuns.canary, weights: traffic.weights } };
  const world: CanaryWorld = {
    rollout,
    status: committed,
    sets: postSets,
    replicaSets: o.replicaSets,
    services: o.services ?? new Map(),
    observedEvents: [
      ...analysisEvents(prev.canary, stepRunNow, backgroundNow),
      ...(experimentPlan.event !== undefined ? [experimentPlan.event] : []),
    ],
    ...(experimentPlan.create !== undefined && { createExperiment: experimentPlan.create }),
    terminateExperiments: experimentPlan.terminate,
    deleteExperiments: experimentPlan.delete,
    createRuns,
    ownedRuns: o.runs,
    currentRuns: current,
    ...(limits !== undefined && { runHistoryLimits: limits }),
    ...(traffic !== undefined && { traffic }),
    ...(deadline !== undefined &&
      phase === 'Progressing' &&
      stepRunRef === undefined &&
      !atExperimentStep && { progressDeadlineCheckAt: deadline + 1000 }),
    now,
  };
  const effects = continueRolloutMachine(run.snapshot, [{ type: 'PLAN', world }]);
  const actions: RolloutAction[] = [...run.actions, ...effects.actions];
  return decisionOf(committed, actions, events);
}
