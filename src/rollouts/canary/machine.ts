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
import { ConditionReason, formatMessage, toKubeTime } from '../status/conditions.js';
import { ACTION_ORDER, type EventIntent, type RolloutAction } from '../strategies/actions.js';
import { continueMachine, type MachineRun } from '../strategies/machine-run.js';
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

const event = (eventType: EventIntent['eventType'], reason: string, message: string): EventIntent => ({
  type: 'event',
  eventType,
  reason,
  message,
});

/** A `recordEvent` named action (typed loosely: the enqueue of an action defined in the same setup). */
const recordEvent = (params: EventIntent) => ({ type: 'recordEvent', params }) as never;

/** The named actions only the executor interprets: no-ops inside the machine, declared so `transition()` returns them. */
const EXECUTOR_ACTIONS = Object.fromEntries(
  ACTION_ORDER.map((type) => [type, (_: unknown, _params: unknown) => {}]),
) as Record<RolloutAction['type'], (_: unknown, params: unknown) => void>;

export const rolloutMachine = setup({
  types: {
    context: {} as RolloutContext,
    events: {} as RolloutEvent,
    input: {} as RolloutContext,
  },
  guards: {
    isAborted: ({ context }: Ctx) => context.abort,
    isNotAborted: ({ context }: Ctx) => !context.abort,
    isNewlyAborted: ({ context }: Ctx) => context.abort && context.abortedAt === undefined,
    wasAborted: ({ context }: Ctx) => !context.abort && context.abortedAt !== undefined,
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
    isPaused: ({ context: c }: Ctx) => c.specPaused || c.pauseConditions.length > 0,
    isUnpaused: ({ context: c }: Ctx) => !c.specPaused && c.pauseConditions.length === 0,
    isHealthy: ({ context: c }: Ctx) =>
      c.hasStableRS && c.currentPodHash === c.stableRS && c.stepIndex >= c.steps.length,
    isNotHealthy: ({ context: c }: Ctx) =>
      !(c.hasStableRS && c.currentPodHash === c.stableRS && c.stepIndex >= c.steps.length),
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
        enqueue(recordEvent(event('Normal', 'SkipSteps', 'Rollback to stable')));
      enqueue.assign({
        stepIndex: rollbackToStable ? c.steps.length : 0,
        pauseConditions: [],
        controllerPause: false,
        abort: false,
        abortedAt: undefined,
        abortMessage: undefined,
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
      enqueue(
        recordEvent(
          event(
            'Warning',
            ConditionReason.RolloutAborted,
            `${formatMessage.rolloutAborted(c.revision)}${c.abortMessage ? `: ${c.abortMessage}` : ''}`,
          ),
        ),
      );
      enqueue.assign({
        abortedAt: toKubeTime(c.now),
        pauseConditions: [],
        controllerPause: false,
        promoteFull: false,
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
      abort: false,
      abortedAt: undefined,
      abortMessage: undefined,
      pauseConditions: [],
      controllerPause: false,
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
      enqueue(
        recordEvent(
          event(
            'Normal',
            ConditionReason.RolloutCompleted,
            formatMessage.rolloutCompleted(c.revision, c.currentPodHash, reason),
          ),
        ),
      );
      enqueue.assign({
        stableRS: c.currentPodHash,
        hasStableRS: true,
        promoteFull: false,
        pauseConditions: [],
        controllerPause: false,
        stepIndex: c.steps.length,
      });
    }),
    completeStep: enqueueActions(({ context: c, enqueue }) => {
      enqueue(
        recordEvent(
          event(
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
      if (c.controllerPause)
        enqueue(recordEvent(event('Normal', ConditionReason.RolloutResumed, 'Rollout is resumed')));
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
      enqueue(
        recordEvent(
          event(
            'Normal',
            ConditionReason.RolloutPaused,
            `Rollout is paused (${PauseReason.CanaryPauseStep})`,
          ),
        ),
      );
      enqueue.assign({
        pauseConditions: [
          ...c.pauseConditions,
          { reason: PauseReason.CanaryPauseStep, startTime: toKubeTime(c.now) },
        ],
        controllerPause: true,
      });
    }),
    addInconclusivePause: enqueueActions(({ context: c, enqueue }) => {
      enqueue(
        recordEvent(
          event(
            'Normal',
            ConditionReason.RolloutPaused,
            `Rollout is paused (${PauseReason.InconclusiveAnalysis})`,
          ),
        ),
      );
      enqueue.assign({
        pauseConditions: [
          ...c.pauseConditions,
          { reason: PauseReason.InconclusiveAnalysis, startTime: toKubeTime(c.now) },
        ],
        controllerPause: true,
      });
    }),
    addInconclusiveExperimentPause: enqueueActions(({ context: c, enqueue }) => {
      enqueue(
        recordEvent(
          event(
            'Normal',
            ConditionReason.RolloutPaused,
            `Rollout is paused (${PauseReason.InconclusiveExperiment})`,
          ),
        ),
      );
      enqueue.assign({
        pauseConditions: [
          ...c.pauseConditions,
          { reason: PauseReason.InconclusiveExperiment, startTime: toKubeTime(c.now) },
        ],
        controllerPause: true,
      });
    }),
    recordResume: enqueueActions(({ enqueue }) => {
      enqueue(recordEvent(event('Normal', ConditionReason.RolloutResumed, 'Rollout is resumed')));
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
  if (c.specPaused || c.pauseConditions.length > 0) return 'paused';
  if (c.hasStableRS && c.currentPodHash === c.stableRS && c.stepIndex >= c.steps.length) return 'healthy';
  return 'progressing';
}

/** Rebuilds the machine snapshot from a context derived from status. */
export function resolveRolloutSnapshot(context: RolloutContext): RolloutSnapshot {
  return rolloutMachine.resolveState({ value: stateFromContext(context), context });
}

export type RolloutMachineRun = MachineRun<typeof rolloutMachine>;

/** Feeds events through the pure `transition()` from `snapshot`; collects the named actions it returns. */
export function continueRolloutMachine(
  from: RolloutSnapshot,
  events: readonly RolloutEvent[],
): RolloutMachineRun {
  return continueMachine(rolloutMachine, from, events);
}

/** Rebuilds the snapshot from `context` and feeds the events through the pure `transition()`. */
export function runRolloutMachine(
  context: RolloutContext,
  events: readonly RolloutEvent[],
): RolloutMachineRun {
  return continueRolloutMachine(resolveRolloutSnapshot(context), events);
}
