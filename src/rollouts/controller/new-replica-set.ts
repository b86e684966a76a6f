/**
 * The ReplicaSet for the Rollout's current pod template (Argo's getAllReplicaSetsAndSyncRevision): an
 * existing one is reused (moved to the newest revision after an undo), else it is created; a hash
 * collision bumps `collisionCount`, a template the API server refuses is reported in status.
 */
import { type ReconcileContext, RetryAfterStatusError } from '../../core/index.js';
import { canonicalJson } from '../../go/index.js';
import { isInvalid, isRetryable } from '../../kube/index.js';
import {
  buildReplicaSet,
  isControlledBy,
  maxRevision,
  podHashOf,
  type ReplicaSet,
  revisionOf,
} from '../replica-sets/replica-sets.js';
import {
  computePodTemplateHash,
  findNewReplicaSet,
  podTemplateEqualIgnoreHash,
} from '../spec/pod-template-hash.js';
import { formatMessage } from '../status/conditions.js';
import type { RolloutStrategy } from '../strategies/strategy.js';
import type { RolloutExecutor } from './executor.js';
import type { RolloutObject } from './reconciler-options.js';
import { reportReplicaSetCreateError } from './spec-problems.js';
import { writeRolloutStatus } from './status-commit.js';

export interface EnsuredReplicaSet {
  readonly newRS: ReplicaSet;
  readonly created: boolean;
}

/**
 * Finds or creates the ReplicaSet for the current template; undefined after a hash collision, `refused`
 * when the API server rejected it as invalid (recorded in status).
 */
export async function ensureNewReplicaSet(
  executor: RolloutExecutor,
  ctx: ReconcileContext,
  rollout: RolloutObject,
  replicaSets: readonly ReplicaSet[],
  strategy: RolloutStrategy,
  now: number,
): Promise<EnsuredReplicaSet | undefined | 'refused'> {
  const template = rollout.spec?.template;
  const collisionCount = rollout.status?.collisionCount;
  const revision = maxRevision(replicaSets) + 1;
  const found = findNewReplicaSet(rollout.metadata.name ?? '', template, collisionCount, replicaSets);
  if (found !== undefined) {
    const others = replicaSets.filter((rs) => rs !== found);
    if (revisionOf(found) <= maxRevision(others)) {
      const bumped = await executor.setRevision(found, maxRevision(others) + 1);
      executor.recordEvents(rollout, [
        {
          type: 'event',
          eventType: 'Normal',
          reason: 'RolloutUpdated',
          message: formatMessage.rolloutUpdated(revisionOf(bumped)),
        },
      ]);
      return { newRS: bumped, created: false };
    }
    return { newRS: found, created: false };
  }
  const hash = computePodTemplateHash(template, collisionCount);
  const stableExists = replicaSets.some((rs) => podHashOf(rs) === rollout.status?.stableRS);
  const roles = strategy.ephemeralMetadata(rollout);
  const built = buildReplicaSet(rollout, hash, revision, 0, stableExists ? roles.new : roles.stable);
  const desired = strategy.decorateReplicaSet?.(rollout, built) ?? built;
  let result: Awaited<ReturnType<RolloutExecutor['createReplicaSet']>>;
  try {
    result = await executor.createReplicaSet(desired);
  } catch (err) {
    // the API server is away or busy: an ordinary retry
    if (isRetryable(err)) throw err;
    await reportReplicaSetCreateError(executor, ctx, rollout, desired.metadata.name ?? '', err, now);
    // a template the API server rejects stays rejected until the spec changes; a quota may free up
    if (isInvalid(err)) return 'refused';
    throw new RetryAfterStatusError(err);
  }
  if (!result.created) {
    const ours = isControlledBy(result.rs, rollout.metadata.uid);
    const existing = canonicalJson(result.rs.spec?.template?.spec);
    if (
      ours &&
      (podTemplateEqualIgnoreHash(result.rs.spec?.template ?? {}, template ?? {}, {}) ||
        existing === canonicalJson(template?.spec) ||
        existing === canonicalJson(desired.spec?.template?.spec))
    ) {
      return { newRS: result.rs, created: false };
    }
    ctx.logger.warn({ replicaSet: desired.metadata.name }, 'pod template hash collision');
    await writeRolloutStatus(executor, rollout, {
      ...(rollout.status ?? {}),
      collisionCount: (collisionCount ?? 0) + 1,
    });
    return undefined;
  }
  // Argo's order: the revision is set (RolloutUpdated) before the creation is reported
  executor.recordEvents(rollout, [
    {
      type: 'event',
      eventType: 'Normal',
      reason: 'RolloutUpdated',
      message: formatMessage.rolloutUpdated(revision),
    },
    {
      type: 'event',
      eventType: 'Normal',
      reason: 'NewReplicaSetCreated',
      message: formatMessage.newReplicaSetDetailed(result.rs.metadata.name ?? '', revision),
    },
  ]);
  return { newRS: result.rs, created: true };
}
