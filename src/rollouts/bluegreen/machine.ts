/**
 * The blue-green strategy as an XState machine. Status is the source of truth: every reconcile rebuilds a
 * snapshot from status (`resolveBlueGreenSnapshot`), feeds the observations as events through XState's pure
 * `transition()`, and reads back the new status fields from the context and the named actions
 * `transition()` returns (`recordEvent`, and on the final `PLAN` event the effects: point the preview and
 * active Services, scale, analysis runs, requeue; see effects.ts). `RECONCILE` runs Argo Rollouts'
 * rolloutBlueGreen order: the pause, then the active Service, then the analysis results, then promotion
 * (rollout/bluegreen.go, rollout/service.go, rollout/analysis.go, rollout/sync.go). Time arrives as
 * `TICK{now}`; an auto-promotion pause asks for a requeue, never an in-process timer.
 */
import { enqueueActions, type SnapshotFrom, setup } from 'xstate';
import { PauseReason } from '../canary/steps.js';
import {
  abortedEvent,
  abortGuards,
  abortRecorded,
  completedEvent,
  EXECUTOR_ACTIONS,
  isPausedStatus,
  NO_ABORT,
  NO_PAUSE,
  pausedEvent,
  resumedEvent,
  withControllerPause,
} from '../strategies/machine-lifecycle.js';
import { type MachineRun, machineRunner } from '../strategies/machine-run.js';
import type { BlueGreenContext, BlueGreenEvent } from './context.js';
import { planBlueGreenActions } from './effects.js';
import {
  activeServiceTarget,
  completedBlueGreenPause,
  completedPrePromotionAnalysis,
  failedAnalysis,
  fullPromotionReason,
  hasPause,
  isFastTracked,
  isHalted,
  isInconclusive,
  needsControllerPause,
} from './pause.js';

export type { BlueGreenContext, BlueGreenEvent } from './context.js';

type Ctx = { readonly context: BlueGreenContext };

const withoutPause = (c: BlueGreenContext, reason: string) =>
  c.pauseConditions.filter((p) => p.reason !== reason);

const isPaused = isPausedStatus;
const isHealthy = (c: BlueGreenContext) =>
  c.hasStableRS && c.stableRS === c.currentPodHash && c.activeSelector === c.currentPodHash;

