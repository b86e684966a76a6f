import { createHash } from 'node:crypto';

/**
 * The `notified.notifications.argoproj.io` annotation: which trigger conditions were already sent to which
 * destination, byte-compatible with notifications-engine (`pkg/controller/state.go`, `pkg/triggers/service.go`)
 * so objects migrated from argocd-notifications / Argo Rollouts get no duplicate blast.
 *
 * Key: `[<oncePer value>:]<trigger>:[<condition index>].<base64url-unpadded(sha1(when))>:<service>:<recipient>`
 * Value: unix seconds when it was sent. JSON object, keys sorted, at most 100 entries (oldest dropped).
 */

export const notifiedAnnotation = 'notified.notifications.argoproj.io';
export const notifiedHistoryMaxSize = 100;

/** Key → unix seconds. */
export type NotifiedState = Readonly<Record<string, number>>;

export interface NotificationKeyParts {
  readonly trigger: string;
  /** Position of the condition in the trigger's list. */
  readonly conditionIndex: number;
  /** The condition's `when` expression text, exactly as configured (hashed, not evaluated). */
  readonly when: string;
  /**
   * The evaluated `oncePer` value (e.g. the revision), not the expression. Upstream only evaluates it when
   * `when` is true; empty or absent means no prefix.
   */
  readonly oncePer?: string;
  readonly service: string;
  readonly recipient: string;
}

/** notifications-engine `hash`: sha1, base64 URL alphabet without padding (27 characters). */
export function hashCondition(when: string): string {
  return createHash('sha1').update(when, 'utf8').digest('base64url');
}

/** notifications-engine `ConditionResult.Key`: `[<index>].<hash(when)>`. */
export function conditionKey(conditionIndex: number, when: string): string {
  return `[${conditionIndex}].${hashCondition(when)}`;
}

/** notifications-engine `StateItemKey`. */
export function notificationKey(parts: NotificationKeyParts): string {
  const key = `${parts.trigger}:${conditionKey(parts.conditionIndex, parts.when)}:${parts.service}:${parts.recipient}`;
  return parts.oncePer !== undefined && parts.oncePer !== '' ? `${parts.oncePer}:${key}` : key;
}

/** Reads the annotation; absent or malformed JSON gives an empty state (as upstream), non-numbers are dropped. */
export function parseNotifiedState(annotation: string | undefined): NotifiedState {
  if (annotation === undefined || annotation === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const state: Record<string, number> = {};
  for (const [k, v] of Object.entries(parsed))
    if (typeof v === 'number' && Number.isFinite(v)) state[k] = Math.trunc(v);
  return state;
}

/** True when the condition holds and this key has not been recorded yet. */
export function shouldNotify(state: NotifiedState, key: string, conditionTrue: boolean): boolean {
  return conditionTrue && !Object.hasOwn(state, key);
}

/** Records a sent notification at `nowUnixSeconds`. */
export function markNotified(state: NotifiedState, key: string, nowUnixSeconds: number): NotifiedState {
  return { ...state, [key]: Math.trunc(nowUnixSeconds) };
}

/** Removes a key so the condition fires again next time it becomes true (also used after a failed send). */
export function rearm(state: NotifiedState, key: string): NotifiedState {
  if (!Object.hasOwn(state, key)) return state;
  const { [key]: _removed, ...rest } = state;
  return rest;
}

export interface ConditionObservation {
  readonly state: NotifiedState;
  /** True when a notification must be sent now. */
  readonly send: boolean;
}

/**
 * One evaluation of one condition for one destination, as notifications-engine `processResource` +
 * `SetAlreadyNotified` do: true and unrecorded → send and record; false → re-arm. When false, upstream
 * does not evaluate `oncePer`, so the key to pass is the one without it: `oncePer` entries are never re-armed.
 */
export function observeCondition(
  state: NotifiedState,
  key: string,
  conditionTrue: boolean,
  nowUnixSeconds: number,
): ConditionObservation {
  if (!conditionTrue) return { state: rearm(state, key), send: false };
  if (!shouldNotify(state, key, true)) return { state, send: false };
  return { state: markNotified(state, key, nowUnixSeconds), send: true };
}

/** Keeps the `max` newest entries (ties broken by key, so the result is deterministic). */
export function truncateNotifiedState(state: NotifiedState, max = notifiedHistoryMaxSize): NotifiedState {
  const keys = Object.keys(state);
  if (keys.length <= max) return state;
  keys.sort((a, b) => (state[a] ?? 0) - (state[b] ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  const keep = new Set(keys.slice(keys.length - max));
  return Object.fromEntries(Object.entries(state).filter(([k]) => keep.has(k)));
}

/** Go's encoding/json escapes <, >, & and U+2028/2029; mimic it so the annotation is byte-identical. */
function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The annotation value after truncation to 100 entries, keys sorted like Go's json.Marshal; `undefined` when
 * empty (upstream then deletes the annotation).
 */
export function serializeNotifiedState(
  state: NotifiedState,
  max = notifiedHistoryMaxSize,
): string | undefined {
  const truncated = truncateNotifiedState(state, max);
  const keys = Object.keys(truncated).sort();
  if (keys.length === 0) return undefined;
  const body = keys.map((k) => `${JSON.stringify(k)}:${String(truncated[k] ?? 0)}`).join(',');
  return goJsonEscape(`{${body}}`);
}
