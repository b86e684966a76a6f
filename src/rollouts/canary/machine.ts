/**
 * The Rollout lifecycle as an XState machine (canary strategy). Status is the source of truth:
 * every reconcile rebuilds a snapshot from status (`resolveRolloutSnapshot`), feeds the events it
 * observed through XState's pure `transition()`, and reads back the new status fields and the
 * intents (events to record) from the context. Actions only `assign`; time arrives as `TICK{now}`;
 * a timed pause asks for a requeue instead of an in-process timer. Follows Argo Rollouts'
 * rollout/canary.go (syncRolloutStatusCanary, completedCurrentCanaryStep) and rollout/pause.go.
 */
import { assign, type SnapshotFrom, setup, transition } from 'xstate';
import { ConditionMessage, formatMessage, toKubeTime } from '../status/conditions.js';
import type { PauseCondition } from '../types.js';
import { PauseReason, type PauseReason as PauseReasonValue, type StepModel } from './steps.js';

export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

export interface ObservedRun {
  readonly name: string;
  readonly phase: AnalysisPhase;
  readonly message?: string;
  /** Step index of a step run. */
  readonly stepIndex?: number;
}

/** An event to record on the Rollout. */
export interface EventIntent {
  readonly type: 'event';
  readonly eventType: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export interface RolloutContext {
  readonly steps: readonly StepModel[];
  /** A short description of each step for events ("setWeight: 20", "pause: 10"). */
  readonly stepNames: readonly string[];
  readonly stepIndex: number;
  readonly pauseConditions: readonly PauseCondition[];
  readonly controllerPause: boolean;
  readonly abort: boolean;
  readonly abortedAt?: string;
  /** Why the controller aborted (analysis, progress deadline); empty for a user abort. */
  readonly abortMessage?: string;
  readonly promoteFull: boolean;
  /** Going back to a ReplicaSet within spec.rollbackWindow: skip the steps (ROLLBACK_WITHIN_WINDOW). */
  readonly rollbackWithinWindow?: boolean;
  readonly stableRS?: string;
  readonly currentPodHash: string;
  /** The ReplicaSet named by stableRS exists. */
  readonly hasStableRS: boolean;
  readonly specPaused: boolean;
  readonly revision: number;
  /** Every pod of the new ReplicaSet is available (spec.replicas of the Rollout). */
  readonly newRSFullyAvailable: boolean;
  /** Background analysis configured, and the step it starts at. */
  readonly backgroundStartingStep?: number;
  // ---- observations fed by events ----
  readonly now: number;
  /** The weight at which ReplicaSet sizes and availability are at their targets (REPLICAS_READY). */
  readonly readyWeight?: number;
  readonly stepRun?: ObservedRun;
  readonly backgroundRun?: ObservedRun;
  /** The user cleared the pause conditions (promote) while the controller had paused. */
  readonly userPromoted: boolean;
  readonly progressDeadlineExceeded: boolean;
  readonly progressDeadlineAbort: boolean;
  // ---- output ----
  readonly intents: readonly EventIntent[];
}

export type RolloutEvent =
  | { readonly type: 'SPEC_CHANGED'; readonly rollbackToStable: boolean }
  | { readonly type: 'TICK'; readonly now: number }
  | { readonly type: 'REPLICAS_READY'; readonly weight: number }
  | { readonly type: 'ANALYSIS'; readonly kind: 'step' | 'background'; readonly run: ObservedRun }
  | { readonly type: 'PROMOTE' }
  | { readonly type: 'PROMOTE_FULL' }
  | { readonly type: 'ROLLBACK_WITHIN_WINDOW' }
  | { readonly type: 'ABORT' }
  | { readonly type: 'RETRY' }
  | { readonly type: 'PROGRESS_DEADLINE_EXCEEDED' };

type Ctx = { readonly context: RolloutContext };

const FAILED = new Set<AnalysisPhase>(['Failed', 'Error']);

const currentStepModel = (c: RolloutContext): StepModel | undefined => c.steps[c.stepIndex];
const hasPause = (c: RolloutContext, reason: PauseReasonValue) =>
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

function isPauseStepDone(c: RolloutContext, step: Extract<StepModel, { kind: 'pause' }>): boolean {
  const condition = c.pauseConditions.find((p) => p.reason === PauseReason.CanaryPauseStep);
  if (step.durationSeconds !== undefined && condition !== undefined) {
    const expiresAt = Date.parse(condition.startTime) + step.durationSeconds * 1000;
    if (c.now > expiresAt) return true;
  }
  return c.controllerPause && condition === undefined;
}

function isCurrentStepDone(c: RolloutContext): boolean {
  if (c.specPaused) return false;
  const step = currentStepModel(c);
  switch (step?.kind) {
    case undefined:
      return false;
    case 'setWeight':
      return c.readyWeight === weightAtStep(c.steps, c.stepIndex);
    case 'pause':
      return isPauseStepDone(c, step);
    case 'analysis': {
      const run = c.stepRun;
      if (run?.stepIndex !== c.stepIndex) return false;
      return (
        run.phase === 'Successful' ||
        (run.phase === 'Inconclusive' && c.userPromoted && !hasPause(c, PauseReason.InconclusiveAnalysis))
      );
    }
    // setCanaryScale needs traffic routing (rejected by validation); unsupported steps never complete
    default:
      return false;
  }
}

const isBackgroundActive = (c: RolloutContext) =>
  c.backgroundStartingStep !== undefined && c.stepIndex >= c.backgroundStartingStep;

function failedRun(c: RolloutContext): ObservedRun | undefined {
  const step = c.stepRun;
  if (step !== undefined && step.stepIndex === c.stepIndex && FAILED.has(step.phase)) return step;
  const background = c.backgroundRun;
  if (background !== undefined && isBackgroundActive(c) && FAILED.has(background.phase)) return background;
  return undefined;
}

function inconclusiveRunNeedsPause(c: RolloutContext): boolean {
  if (c.controllerPause || hasPause(c, PauseReason.InconclusiveAnalysis)) return false;
  const step = c.stepRun;
  if (step?.stepIndex === c.stepIndex && step.phase === 'Inconclusive') return true;
  return isBackgroundActive(c) && c.backgroundRun?.phase === 'Inconclusive';
}

const event = (eventType: EventIntent['eventType'], reason: string, message: string): EventIntent => ({
  type: 'event',
  eventType,
  reason,
  message,
});

const pushEvent = (c: RolloutContext, intent: EventIntent) => [...c.intents, intent];

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
    deadlineAborts: ({ context: c }: Ctx) =>
      !c.abort && c.progressDeadlineExceeded && c.progressDeadlineAbort && c.currentPodHash !== c.stableRS,
    currentStepDone: ({ context }: Ctx) => isCurrentStepDone(context),
    shouldPauseAtStep: ({ context: c }: Ctx) =>
      !c.specPaused &&
      currentStepModel(c)?.kind === 'pause' &&
      !c.controllerPause &&
      !hasPause(c, PauseReason.CanaryPauseStep),
    inconclusiveNeedsPause: ({ context }: Ctx) => inconclusiveRunNeedsPause(context),
    isPaused: ({ context: c }: Ctx) => c.specPaused || c.pauseConditions.length > 0,
    isUnpaused: ({ context: c }: Ctx) => !c.specPaused && c.pauseConditions.length === 0,
    isHealthy: ({ context: c }: Ctx) =>
      c.hasStableRS && c.currentPodHash === c.stableRS && c.stepIndex >= c.steps.length,
    isNotHealthy: ({ context: c }: Ctx) =>
      !(c.hasStableRS && c.currentPodHash === c.stableRS && c.stepIndex >= c.steps.length),
  },
  actions: {
    observeTick: assign({ now: ({ event: e }) => (e.type === 'TICK' ? e.now : 0) }),
    observeReplicas: assign({
      readyWeight: ({ event: e, context }) => (e.type === 'REPLICAS_READY' ? e.weight : context.readyWeight),
    }),
    observeAnalysis: assign(({ event: e }) => {
      if (e.type !== 'ANALYSIS') return {};
      return e.kind === 'step' ? { stepRun: e.run } : { backgroundRun: e.run };
    }),
    observePromote: assign({ userPromoted: true }),
    observeDeadline: assign({ progressDeadlineExceeded: true }),
    observeRollbackWindow: assign({ rollbackWithinWindow: true }),
    resetForNewRevision: assign(({ event: e, context: c }) => {
      const rollbackToStable = e.type === 'SPEC_CHANGED' && e.rollbackToStable;
      return {
        stepIndex: rollbackToStable ? c.steps.length : 0,
        pauseConditions: [],
        controllerPause: false,
        abort: false,
        abortedAt: undefined,
        abortMessage: undefined,
        promoteFull: false,
        rollbackWithinWindow: false,
        readyWeight: undefined,
        stepRun: undefined,
        backgroundRun: undefined,
        userPromoted: false,
        progressDeadlineExceeded: false,
        // back to the stable ReplicaSet: every step is skipped at once
        intents:
          rollbackToStable && c.steps.length > 0
            ? pushEvent(c, event('Normal', 'SkipSteps', 'Rollback to stable'))
            : c.intents,
      };
    }),
    recordAbort: assign(({ context: c }) => ({
      abortedAt: toKubeTime(c.now),
      pauseConditions: [],
      controllerPause: false,
      promoteFull: false,
      stepIndex: c.currentPodHash === c.stableRS ? c.steps.length : 0,
      intents: pushEvent(
        c,
        event('Warning', 'RolloutAborted', formatMessage.rolloutAborted(c.revision, c.abortMessage)),
      ),
    })),
    abortForAnalysis: assign(({ context: c }) => {
      const run = failedRun(c);
      return {
        abort: true,
        abortMessage: run?.message ?? `AnalysisRun ${run?.name ?? ''} ${run?.phase ?? ''}`,
      };
    }),
    abortForDeadline: assign({ abort: true, abortMessage: ConditionMessage.ProgressDeadlineAbort }),
    clearAbort: assign({ abortedAt: undefined, abortMessage: undefined, stepIndex: 0 }),
    applyPromoteFull: assign(({ context: c }) => ({
      abort: false,
      abortedAt: undefined,
      abortMessage: undefined,
      pauseConditions: [],
      controllerPause: false,
      stepIndex: c.steps.length,
    })),
    promoteStable: assign(({ context: c }) => {
      const reason = !c.hasStableRS
        ? 'Initial deploy'
        : c.promoteFull
          ? 'Full promotion requested'
          : c.rollbackWithinWindow
            ? 'Rollback within window'
            : `Completed all ${c.steps.length} canary steps`;
      return {
        stableRS: c.currentPodHash,
        hasStableRS: true,
        promoteFull: false,
        pauseConditions: [],
        controllerPause: false,
        stepIndex: c.steps.length,
        intents: pushEvent(
          c,
          event(
            'Normal',
            'RolloutCompleted',
            formatMessage.rolloutCompleted(c.revision, c.currentPodHash, reason),
          ),
        ),
      };
    }),
    completeStep: assign(({ context: c }) => ({
      stepIndex: c.stepIndex + 1,
      pauseConditions: c.pauseConditions.filter(
        (p) => p.reason !== PauseReason.CanaryPauseStep && p.reason !== PauseReason.InconclusiveAnalysis,
      ),
      controllerPause: false,
      userPromoted: false,
      intents: [
        ...c.intents,
        event(
          'Normal',
          'RolloutStepCompleted',
          formatMessage.rolloutStepCompleted(c.stepIndex + 1, c.steps.length, c.stepNames[c.stepIndex] ?? ''),
        ),
        // leaving a pause the controller set (time up or promoted) resumes the rollout
        ...(c.controllerPause ? [event('Normal', 'RolloutResumed', ConditionMessage.RolloutResumed)] : []),
      ],
    })),
    addStepPause: assign(({ context: c }) => ({
      pauseConditions: [
        ...c.pauseConditions,
        { reason: PauseReason.CanaryPauseStep, startTime: toKubeTime(c.now) },
      ],
      controllerPause: true,
      intents: pushEvent(
        c,
        event('Normal', 'RolloutPaused', formatMessage.rolloutPausedFor(PauseReason.CanaryPauseStep)),
      ),
    })),
    addInconclusivePause: assign(({ context: c }) => ({
      pauseConditions: [
        ...c.pauseConditions,
        { reason: PauseReason.InconclusiveAnalysis, startTime: toKubeTime(c.now) },
      ],
      controllerPause: true,
      intents: pushEvent(
        c,
        event('Normal', 'RolloutPaused', formatMessage.rolloutPausedFor(PauseReason.InconclusiveAnalysis)),
      ),
    })),
    recordResume: assign(({ context: c }) => ({
      controllerPause: false,
      intents: pushEvent(c, event('Normal', 'RolloutResumed', ConditionMessage.RolloutResumed)),
    })),
  },
}).createMachine({
  id: 'rollout',
  context: ({ input }) => input,
  initial: 'progressing',
  on: {
    TICK: { actions: 'observeTick' },
    REPLICAS_READY: { actions: 'observeReplicas' },
    ANALYSIS: { actions: 'observeAnalysis' },
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
  },
  states: {
    progressing: {
      always: [
        { guard: 'isAborted', target: 'aborted' },
        { guard: 'shouldPromoteStable', target: 'healthy', actions: 'promoteStable' },
        { guard: 'analysisFailed', target: 'aborted', actions: ['abortForAnalysis', 'recordAbort'] },
        { guard: 'deadlineAborts', target: 'aborted', actions: ['abortForDeadline', 'recordAbort'] },
        { guard: 'currentStepDone', actions: 'completeStep' },
        { guard: 'shouldPauseAtStep', target: 'paused', actions: 'addStepPause' },
        { guard: 'inconclusiveNeedsPause', target: 'paused', actions: 'addInconclusivePause' },
        { guard: 'isPaused', target: 'paused' },
        { guard: 'isHealthy', target: 'healthy' },
      ],
    },
    paused: {
      always: [
        { guard: 'isAborted', target: 'aborted' },
        { guard: 'analysisFailed', target: 'aborted', actions: ['abortForAnalysis', 'recordAbort'] },
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

/** Feeds events through the pure `transition()`; returns the final snapshot. */
export function runRolloutMachine(context: RolloutContext, events: readonly RolloutEvent[]): RolloutSnapshot {
  let snapshot = resolveRolloutSnapshot(context);
  for (const e of events) [snapshot] = transition(rolloutMachine, snapshot, e);
  return snapshot;
}
