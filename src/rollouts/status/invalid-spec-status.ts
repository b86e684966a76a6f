/**
 * The status of a Rollout whose spec cannot be run: the InvalidSpec condition (its time kept while the
 * message stays the same), the observed generation and selector, and the phase that follows. Pure.
 */
import { formatMetaLabelSelector } from '../../kube/index.js';
import type { Rollout, RolloutCondition, RolloutStatus } from '../types.js';
import { invalidSpecCondition, RolloutConditionType, replicaSetCreateErrorCondition } from './conditions.js';
import { calculateRolloutPhase } from './phase.js';

export interface InvalidSpecStatus {
  readonly status: RolloutStatus;
  readonly condition: RolloutCondition;
  /** The problem is new (the condition's message changed): worth an event and a warn line. */
  readonly isNew: boolean;
}

export function invalidSpecStatus(rollout: Rollout, error: string, now: number): InvalidSpecStatus {
  const prev = rollout.status ?? {};
  const previous = prev.conditions?.find((c) => c.type === RolloutConditionType.InvalidSpec);
  const condition = invalidSpecCondition(previous, rollout.metadata?.name ?? '', error, now);
  const conditions = [
    ...(prev.conditions ?? []).filter((c) => c.type !== RolloutConditionType.InvalidSpec),
    condition,
  ];
  const base: RolloutStatus = {
    ...prev,
    observedGeneration: String(rollout.metadata?.generation ?? 0),
    conditions,
    ...(rollout.spec?.selector !== undefined && { selector: formatMetaLabelSelector(rollout.spec.selector) }),
  };
  const { phase, message } = calculateRolloutPhase({ ...rollout, status: base });
  return { status: { ...base, phase, message }, condition, isNew: condition !== previous };
}

/**
 * The status of a Rollout whose new ReplicaSet the API server refused (Argo's FailedRSCreate): the
 * Progressing condition `ReplicaSetCreateError` with the server's message, the observed generation and
 * selector, and the phase that follows. `changed`: the condition is new (worth an event and a warn line).
 */
export function replicaSetCreateErrorStatus(
  rollout: Rollout,
  rsName: string,
  error: string,
  now: number,
): { readonly status: RolloutStatus; readonly message: string; readonly changed: boolean } {
  const prev = rollout.status ?? {};
  const { conditions, changed } = replicaSetCreateErrorCondition(prev.conditions, rsName, error, now);
  const base: RolloutStatus = {
    ...prev,
    observedGeneration: String(rollout.metadata?.generation ?? 0),
    conditions,
    ...(rollout.spec?.selector !== undefined && { selector: formatMetaLabelSelector(rollout.spec.selector) }),
  };
  const { phase, message: phaseMessage } = calculateRolloutPhase({ ...rollout, status: base });
  const condition = conditions.find((c) => c.type === RolloutConditionType.Progressing);
  return { status: { ...base, phase, message: phaseMessage }, message: condition?.message ?? error, changed };
}
