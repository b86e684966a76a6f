/**
 * The one conditions toolkit: find, test, set, mark and remove status conditions, pure and typed by
 * the condition-type and reason unions of each domain. It serves both shapes in use: Kubernetes'
 * `metav1.Condition` (lastTransitionTime) and Argo Rollouts' `RolloutCondition` (lastUpdateTime
 * too), and Argo CD's status-less application conditions. How a set treats the stored condition
 * is a named rule set (`ConditionRules`), so every controller keeps its upstream's exact semantics.
 */

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A status condition; `T` and `R` narrow the type and reason to a domain's catalogue. */
export interface Condition<T extends string = string, R extends string = string> {
  readonly type: T;
  readonly status: ConditionStatus;
  readonly reason?: R;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly lastUpdateTime?: string;
}

/** What `setCondition` compares and stamps; every shape above fits. */
export interface ConditionLike {
  readonly type: string;
  readonly status?: ConditionStatus;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly lastUpdateTime?: string;
}

/** The fields a caller sets; the toolkit stamps the times. */
export type ConditionInput<C extends ConditionLike> = Omit<C, 'lastTransitionTime' | 'lastUpdateTime'>;

type ComparedField = 'status' | 'reason' | 'message';

/** How `setCondition` treats a stored condition of the same type. */
export interface ConditionRules {
  /**
   * When all of these equal the stored condition's, it stays exactly as it is (no write, no churn).
   * Empty: every set rewrites the condition (and its lastUpdateTime).
   */
  readonly keepWhenSame: readonly ComparedField[];
  /** A change in any of these restarts `lastTransitionTime`; otherwise the stored time is kept. */
  readonly transitionOn: readonly ComparedField[];
  /** Stamp `lastUpdateTime` on every change (Argo Rollouts' conditions have it). */
  readonly updateTime: boolean;
  /** A changed condition stays where it was (`in-place`) or moves to the end (`last`). New ones go last. */
  readonly replaced: 'in-place' | 'last';
  /** A kept condition without `lastTransitionTime` gets `now` (Argo CD's `SetConditions`). */
  readonly fillTransitionTime: boolean;
}

export const ConditionRules = {
  /** apimachinery's `meta.SetStatusCondition`: the time moves only when the status does. */
  metav1: {
    keepWhenSame: ['status', 'reason', 'message'],
    transitionOn: ['status'],
    updateTime: false,
    replaced: 'in-place',
    fillTransitionTime: false,
  },
  /**
   * Argo Rollouts' `SetRolloutCondition`: same status and reason keep everything (even an older
   * message); otherwise the condition moves to the end with lastUpdateTime = now, its
   * lastTransitionTime kept while the status is the same.
   */
  argoRollouts: {
    keepWhenSame: ['status', 'reason'],
    transitionOn: ['status'],
    updateTime: true,
    replaced: 'last',
    fillTransitionTime: false,
  },
  /** Argo CD's `ApplicationStatus.SetConditions`: a condition is kept while its message is the same. */
  argoCd: {
    keepWhenSame: ['message'],
    transitionOn: ['message'],
    updateTime: false,
    replaced: 'in-place',
    fillTransitionTime: true,
  },
} as const satisfies Record<string, ConditionRules>;

export interface SetConditionResult<C> {
  readonly conditions: readonly C[];
  /** False when the list is the one given (nothing to write). */
  readonly changed: boolean;
}

export function findCondition<C extends { readonly type?: string }>(
  conditions: readonly C[] | undefined,
  type: string,
): C | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(
  conditions: readonly { readonly type?: string; readonly status?: string }[] | undefined,
  type: string,
): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

export function removeCondition<C extends { readonly type?: string }>(
  conditions: readonly C[] | undefined,
  type: string,
): readonly C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

const differs = (a: ConditionLike, b: ConditionLike, fields: readonly ComparedField[]): boolean =>
  fields.some((f) => a[f] !== b[f]);

/**
 * `conditions` with `next` set under `rules`; `now` is the timestamp to stamp (metav1.Time, see
 * `toKubeTime`). Pure: the given list and its conditions are never modified.
 */
export function setCondition<C extends ConditionLike>(
  conditions: readonly C[] | undefined,
  next: ConditionInput<C>,
  now: string,
  rules: ConditionRules,
): SetConditionResult<C> {
  const list = conditions ?? [];
  const index = list.findIndex((c) => c.type === next.type);
  const current = list[index];
  if (current !== undefined && rules.keepWhenSame.length > 0 && !differs(current, next, rules.keepWhenSame)) {
    if (!rules.fillTransitionTime || current.lastTransitionTime !== undefined)
      return { conditions: list, changed: false };
    const filled = { ...current, lastTransitionTime: now };
    return { conditions: list.map((c, i) => (i === index ? filled : c)), changed: true };
  }
  const transition =
    current === undefined ||
    current.lastTransitionTime === undefined ||
    differs(current, next, rules.transitionOn)
      ? now
      : current.lastTransitionTime;
  const stamped = {
    ...next,
    ...(rules.updateTime && { lastUpdateTime: now }),
    lastTransitionTime: transition,
  } as C;
  if (current === undefined) return { conditions: [...list, stamped], changed: true };
  if (rules.replaced === 'in-place')
    return { conditions: list.map((c, i) => (i === index ? stamped : c)), changed: true };
  return { conditions: [...list.filter((_, i) => i !== index), stamped], changed: true };
}

/** The fields of a mark: the status comes from the verb (and follows the type in the JSON). */
export type MarkInput<C extends ConditionLike> = Omit<ConditionInput<C>, 'status'>;

function marker(status: ConditionStatus) {
  return <C extends ConditionLike>(
    conditions: readonly C[] | undefined,
    mark: MarkInput<C>,
    now: string,
    rules: ConditionRules,
  ): SetConditionResult<C> => {
    const { type, ...rest } = mark;
    return setCondition(conditions, { type, status, ...rest } as unknown as ConditionInput<C>, now, rules);
  };
}

/** `setCondition` with status True. */
export const markTrue = marker('True');
/** `setCondition` with status False. */
export const markFalse = marker('False');
/** `setCondition` with status Unknown. */
export const markUnknown = marker('Unknown');

/** Kubernetes `metav1.Time` JSON: RFC 3339 in UTC with whole seconds. */
export function toKubeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
