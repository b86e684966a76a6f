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
import { ConditionReason, formatMessage, toKubeTime } from '../status/conditions.js';
import { ACTION_ORDER, type EventIntent, type RolloutAction } from '../strategies/actions.js';
import { continueMachine, type MachineRun } from '../strategies/machine-run.js';
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

const event = (eventType: EventIntent['eventType'], reason: string, message: string): EventIntent => ({
  type: 'event',
  eventType,
  reason,
  message,
});
const recordEvent = (params: EventIntent) => ({ type: 'recordEvent', params }) as never;

const EXECUTOR_ACTIONS = Object.fromEntries(
  ACTION_ORDER.map((type) => [type, (_: unknown, _params: unknown) => {}]),
) as Record<RolloutAction['type'], (_: unknown, params: unknown) => void>;

const withoutPause = (c: BlueGreenContext, reason: string) =>
  c.pauseConditions.filter((p) => p.reason !== reason);

const isPaused = (c: BlueGreenContext) => c.specPaused || c.pauseConditions.length > 0;
const isHealthy = (c: BlueGreenContext) =>
  c.hasStableRS && c.stableRS === c.currentPodHash && c.activeSelector === c.currentPodHash;

export const blueGreenMachine = setup({
  types: {
    context: {} as BlueGreenContext,
    events: {} as BlueGreenEvent,
    input: {} as BlueGreenContext,
  },
  guards: {
    isAborted: ({ context }: Ctx) => context.abort,
    isNewlyAborted: ({ context }: Ctx) => context.abort && context.abortedAt === undefined,
    wasAborted: ({ context }: Ctx) => !context.abort && context.abortedAt !== undefined,
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
        pauseConditions: [],
        controllerPause: false,
        abort: false,
        abortedAt: undefined,
        abortMessage: undefined,
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
        pauseConditions: [],
        controllerPause: false,
        abort: false,
        abortedAt: undefined,
        abortMessage: undefined,
        ...(e.type === 'PROMOTE_FULL' && e.rollbackWithinWindow && { rollbackWithinWindow: true }),
      });
    }),
    recordAbort: enqueueActions(({ context: c, enqueue }) => {
      enqueue(
        recordEvent(
          event(
            'Warning',
            ConditionReason.RolloutAborted,
            formatMessage.rolloutAborted(c.revision, c.abortMessage),
          ),
        ),
      );
      enqueue.assign({
        abortedAt: toKubeTime(c.now),
        pauseConditions: [],
        controllerPause: false,
        promoteFull: false,
      });
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
      enqueue(
        recordEvent(
          event(
            'Normal',
            ConditionReason.RolloutPaused,
            formatMessage.rolloutPausedFor(PauseReason.BlueGreenPause),
          ),
        ),
      );
      enqueue.assign({
        pauseConditions: [
          ...c.pauseConditions,
          { reason: PauseReason.BlueGreenPause, startTime: toKubeTime(c.now) },
        ],
        controllerPause: true,
        pauseAdded: true,
      });
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
        enqueue(
          recordEvent(
            event(
              'Normal',
              ConditionReason.RolloutPaused,
              formatMessage.rolloutPausedFor(PauseReason.InconclusiveAnalysis),
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
        if (c.stableRS !== c.currentPodHash)
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
          pauseConditions: [],
          controllerPause: false,
          abort: false,
          abortedAt: undefined,
          abortMessage: undefined,
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
      enqueue(recordEvent(event('Normal', ConditionReason.RolloutResumed, 'Rollout is resumed')));
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

export function resolveBlueGreenSnapshot(context: BlueGreenContext): BlueGreenSnapshot {
  return blueGreenMachine.resolveState({ value: stateFromContext(context), context });
}

export type BlueGreenMachineRun = MachineRun<typeof blueGreenMachine>;

/** Feeds events through the pure `transition()`; collects the named actions it returns. */
export function continueBlueGreenMachine(
  from: BlueGreenSnapshot,
  events: readonly BlueGreenEvent[],
): BlueGreenMachineRun {
  return continueMachine(blueGreenMachine, from, events);
}

export function runBlueGreenMachine(
  context: BlueGreenContext,
  events: readonly BlueGreenEvent[],
): BlueGreenMachineRun {
  return continueBlueGreenMachine(resolveBlueGreenSnapshot(context), events);
}
