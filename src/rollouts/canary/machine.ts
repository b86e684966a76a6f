/**
 * The Rollout lifecycle as an XState machine (canary strategy). Status is the source of truth:
 * every reconcile rebuilds a snapshot from status (`resolveRolloutSnapshot`), feeds the events it
 * observed through XState's pure `transition()`, and reads back the new status fields from the context
 * and the named actions `transition()` returns (`recordEvent`, and on the final `PLAN` event the effects:
 * scale, analysis runs, Services, traffic, requeue; see effects.ts). Actions only `assign` or emit named
 * actions for the executor; time arrives as `TICK{now}`; a timed pause asks for a requeue instead of an
 * in-process timer. Follows Argo Rollouts'
 * rollout/canary.go (syncRolloutStatusCanary, completedCurrentCanaryStep) and rollout/pause.go.
 */
import { assign, enqueueActions, type SnapshotFrom, setup } from 'xstate';
import { experimentFailedMessage } from '../experiments/rollout-experiments.js';
import { ConditionReason, formatMessage } from '../status/conditions.js';
import {
  abortedEvent,
  abortGuards,
  abortRecorded,
  completedEvent,
  EXECUTOR_ACTIONS,
  eventIntent,
  isPausedStatus,
  NO_ABORT,
  NO_PAUSE,
  pausedEvent,
  recordEvent,
  resumedEvent,
  withControllerPause,
} from '../strategies/machine-lifecycle.js';
import { type MachineRun, machineRunner } from '../strategies/machine-run.js';
import type { RolloutContext, RolloutEvent } from './context.js';
import { planCanaryActions } from './effects.js';
import {
  currentStepModel,
  failedExperiment,
  failedRun,
  hasPause,
  inconclusiveExperimentNeedsPause,
  inconclusiveRunNeedsPause,
  isCurrentStepDone,
} from './progress.js';
import { PauseReason } from './steps.js';

export type { EventIntent } from '../strategies/actions.js';
export type { AnalysisPhase, ObservedRun, RolloutContext, RolloutEvent } from './context.js';
export { weightAtStep } from './progress.js';

type Ctx = { readonly context: RolloutContext };

const isHealthy = (c: RolloutContext) =>
  c.hasStableRS && c.currentPodHash === c.stableRS && c.stepIndex >= c.steps.length;

