/**
 * Experiment conditions with Argo Rollouts' exact strings (utils/conditions/experiments.go and the
 * shared reasons of conditions.go): spec validation (`InvalidSpec`) and the `Progressing` condition
 * (`ReplicaSetUpdated` while template replicas move, `NewReplicaSetAvailable` while running,
 * `ExperimentCompleted` once Successful). Pure.
 */
import { ConditionRules, findCondition, removeCondition, setCondition } from '../core/index.js';
import { quoteGo } from '../go/index.js';
import { parseExperimentDuration } from './experiment-duration.js';
import type { Experiment, ExperimentCondition, ExperimentStatus, ExperimentTemplateStatus } from './types.js';

export const ExperimentConditionType = {
  Progressing: 'Progressing',
  InvalidSpec: 'InvalidSpec',
} as const;

export const ExperimentReason = {
  InvalidSpec: 'InvalidSpec',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ExperimentCompleted: 'ExperimentCompleted',
} as const;

/** Argo's defaults (utils/defaults). */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
export const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

export const progressDeadlineSeconds = (ex: Experiment): number =>
  ex.spec?.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
export const scaleDownDelaySeconds = (ex: Experiment): number =>
  ex.spec?.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;

const nameOf = (ex: Experiment): string => ex.metadata.name ?? '';

/**
 * Argo's VerifyExperimentSpec: the first problem's message, or undefined for a valid spec. Slipway
 * also refuses a `duration` neither Argo nor Slipway can read (Argo would silently run forever).
 */
export function experimentSpecProblem(ex: Experiment): string | undefined {
  const names = new Set<string>();
  const templates = ex.spec?.templates ?? [];
  for (const [i, template] of templates.entries()) {
    const selector = template.selector;
    // Argo's MissingFieldMessage really says "Rollout"
    if (selector === undefined || selector === null)
      return `Rollout has missing field '.Spec.Templates[${i}].Selector'`;
    const labels = Object.keys(selector.matchLabels ?? {}).length;
    const expressions = selector.matchExpressions?.length ?? 0;
    if (labels === 0 && expressions === 0)
      return `This experiment is selecting all pods at index ${i}. A non-empty selector is required.`;
    if ((template.minReadySeconds ?? 0) > progressDeadlineSeconds(ex))
      return `MinReadySeconds cannot be longer than ProgressDeadlineSeconds. Check template index ${i}`;
    if (template.name === undefined || template.name === '')
      return `Experiment ${nameOf(ex)} has empty template name at index ${i}`;
    if (names.has(template.name))
      return `Experiment ${nameOf(ex)} has repeated template name '${template.name}' in templates`;
    names.add(template.name);
  }
  const duration = ex.spec?.duration;
  if (duration !== undefined && duration !== '') {
    const parsed = parseExperimentDuration(duration);
    if (!parsed.ok)
      return `spec.duration: ${parsed.message}; use seconds (60) or a duration such as "30s" or "1h"`;
  }
  return undefined;
}

/**
 * Status with the InvalidSpec condition for `message` (a changed message replaces the condition, as
 * Argo's syncHandler does; the same message keeps it untouched).
 */
export function withInvalidSpec(status: ExperimentStatus, message: string, now: string): ExperimentStatus {
  const current = findCondition(status.conditions, ExperimentConditionType.InvalidSpec);
  const base =
    current !== undefined && current.message !== message
      ? removeCondition(status.conditions, ExperimentConditionType.InvalidSpec)
      : status.conditions;
  const { conditions } = setCondition<ExperimentCondition>(
    base,
    {
      type: ExperimentConditionType.InvalidSpec,
      status: 'True',
      reason: ExperimentReason.InvalidSpec,
      message,
    },
    now,
    ConditionRules.argoRollouts,
  );
  return { ...status, conditions };
}

/** Whether any template's replica counts moved (or a template status appeared): Argo's ExperimentProgressing. */
export function hasTemplateProgress(previous: ExperimentStatus | undefined, next: ExperimentStatus): boolean {
  const before = new Map((previous?.templateStatuses ?? []).map((t) => [t.name, t]));
  const after = new Map((next.templateStatuses ?? []).map((t) => [t.name, t]));
  if (before.size < after.size) return true;
  const counts = (t: ExperimentTemplateStatus) =>
    [t.replicas, t.updatedReplicas, t.readyReplicas, t.availableReplicas].join('/');
  for (const [name, old] of before) {
    const now = after.get(name);
    if (now !== undefined && counts(old) !== counts(now)) return true;
  }
  return false;
}

export interface ConditionInputs {
  readonly experiment: Experiment;
  /** Whether the previous status was available and the duration had not passed (Argo's ExperimentRunning). */
  readonly wasRunning: boolean;
}

/** Argo's calculateExperimentConditions over the new status. */
export function experimentConditions(
  { experiment, wasRunning }: ConditionInputs,
  next: ExperimentStatus,
  now: string,
): ExperimentStatus {
  let conditions = next.conditions;
  // the spec is valid here (validation runs first): a stale InvalidSpec goes
  if (findCondition(experiment.status?.conditions, ExperimentConditionType.InvalidSpec) !== undefined)
    conditions = removeCondition(conditions, ExperimentConditionType.InvalidSpec);
  const name = quoteGo(nameOf(experiment));
  const set = (status: 'True' | 'False', reason: string, message: string) =>
    setCondition<ExperimentCondition>(
      conditions,
      { type: ExperimentConditionType.Progressing, status, reason, message },
      now,
      ConditionRules.argoRollouts,
    ).conditions;
  if (next.phase === 'Successful') {
    conditions = set(
      'False',
      ExperimentReason.ExperimentCompleted,
      `Experiment ${name} has successfully ran and completed.`,
    );
  } else if (hasTemplateProgress(experiment.status, next)) {
    // progress refreshes lastUpdateTime even with the same reason; the transition time stays while True
    const current = findCondition(experiment.status?.conditions, ExperimentConditionType.Progressing);
    const condition: ExperimentCondition = {
      type: ExperimentConditionType.Progressing,
      status: 'True',
      reason: ExperimentReason.ReplicaSetUpdated,
      message: `Experiment ${name} is progressing.`,
      lastUpdateTime: now,
      lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime : now,
    };
    conditions = [...removeCondition(conditions, ExperimentConditionType.Progressing), condition];
  } else if (wasRunning) {
    conditions = set('True', ExperimentReason.NewReplicaSetAvailable, `Experiment ${name} is running.`);
  }
  return conditions === undefined ? next : { ...next, conditions };
}