export const blueGreenMachine = setup({
  types: {
    context: {} as BlueGreenContext,
    events: {} as BlueGreenEvent,
    input: {} as BlueGreenContext,
  },
  guards: {
    ...abortGuards,
    isPaused: ({ context }: Ctx) => !context.abort && isPaused(context),
    isHealthy: ({ context }: Ctx) => !context.abort && !isPaused(context) && isHealthy(context),
  },
  actions: {
    observeTick: enqueueActions(({ event: e, enqueue }) => {
      if (e.type === 'TICK') enqueue.assign({ now: e.now });
    }),
    observeReplicas: enqueueActions(({ event: e, enqueue }) => {
      if (e.type === 'REPLICAS')
        enqueue.assign({
          readyForPause: e.readyForPause,
          saturated: e.saturated,
          newAvailable: e.newAvailable,
        });
    }),
    observeAnalysis: enqueueActions(({ event: e, enqueue }) => {
      if (e.type !== 'ANALYSIS') return;
      enqueue.assign(e.kind === 'pre' ? { preRun: e.run } : { postRun: e.run });
    }),
    /** Argo's resetRolloutStatus: a new pod template starts over. */
    resetForNewRevision: enqueueActions(({ enqueue }) => {
      enqueue.assign({
        ...NO_PAUSE,
        ...NO_ABORT,
        promoteFull: false,
        scaleUpPreviewCheckPoint: false,
        preRun: undefined,
        postRun: undefined,
        pauseStartedAt: undefined,
        wasControllerPaused: false,
      });
    }),
    applyPromoteFull: enqueueActions(({ event: e, enqueue }) => {
      enqueue.assign({
        ...NO_PAUSE,
        ...NO_ABORT,
        ...(e.type === 'PROMOTE_FULL' && e.rollbackWithinWindow && { rollbackWithinWindow: true }),
      });
    }),
    recordAbort: enqueueActions(({ context: c, enqueue }) => {
      enqueue(abortedEvent(c));
      enqueue.assign(abortRecorded(c));
    }),
    clearAbort: enqueueActions(({ enqueue }) => {
      enqueue.assign({ abortedAt: undefined, abortMessage: undefined, retried: true });
    }),
    /** Argo's reconcileBlueGreenPause. */
    reconcilePause: enqueueActions(({ context: c, event: e, enqueue }) => {
      if (e.type !== 'RECONCILE' || !e.full) return;
      if (c.abort || !c.readyForPause || isHalted(c)) return;
      const remove = () => {
        if (!hasPause(c, PauseReason.BlueGreenPause)) return;
        enqueue.assign({ pauseConditions: withoutPause(c, PauseReason.BlueGreenPause) });
      };
      if (
        isFastTracked(c) ||
        c.activeSelector === c.currentPodHash ||
        c.scaleUpPreviewCheckPoint ||
        !needsControllerPause(c)
      ) {
        remove();
        return;
      }
      if (!completedPrePromotionAnalysis(c)) return;
      if (hasPause(c, PauseReason.BlueGreenPause)) {
        if (completedBlueGreenPause(c)) remove();
        return;
      }
      // no pause condition: a controllerPause left means a user promoted (`promote`)
      if (c.controllerPause) return;
      enqueue(pausedEvent(PauseReason.BlueGreenPause));
      enqueue.assign({ ...withControllerPause(c, PauseReason.BlueGreenPause), pauseAdded: true });
    }),
    /** Argo's reconcileActiveService. */
    reconcileActive: enqueueActions(({ context: c, event: e, enqueue }) => {
      if (e.type !== 'RECONCILE' || !e.full) return;
      enqueue.assign({ activeTarget: activeServiceTarget(c) });
    }),
    /** Argo's setPauseOrAbortForBlueGreen: a failed run aborts, an inconclusive one pauses. */
    reconcileAnalysis: enqueueActions(({ context: c, event: e, enqueue }) => {
      if (e.type !== 'RECONCILE' || !e.full || c.abort || c.analysisCancelled) return;
      const failed = failedAnalysis(c);
      if (failed !== undefined) {
        enqueue.assign({ abort: true, abortMessage: failed });
        enqueue('recordAbort');
        return;
      }
      if (isInconclusive(c) && !hasPause(c, PauseReason.InconclusiveAnalysis)) {
        enqueue(pausedEvent(PauseReason.InconclusiveAnalysis));
        enqueue.assign(withControllerPause(c, PauseReason.InconclusiveAnalysis));
      }
    }),
    /** Argo's evaluateProgressDeadlineAbort: an update past its progress deadline aborts when asked to. */
    reconcileDeadline: enqueueActions(({ context: c, enqueue }) => {
      if (c.abort || !c.progressDeadlineAbort || !c.progressDeadlineExceeded) return;
      if (!c.hasStableRS || c.stableRS === c.currentPodHash) return;
      enqueue.assign({ abort: true, abortMessage: 'ReplicaSet has timed out progressing.' });
      enqueue('recordAbort');
    }),
    /** Argo's syncRolloutStatusBlueGreen: promote to stable, or move the preview checkpoint. */
    reconcilePromotion: enqueueActions(({ context: c, enqueue }) => {
      const reason = fullPromotionReason(c);
      if (reason !== '') {
        if (c.stableRS !== c.currentPodHash) enqueue(completedEvent(c, reason));
        enqueue.assign({
          stableRS: c.currentPodHash,
          hasStableRS: true,
          ...NO_PAUSE,
          ...NO_ABORT,
          promoteFull: false,
          scaleUpPreviewCheckPoint: false,
          promotedBecause: reason,
        });
        return;
      }
      const checkPoint =
        c.previewReplicaCount !== undefined &&
        (c.scaleUpPreviewCheckPoint ||
          (completedPrePromotionAnalysis(c) &&
            completedBlueGreenPause(c) &&
            c.previewReplicaCount === c.newAvailable));
      enqueue.assign({ scaleUpPreviewCheckPoint: checkPoint });
    }),
    /** Argo's CalculatePauseConditions: controllerPause only while a pause condition is left. */
    settlePause: enqueueActions(({ context: c, enqueue }) => {
      if (c.pauseConditions.length === 0 && c.controllerPause) enqueue.assign({ controllerPause: false });
      // leaving a pause the controller set (promoted, or autoPromotionSeconds passed)
      if (c.wasControllerPaused && !c.abort && !isPaused(c)) enqueue('recordResume');
    }),
    recordResume: enqueueActions(({ enqueue }) => {
      enqueue(resumedEvent());
    }),
    planEffects: enqueueActions(({ context, event: e, enqueue }) => {
      if (e.type !== 'PLAN') return;
      for (const action of planBlueGreenActions(context, e.world)) enqueue(action as never);
    }),
    ...EXECUTOR_ACTIONS,
  },
}).createMachine({
  id: 'blueGreen',
  context: ({ input }) => input,
  initial: 'progressing',
  on: {
    TICK: { actions: 'observeTick' },
    REPLICAS: { actions: 'observeReplicas' },
    ANALYSIS: { actions: 'observeAnalysis' },
    SPEC_CHANGED: { target: '.progressing', actions: 'resetForNewRevision' },
    PROMOTE_FULL: { target: '.progressing', actions: 'applyPromoteFull' },
    ABORT: { guard: 'isNewlyAborted', target: '.aborted', actions: 'recordAbort' },
    RETRY: { guard: 'wasAborted', target: '.progressing', actions: 'clearAbort' },
    RECONCILE: {
      target: '.settling',
      actions: [
        'reconcilePause',
        'reconcileActive',
        'reconcileAnalysis',
        'reconcileDeadline',
        'reconcilePromotion',
        'settlePause',
      ],
    },
    PLAN: { actions: 'planEffects' },
  },
  states: {
    /** Where a reconcile's decision lands: the state the new status describes. */
    settling: {
      always: [
        { guard: 'isAborted', target: 'aborted' },
        { guard: 'isPaused', target: 'paused' },
        { guard: 'isHealthy', target: 'healthy' },
        { target: 'progressing' },
      ],
    },
    progressing: {},
    paused: {},
    aborted: {},
    healthy: {},
  },
});

export type BlueGreenSnapshot = SnapshotFrom<typeof blueGreenMachine>;
export type BlueGreenStateValue = 'progressing' | 'paused' | 'aborted' | 'healthy';

/** The state a context is in, derived from status alone (no history is kept between reconciles). */
export function stateFromContext(c: BlueGreenContext): BlueGreenStateValue {
  if (c.abort && c.abortedAt !== undefined) return 'aborted';
  if (isPaused(c)) return 'paused';
  if (isHealthy(c)) return 'healthy';
  return 'progressing';
}

export type BlueGreenMachineRun = MachineRun<typeof blueGreenMachine>;

const runner = machineRunner(blueGreenMachine, stateFromContext);
export const resolveBlueGreenSnapshot = runner.resolve;
export const continueBlueGreenMachine = runner.continue;
export const runBlueGreenMachine = runner.run;