export const rolloutMachine = setup({
  types: {
    context: {} as RolloutContext,
    events: {} as RolloutEvent,
    input: {} as RolloutContext,
  },
  guards: {
    ...abortGuards,
    isNotAborted: ({ context }: Ctx) => !context.abort,
    shouldPromoteStable: ({ context: c }: Ctx) =>
      !c.abort &&
      (!c.hasStableRS ||
        (c.newRSFullyAvailable &&
          c.currentPodHash !== c.stableRS &&
          (c.promoteFull || c.stepIndex >= c.steps.length))),
    analysisFailed: ({ context }: Ctx) => !context.abort && failedRun(context) !== undefined,
    experimentFailed: ({ context }: Ctx) => !context.abort && failedExperiment(context) !== undefined,
    deadlineAborts: ({ context: c }: Ctx) =>
      !c.abort && c.progressDeadlineExceeded && c.progressDeadlineAbort && c.currentPodHash !== c.stableRS,
    currentStepDone: ({ context }: Ctx) => isCurrentStepDone(context),
    shouldPauseAtStep: ({ context: c }: Ctx) =>
      !c.specPaused &&
      currentStepModel(c)?.kind === 'pause' &&
      !c.controllerPause &&
      !hasPause(c, PauseReason.CanaryPauseStep),
    inconclusiveNeedsPause: ({ context }: Ctx) => inconclusiveRunNeedsPause(context),
    inconclusiveExperimentNeedsPause: ({ context }: Ctx) => inconclusiveExperimentNeedsPause(context),
    isPaused: ({ context }: Ctx) => isPausedStatus(context),
    isUnpaused: ({ context }: Ctx) => !isPausedStatus(context),
    isHealthy: ({ context }: Ctx) => isHealthy(context),
    isNotHealthy: ({ context }: Ctx) => !isHealthy(context),
  },
  actions: {
    observeTick: assign({ now: ({ event: e }) => (e.type === 'TICK' ? e.now : 0) }),
    observeReplicas: assign(({ event: e }) =>
      e.type === 'REPLICAS_READY' ? { readyWeight: e.weight, readyStepIndex: e.stepIndex } : {},
    ),
    observeTraffic: assign(({ event: e }) =>
      e.type === 'TRAFFIC_WEIGHT' ? { trafficWeight: e.weight, trafficVerified: e.verified } : {},
    ),
    observeAnalysis: assign(({ event: e }) => {
      if (e.type !== 'ANALYSIS') return {};
      return e.kind === 'step' ? { stepRun: e.run } : { backgroundRun: e.run };
    }),
    observeExperiment: assign(({ event: e }) =>
      e.type === 'EXPERIMENT' ? { experiment: e.experiment } : {},
    ),
    observePromote: assign({ userPromoted: true }),
    observeDeadline: assign({ progressDeadlineExceeded: true }),
    observeRollbackWindow: assign({ rollbackWithinWindow: true }),
    resetForNewRevision: enqueueActions(({ event: e, context: c, enqueue }) => {
      const rollbackToStable = e.type === 'SPEC_CHANGED' && e.rollbackToStable;
      // back to the stable ReplicaSet: every step is skipped at once
      if (rollbackToStable && c.steps.length > 0)
        enqueue(recordEvent(eventIntent('Normal', 'SkipSteps', 'Rollback to stable')));
      enqueue.assign({
        stepIndex: rollbackToStable ? c.steps.length : 0,
        ...NO_PAUSE,
        ...NO_ABORT,
        promoteFull: false,
        rollbackWithinWindow: false,
        readyWeight: undefined,
        readyStepIndex: undefined,
        trafficWeight: undefined,
        trafficVerified: undefined,
        stepRun: undefined,
        backgroundRun: undefined,
        experiment: undefined,
        userPromoted: false,
        progressDeadlineExceeded: false,
      });
    }),
    recordAbort: enqueueActions(({ context: c, enqueue }) => {
      enqueue(abortedEvent(c));
      enqueue.assign({
        ...abortRecorded(c),
        stepIndex: c.currentPodHash === c.stableRS ? c.steps.length : 0,
      });
    }),
    abortForAnalysis: assign(({ context: c }) => {
      const run = failedRun(c);
      return {
        abort: true,
        abortMessage: run?.message ?? `AnalysisRun ${run?.name ?? ''} ${run?.phase ?? ''}`,
      };
    }),
    abortForExperiment: assign(({ context: c }) => ({
      abort: true,
      abortMessage: experimentFailedMessage(failedExperiment(c)?.message),
    })),
    abortForDeadline: assign({ abort: true, abortMessage: 'ReplicaSet has timed out progressing.' }),
    clearAbort: assign({ abortedAt: undefined, abortMessage: undefined, stepIndex: 0 }),
    applyPromoteFull: assign(({ context: c }) => ({
      ...NO_ABORT,
      ...NO_PAUSE,
      stepIndex: c.steps.length,
    })),
    promoteStable: enqueueActions(({ context: c, enqueue }) => {
      const reason = !c.hasStableRS
        ? 'Initial deploy'
        : c.promoteFull
          ? 'Full promotion requested'
          : c.rollbackWithinWindow
            ? 'Rollback within window'
            : `Completed all ${c.steps.length} canary steps`;
      enqueue(completedEvent(c, reason));
      enqueue.assign({
        stableRS: c.currentPodHash,
        hasStableRS: true,
        promoteFull: false,
        ...NO_PAUSE,
        stepIndex: c.steps.length,
      });
    }),
    completeStep: enqueueActions(({ context: c, enqueue }) => {
      enqueue(
        recordEvent(
          eventIntent(
            'Normal',
            ConditionReason.RolloutStepCompleted,
            formatMessage.rolloutStepCompleted(
              c.stepIndex + 1,
              c.steps.length,
              c.stepNames[c.stepIndex] ?? '',
            ),
          ),
        ),
      );
      // leaving a pause the controller set (time up or promoted) resumes the rollout
      if (c.controllerPause) enqueue(resumedEvent());
      enqueue.assign({
        stepIndex: c.stepIndex + 1,
        pauseConditions: c.pauseConditions.filter(
          (p) =>
            p.reason !== PauseReason.CanaryPauseStep &&
            p.reason !== PauseReason.InconclusiveAnalysis &&
            p.reason !== PauseReason.InconclusiveExperiment,
        ),
        controllerPause: false,
        userPromoted: false,
      });
    }),
    addStepPause: enqueueActions(({ context: c, enqueue }) => {
      enqueue(pausedEvent(PauseReason.CanaryPauseStep));
      enqueue.assign(withControllerPause(c, PauseReason.CanaryPauseStep));
    }),
    addInconclusivePause: enqueueActions(({ context: c, enqueue }) => {
      enqueue(pausedEvent(PauseReason.InconclusiveAnalysis));
      enqueue.assign(withControllerPause(c, PauseReason.InconclusiveAnalysis));
    }),
    addInconclusiveExperimentPause: enqueueActions(({ context: c, enqueue }) => {
      enqueue(pausedEvent(PauseReason.InconclusiveExperiment));
      enqueue.assign(withControllerPause(c, PauseReason.InconclusiveExperiment));
    }),
    recordResume: enqueueActions(({ enqueue }) => {
      enqueue(resumedEvent());
      enqueue.assign({ controllerPause: false });
    }),
    /** The effects of the decision, as named actions for the executor (see effects.ts). */
    planEffects: enqueueActions(({ context, event: e, enqueue }) => {
      if (e.type !== 'PLAN') return;
      for (const action of planCanaryActions(context, e.world)) enqueue(action as never);
    }),
    // named actions interpreted by the executor; the machine only returns them
    ...EXECUTOR_ACTIONS,
  },
}).createMachine({
  id: 'rollout',
  context: ({ input }) => input,
  initial: 'progressing',
  on: {
    TICK: { actions: 'observeTick' },
    REPLICAS_READY: { actions: 'observeReplicas' },
    TRAFFIC_WEIGHT: { actions: 'observeTraffic' },
    ANALYSIS: { actions: 'observeAnalysis' },
    EXPERIMENT: { actions: 'observeExperiment' },
    PROMOTE: { actions: 'observePromote' },
    PROGRESS_DEADLINE_EXCEEDED: { actions: 'observeDeadline' },
    SPEC_CHANGED: { target: '.progressing', actions: 'resetForNewRevision' },
    PROMOTE_FULL: { target: '.progressing', actions: 'applyPromoteFull' },
    // like a full promotion: no steps, pauses or abort (Argo clears them the same way)
    ROLLBACK_WITHIN_WINDOW: {
      target: '.progressing',
      actions: ['applyPromoteFull', 'observeRollbackWindow'],
    },
    ABORT: { guard: 'isNewlyAborted', target: '.aborted', actions: 'recordAbort' },
    RETRY: { guard: 'wasAborted', target: '.progressing', actions: 'clearAbort' },
    PLAN: { actions: 'planEffects' },
  },
  states: {
    progressing: {
      always: [
        { guard: 'isAborted', target: 'aborted' },
        { guard: 'shouldPromoteStable', target: 'healthy', actions: 'promoteStable' },
        { guard: 'analysisFailed', target: 'aborted', actions: ['abortForAnalysis', 'recordAbort'] },
        { guard: 'experimentFailed', target: 'aborted', actions: ['abortForExperiment', 'recordAbort'] },
        { guard: 'deadlineAborts', target: 'aborted', actions: ['abortForDeadline', 'recordAbort'] },
        { guard: 'currentStepDone', actions: 'completeStep' },
        { guard: 'shouldPauseAtStep', target: 'paused', actions: 'addStepPause' },
        { guard: 'inconclusiveNeedsPause', target: 'paused', actions: 'addInconclusivePause' },
        {
          guard: 'inconclusiveExperimentNeedsPause',
          target: 'paused',
          actions: 'addInconclusiveExperimentPause',
        },
        { guard: 'isPaused', target: 'paused' },
        { guard: 'isHealthy', target: 'healthy' },
      ],
    },
    paused: {
      always: [
        { guard: 'isAborted', target: 'aborted' },
        { guard: 'analysisFailed', target: 'aborted', actions: ['abortForAnalysis', 'recordAbort'] },
        { guard: 'experimentFailed', target: 'aborted', actions: ['abortForExperiment', 'recordAbort'] },
        { guard: 'currentStepDone', target: 'progressing', actions: 'completeStep' },
        { guard: 'isUnpaused', target: 'progressing', actions: 'recordResume' },
      ],
    },
    aborted: {
      always: [{ guard: 'isNotAborted', target: 'progressing' }],
    },
    healthy: {
      always: [{ guard: 'isNotHealthy', target: 'progressing' }],
    },
  },
});

export type RolloutSnapshot = SnapshotFrom<typeof rolloutMachine>;
export type RolloutStateValue = 'progressing' | 'paused' | 'aborted' | 'healthy';

/** The state a context is in, derived from status alone (no history is kept between reconciles). */
export function stateFromContext(c: RolloutContext): RolloutStateValue {
  if (c.abort && c.abortedAt !== undefined) return 'aborted';
  if (isPausedStatus(c)) return 'paused';
  if (isHealthy(c)) return 'healthy';
  return 'progressing';
}

export type RolloutMachineRun = MachineRun<typeof rolloutMachine>;

const runner = machineRunner(rolloutMachine, stateFromContext);
export const resolveRolloutSnapshot = runner.resolve;
export const continueRolloutMachine = runner.continue;
export const runRolloutMachine = runner.run;
