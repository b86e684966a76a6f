/**
 * What a reconcile does after its status is committed, in the executor's order: experiments, scaling,
 * analysis runs (built from their templates), ephemeral metadata, pruning old ReplicaSets, then releasing
 * Services the spec no longer names.
 */
import type { ReconcileContext } from '../../core/index.js';
import { Index } from '../../kube/index.js';
import { buildAnalysisRun } from '../analysis/analysis-runs.js';
import { planEphemeralMetadata } from '../replica-sets/ephemeral-metadata.js';
import { podHashOf, type ReplicaSet } from '../replica-sets/replica-sets.js';
import { actionsOf, type RolloutAction } from '../strategies/actions.js';
import type { EphemeralMetadataRoles, RolloutStrategy } from '../strategies/strategy.js';
import type { RolloutStatus } from '../types.js';
import type { RolloutExecutor } from './executor.js';
import type { RolloutInformers, RolloutObject } from './reconciler-options.js';
import { RELEASE_SERVICE_PATCH, servicesToRelease } from './services.js';
import { templateLookup } from './spec-problems.js';

/** The actions after the commit, in the executor's order: experiments, scale, analysis runs, metadata, prune. */
export async function actAfterCommit(
  executor: RolloutExecutor,
  informers: RolloutInformers,
  ctx: ReconcileContext,
  rollout: RolloutObject,
  status: RolloutStatus,
  actions: readonly RolloutAction[],
  replicaSets: readonly ReplicaSet[],
  strategy: RolloutStrategy,
): Promise<void> {
  for (const { params } of actionsOf(actions, 'createExperiment'))
    await executor.createExperiment(rollout, params);
  await executor.terminateExperiments(actionsOf(actions, 'terminateExperiment').map((a) => a.params));
  await executor.deleteExperiments(actionsOf(actions, 'deleteExperiment').map((a) => a.params));
  await executor.scale(
    rollout,
    actionsOf(actions, 'scaleReplicaSet').map((a) => a.params),
  );
  await executor.terminateAnalysisRuns(actionsOf(actions, 'terminateAnalysisRun').map((a) => a.params));
  await executor.deleteAnalysisRuns(actionsOf(actions, 'deleteAnalysisRun').map((a) => a.params));
  for (const { params: request } of actionsOf(actions, 'createAnalysisRun')) {
    // The status just written names this run (decide plans the name), so a restart finds it; a
    // run the previous reconcile created under this name makes the create a no-op (AlreadyExists).
    const built = buildAnalysisRun(
      rollout,
      request,
      templateLookup(informers, rollout.metadata.namespace ?? ''),
    );
    if (!built.ok) {
      ctx.logger.warn({ message: built.message }, 'cannot create analysis run');
      executor.recordEvents(rollout, [
        { type: 'event', eventType: 'Warning', reason: 'AnalysisRunError', message: built.message },
      ]);
      continue;
    }
    await executor.createAnalysisRun(built.run);
  }
  await syncEphemeralMetadata(executor, informers, status, replicaSets, strategy.ephemeralMetadata(rollout));
  await executor.deleteReplicaSets(actionsOf(actions, 'deleteReplicaSet').map((a) => a.params));
  const inNamespace = informers.services.store.byIndex(Index.Namespace, rollout.metadata.namespace ?? '');
  const referenced = new Set(strategy.serviceNames(rollout));
  for (const service of servicesToRelease(rollout.metadata.name ?? '', referenced, inNamespace))
    await executor.patch(service, RELEASE_SERVICE_PATCH);
}

async function syncEphemeralMetadata(
  executor: RolloutExecutor,
  informers: RolloutInformers,
  status: RolloutStatus,
  sets: readonly ReplicaSet[],
  roles: EphemeralMetadataRoles,
): Promise<void> {
  if (roles.new === undefined && roles.stable === undefined) return;
  for (const rs of sets) {
    const hash = podHashOf(rs);
    const role = hash === status.stableRS ? 'stable' : hash === status.currentPodHash ? 'new' : undefined;
    const desired = role === undefined ? undefined : roles[role];
    // any other ReplicaSet loses the injected metadata from its template; its pods are going away
    const pods = role === undefined ? [] : informers.pods.store.byIndex(Index.Owner, rs.metadata.uid ?? '');
    for (const { target, patch } of planEphemeralMetadata(rs, pods, desired))
      await executor.patch(target, patch);
  }
}
