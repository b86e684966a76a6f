/**
 * The part of a Rollout's lifecycle every strategy machine shares (Argo Rollouts' rollout/pause.go,
 * rollout/sync.go): the status fields both machines move, the guards over an abort, the events recorded
 * when a Rollout pauses, resumes, aborts or completes, what a controller pause and an abort write, and the
 * executor's named actions declared as no-ops so that `transition()` returns them. Pure: data in, data out.
 */
import { ConditionMessage, ConditionReason, formatMessage, toKubeTime } from '../status/conditions.js';
import type { PauseCondition } from '../types.js';
import { ACTION_ORDER, type EventIntent, type RolloutAction } from './actions.js';

/** The status fields every strategy machine's context carries (rebuilt from status on every reconcile). */
export interface LifecycleContext {
  readonly currentPodHash: string;
  readonly stableRS?: string;
  /** The ReplicaSet named by stableRS exists. */
  readonly hasStableRS: boolean;
  readonly revision: number;
  readonly pauseConditions: readonly PauseCondition[];
  readonly controllerPause: boolean;
  readonly abort: boolean;
  readonly abortedAt?: string;
  /** Why the controller aborted (analysis, progress deadline); empty for a user abort. */
  readonly abortMessage?: string;
  readonly promoteFull: boolean;
  readonly specPaused: boolean;
  /** The time of this reconcile (TICK). */
  readonly now: number;
  /** The progress deadline passed (Progressing: ProgressDeadlineExceeded). */
  readonly progressDeadlineExceeded: boolean;
  /** `spec.progressDeadlineAbort`: an update past its progress deadline aborts. */
  readonly progressDeadlineAbort: boolean;
}

type Ctx = { readonly context: LifecycleContext };

/** The guards over an abort, the same in every strategy. */
export const abortGuards = {
  isAborted: ({ context }: Ctx) => context.abort,
  /** Aborted by a user, not yet recorded (no `abortedAt`). */
  isNewlyAborted: ({ context }: Ctx) => context.abort && context.abortedAt === undefined,
  /** A recorded abort the user took back (`retry`). */
  wasAborted: ({ context }: Ctx) => !context.abort && context.abortedAt !== undefined,
};

/** A user's `spec.paused` or a pause condition left (Argo's paused phase). */
export const isPausedStatus = (c: LifecycleContext): boolean => c.specPaused || c.pauseConditions.length > 0;

/** No pause left, and no controller pause either. */
export const NO_PAUSE = { pauseConditions: [], controllerPause: false } as const;
/** No abort left (a full promotion, a new revision, a promotion to stable). */
export const NO_ABORT = { abort: false, abortedAt: undefined, abortMessage: undefined } as const;

/** The status an abort is recorded with: when, and no pause or full promotion left (Argo's abort). */
export const abortRecorded = (c: LifecycleContext) => ({
  abortedAt: toKubeTime(c.now),
  ...NO_PAUSE,
  promoteFull: false,
});

/** A pause the controller adds for `reason`, starting now (Argo's AddPauseCondition). */
export const withControllerPause = (c: LifecycleContext, reason: string) => ({
  pauseConditions: [...c.pauseConditions, { reason, startTime: toKubeTime(c.now) }],
  controllerPause: true,
});

export const eventIntent = (
  eventType: EventIntent['eventType'],
  reason: string,
  message: string,
): EventIntent => ({ type: 'event', eventType, reason, message });

/** A `recordEvent` named action (typed loosely: the enqueue of an action defined in the same setup). */
export const recordEvent = (params: EventIntent) => ({ type: 'recordEvent', params }) as never;

export const abortedEvent = (c: LifecycleContext) =>
  recordEvent(
    eventIntent(
      'Warning',
      ConditionReason.RolloutAborted,
      formatMessage.rolloutAborted(c.revision, c.abortMessage),
    ),
  );

export const pausedEvent = (pauseReason: string) =>
  recordEvent(
    eventIntent('Normal', ConditionReason.RolloutPaused, formatMessage.rolloutPausedFor(pauseReason)),
  );

export const resumedEvent = () =>
  recordEvent(eventIntent('Normal', ConditionReason.RolloutResumed, ConditionMessage.RolloutResumed));

/** The current ReplicaSet became stable, and why. */
export const completedEvent = (c: LifecycleContext, reason: string) =>
  recordEvent(
    eventIntent(
      'Normal',
      ConditionReason.RolloutCompleted,
      formatMessage.rolloutCompleted(c.revision, c.currentPodHash, reason),
    ),
  );

/** The named actions only the executor interprets: no-ops inside the machine, declared so `transition()` returns them. */
export const EXECUTOR_ACTIONS = Object.fromEntries(
  ACTION_ORDER.map((type) => [type, (_: unknown, _params: unknown) => {}]),
) as Record<RolloutAction['type'], (_: unknown, params: unknown) => void>;
