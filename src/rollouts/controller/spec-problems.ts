/**
 * Why a Rollout cannot be run, and how that is reported: Argo's validation, features Slipway cannot run,
 * the replica ceiling and referenced analysis templates checked first problem first; an `InvalidSpec`
 * or `ReplicaSetCreateError` condition in status, with a Warning Event and one warn line only when the
 * problem is new, never on every reconcile of a Rollout that stays broken.
 */
import type { AnalysisTemplateLike, TemplateLookup } from '../../analysis/index.js';
import type { ReconcileContext } from '../../core/index.js';
import { KubeError } from '../../kube/index.js';
import { analysisTemplateError } from '../analysis/analysis-template-check.js';
import { DEFAULT_MAX_REPLICAS, replicaCeilingError } from '../canary/replica-ceiling.js';
import { unsupportedFeature } from '../spec/unsupported-features.js';
import { formatValidationError, validateRollout } from '../spec/validation.js';
import { ConditionReason } from '../status/conditions.js';
import { invalidSpecStatus, replicaSetCreateErrorStatus } from '../status/invalid-spec-status.js';
import type { RolloutExecutor } from './executor.js';
import type { RolloutInformers, RolloutObject } from './reconciler-options.js';
import { writeRolloutStatus } from './status-commit.js';

/** Analysis templates by reference, from the informers (namespaced ones in `namespace`). */
export function templateLookup(informers: RolloutInformers, namespace: string): TemplateLookup {
  return (ref) => {
    const obj = ref.clusterScope
      ? informers.clusterAnalysisTemplates.store.get(ref.templateName)
      : informers.analysisTemplates.store.get(`${namespace}/${ref.templateName}`);
    return obj as unknown as AnalysisTemplateLike | undefined;
  };
}

/**
 * Why the spec cannot be run, first problem first: Argo's validation (its messages), features
 * Slipway cannot run, the replica ceiling, then referenced analysis templates.
 */
export function specError(
  rollout: RolloutObject,
  templateResolvedFromRef: boolean,
  informers: RolloutInformers,
  maxReplicas: number | undefined,
): string | undefined {
  const [first] = validateRollout(rollout, { templateResolvedFromRef });
  if (first !== undefined) return formatValidationError(first, { argoPath: true });
  return (
    unsupportedFeature(rollout) ??
    replicaCeilingError(rollout.spec, maxReplicas ?? DEFAULT_MAX_REPLICAS) ??
    analysisTemplateError(rollout, templateLookup(informers, rollout.metadata.namespace ?? ''))
  );
}

/**
 * Argo's FailedRSCreate: the Progressing condition `ReplicaSetCreateError` in status (with the phase and
 * observed generation, never an empty status); a Warning Event and one warn line only when the message
 * is new, not on every retry.
 */
export async function reportReplicaSetCreateError(
  executor: RolloutExecutor,
  ctx: ReconcileContext,
  rollout: RolloutObject,
  rsName: string,
  err: unknown,
  now: number,
): Promise<void> {
  // the API server's own words, as Argo's message has them
  const error = err instanceof KubeError ? (err.serverMessage ?? err.message) : String(err);
  const { status, message, changed } = replicaSetCreateErrorStatus(rollout, rsName, error, now);
  await writeRolloutStatus(executor, rollout, status);
  if (!changed) {
    ctx.logger.debug({ replicaSet: rsName }, 'replica set still refused');
    return;
  }
  ctx.logger.warn({ replicaSet: rsName, err }, 'replica set create refused');
  executor.recordEvents(rollout, [
    { type: 'event', eventType: 'Warning', reason: ConditionReason.ReplicaSetCreateError, message },
  ]);
}

/**
 * InvalidSpec condition in status; a Warning Event and one warn line only when the problem is new
 * (the condition's message changed), not on every reconcile of a Rollout that stays invalid.
 */
export async function reportInvalid(
  executor: RolloutExecutor,
  ctx: ReconcileContext,
  rollout: RolloutObject,
  error: string,
  now: number,
): Promise<void> {
  const { status, condition, isNew } = invalidSpecStatus(rollout, error, now);
  await writeRolloutStatus(executor, rollout, status);
  if (!isNew) {
    ctx.logger.debug({ error }, 'invalid rollout spec unchanged');
    return;
  }
  ctx.logger.warn({ error }, 'invalid rollout spec');
  executor.recordEvents(rollout, [
    {
      type: 'event',
      eventType: 'Warning',
      reason: ConditionReason.InvalidSpec,
      message: condition.message,
    },
  ]);
}
