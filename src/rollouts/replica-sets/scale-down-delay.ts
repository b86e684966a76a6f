/**
 * The scale-down delay of older ReplicaSets, strategy-neutral (Argo Rollouts' scaleDownDelayHelper in
 * rollout/replicaset.go with GetScaleDownRevisionLimit): an older ReplicaSet that still has pods gets a
 * `scale-down-deadline` annotation `delaySeconds` ahead and keeps its pods until then; at most
 * `revisionLimit` of them (newest first) are kept that way, the rest are scaled to 0 at once; a passed
 * deadline scales the ReplicaSet to 0. The caller leaves out ReplicaSets still referenced (stable, active,
 * preview) and those already at 0. Pure: `now` comes in, the result says what to write and when to look
 * again.
 */

/** An older ReplicaSet as the rule sees it. */
export interface DelayedReplicaSet<T> {
  readonly ref: T;
  readonly revision: number;
  /** `spec.replicas`. */
  readonly replicas: number;
  /** Its `scale-down-deadline` annotation, if any (RFC 3339). */
  readonly deadline?: string;
}

export interface ScaleDownDelayInput<T> {
  readonly replicaSets: readonly DelayedReplicaSet<T>[];
  /** `scaleDownDelaySeconds`; 0 scales down at once (no annotation written). */
  readonly delaySeconds: number;
  /** `scaleDownDelayRevisionLimit`; default unlimited. */
  readonly revisionLimit?: number;
  /** The size kept while a written deadline has not passed (Argo: the Rollout's replicas for blue-green). */
  readonly keepReplicas: (rs: DelayedReplicaSet<T>) => number;
  /** Epoch ms. */
  readonly now: number;
}

export type ScaleDownDelayVerdict<T> =
  /** Keep its pods and write this deadline. */
  | { readonly kind: 'annotate'; readonly ref: T; readonly replicas: number; readonly deadline: string }
  /** Its deadline has not passed: keep `replicas` until `wakeAt`. */
  | { readonly kind: 'wait'; readonly ref: T; readonly replicas: number; readonly wakeAt: number }
  /** Scale it to 0 now. */
  | { readonly kind: 'scaleDown'; readonly ref: T; readonly replicas: 0 };

export interface ScaleDownDelayPlan<T> {
  /** One verdict per ReplicaSet with pods, newest revision first. */
  readonly verdicts: readonly ScaleDownDelayVerdict<T>[];
  /** The earliest deadline to look again at (epoch ms), if any. */
  readonly requeueAt?: number;
}

export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';
export const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
/** `abortScaleDownDelaySeconds` when a traffic-routed canary or a blue-green preview is aborted. */
export const DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS = 30;

/** A ReplicaSet's `scale-down-deadline` annotation; an empty one counts as none (Argo's HasScaleDownDeadline). */
export const scaleDownDeadlineOf = (
  rs: { readonly metadata: { readonly annotations?: Readonly<Record<string, string>> } } | undefined,
): string | undefined => rs?.metadata.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] || undefined;

/** RFC 3339 in UTC with whole seconds, as Go's `time.RFC3339` prints it. */
export const toRfc3339Seconds = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function planScaleDownDelay<T>(input: ScaleDownDelayInput<T>): ScaleDownDelayPlan<T> {
  const limit = input.revisionLimit ?? Number.POSITIVE_INFINITY;
  const sorted = [...input.replicaSets].sort((a, b) => b.revision - a.revision);
  const verdicts: ScaleDownDelayVerdict<T>[] = [];
  const wakeups: number[] = [];
  let annotated = 0;
  for (const rs of sorted) {
    if (rs.replicas <= 0) continue;
    const hasDeadline = rs.deadline !== undefined && rs.deadline !== '';
    if (!hasDeadline) {
      if (annotated < limit && input.delaySeconds > 0) {
        annotated++;
        const deadline = toRfc3339Seconds(input.now + input.delaySeconds * 1000);
        verdicts.push({ kind: 'annotate', ref: rs.ref, replicas: rs.replicas, deadline });
        wakeups.push(Date.parse(deadline));
      } else {
        verdicts.push({ kind: 'scaleDown', ref: rs.ref, replicas: 0 });
      }
      continue;
    }
    annotated++;
    const at = Date.parse(rs.deadline ?? '');
    // over the revision limit, an unreadable deadline (Argo logs it) or a passed one: scale down
    if (annotated > limit || Number.isNaN(at) || at <= input.now) {
      verdicts.push({ kind: 'scaleDown', ref: rs.ref, replicas: 0 });
      continue;
    }
    verdicts.push({ kind: 'wait', ref: rs.ref, replicas: input.keepReplicas(rs), wakeAt: at });
    wakeups.push(at);
  }
  return { verdicts, ...(wakeups.length > 0 && { requeueAt: Math.min(...wakeups) }) };
}
