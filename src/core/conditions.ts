/** A Kubernetes-style status condition (Rollout, AnalysisRun and Application conditions all fit). */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly lastUpdateTime?: string;
}

export interface SetConditionOptions {
  /** Also maintain `lastUpdateTime` (Argo Rollouts' conditions have it). Default false. */
  readonly withUpdateTime?: boolean;
}

export function getCondition<C extends Condition>(
  conditions: readonly C[] | undefined,
  type: string,
): C | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === 'True';
}

/**
 * Returns `conditions` with `next` set. `lastTransitionTime` changes only when status, reason or
 * message change; otherwise the existing condition is kept as it is (no churn, no needless writes).
 */
export function setCondition<C extends Condition>(
  conditions: readonly C[] | undefined,
  next: C,
  nowIso: string,
  options: SetConditionOptions = {},
): C[] {
  const list = conditions ?? [];
  const existing = getCondition(list, next.type);
  if (
    existing &&
    existing.status === next.status &&
    existing.reason === next.reason &&
    existing.message === next.message
  ) {
    return [...list];
  }
  const stamped: C = {
    ...next,
    lastTransitionTime: nowIso,
    ...(options.withUpdateTime && { lastUpdateTime: nowIso }),
  };
  return existing ? list.map((c) => (c.type === next.type ? stamped : c)) : [...list, stamped];
}

export function removeCondition<C extends Condition>(
  conditions: readonly C[] | undefined,
  type: string,
): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
