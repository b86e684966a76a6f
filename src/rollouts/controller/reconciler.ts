/**
 * The Rollout reconciler: read from caches → validate → ensure the new ReplicaSet → the strategy decides
 * (pure; its machine returns named actions) → the executor runs them in its fixed order: Services and
 * traffic, then the decision's events (durable listeners store their notifications first), then status
 * written once, then scaling, analysis runs, metadata, pruning and restarts. Status is written before
 * scaling so that a crash between the two never moves a Rollout back a step, and after the events so that
 * a crash between the two never loses one. Traffic moves before status so that the weights it records are
 * the ones the routers verified, and before scaling so that a canary leaves the traffic before it shrinks.
 *
 * Split by concept: `new-replica-set.ts` (find or create the ReplicaSet of the template),
 * `spec-problems.ts` (what cannot be run, reported once), `status-commit.ts` (the status written once),
 * `post-commit.ts` (what runs after it), `reconciler-options.ts` (informers and adapters).
 */
import {
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  requeueAfter,
} from '../../core/index.js';
import { Index, type KubeObject } from '../../kube/index.js';
import {
  isControlledBy,
  podHashOf,
  type ReplicaSet,
  revisionOf,
  specReplicas,
  sumOf,
} from '../replica-sets/replica-sets.js';
import { isRestartDue, planRestart } from '../replica-sets/restart.js';
import { REVISION_ANNOTATION } from '../spec/pod-template-hash.js';
import { resolveWorkloadRef } from '../spec/workload-ref.js';
import { actionsOf, inExecutionOrder, PRE_COMMIT } from '../strategies/actions.js';
import { strategyFor } from '../strategies/registry.js';
import type { RolloutObservation, RolloutStrategy } from '../strategies/strategy.js';
import { routerFactoriesFor } from '../traffic/registry.js';
import type { RolloutStatus } from '../types.js';
import { ensureNewReplicaSet } from './new-replica-set.js';
import { actAfterCommit } from './post-commit.js';
import type { RolloutObject, RolloutReconcilerOptions } from './reconciler-options.js';
import { isSettledDecision } from './settled.js';
import { reportInvalid, specError } from './spec-problems.js';
import { withVerifiedWeights, withWorkloadGeneration, writeRolloutStatus } from './status-commit.js';
import { WEIGHT_VERIFY_RETRY_MS } from './traffic-actions.js';

export type { RolloutInformers, RolloutObject, RolloutReconcilerOptions } from './reconciler-options.js';

export class RolloutReconciler implements Reconciler {
  constructor(private readonly options: RolloutReconcilerOptions) {}

  async reconcile(ctx: ReconcileContext, request: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const { informers, written, executor } = this.options;
    // Deciding from a cache that has not listed yet would see no ReplicaSets (and promote at once).
    if (!Object.values(informers).every((i) => i.hasSynced)) return { requeueAfterMs: 200 };
    this.options.echoes?.settle(request.key, false);
    const stored = written.fresher('Rollout', informers.rollouts.store.get(request.key));
    if (stored === undefined || stored.metadata.deletionTimestamp !== undefined) return undefined;
    const now = ctx.clock.now();

    // spec.workloadRef: decide from the referenced template; the stored spec keeps none
    const lookup = this.options.workloads?.lookup(stored) ?? { state: 'cached', workload: undefined };
    if (lookup.state === 'syncing') return { requeueAfterMs: 200 };
    const workload = lookup.state === 'cached' ? lookup.workload : undefined;
    const resolution =
      lookup.state === 'unavailable'
        ? ({ ok: false, message: lookup.message } as const)
        : resolveWorkloadRef(stored, workload);
    if (!resolution.ok) {
      await reportInvalid(executor, ctx, stored, resolution.message, now);
      return undefined;
    }
    const { generation } = resolution;
    const annotated = (await this.options.workloads?.syncGenerationAnnotation(stored, generation)) ?? stored;
    const rollout: RolloutObject = { ...annotated, spec: resolution.rollout.spec };

    const invalid = specError(rollout, generation !== undefined, informers, this.options.maxReplicas);
    if (invalid !== undefined) {
      await reportInvalid(executor, ctx, rollout, invalid, now);
      return undefined;
    }

    const strategy = strategyFor(rollout);
    // validation only lets specs through that a registered strategy runs
    if (strategy === undefined) return undefined;
    const services = new Map<string, KubeObject>();
    for (const name of strategy.serviceNames(rollout)) {
      const service = informers.services.store.get(`${rollout.metadata.namespace ?? ''}/${name}`);
      if (service !== undefined) services.set(name, service);
    }
    // Argo's reference checks: the Services a strategy points must exist and may be pointed by it
    const unusable = strategy.serviceError?.(rollout, services);
    if (unusable !== undefined) {
      await reportInvalid(executor, ctx, rollout, unusable, now);
      return undefined;
    }
    const uid = rollout.metadata.uid;
    const replicaSets = informers.replicaSets.store
      .byIndex(Index.Owner, uid ?? '')
      .filter((rs) => isControlledBy(rs, uid))
      .map((rs) => written.fresher('ReplicaSet', rs) ?? rs);
    const ensured = await ensureNewReplicaSet(executor, ctx, rollout, replicaSets, strategy, now);
    // the API server refused the template: status says why; a new spec brings the next try
    if (ensured === 'refused') return undefined;
    // not ensured yet (a hash collision): again through the rate limiter
    if (ensured === undefined) return { requeue: true };
    const { newRS, created } = ensured;
    const all = replicaSets.some((rs) => rs.metadata.name === newRS.metadata.name)
      ? replicaSets.map((rs) => (rs.metadata.name === newRS.metadata.name ? newRS : rs))
      : [...replicaSets, newRS];
    const runs = informers.analysisRuns.store.byIndex(Index.Owner, uid ?? '');
    const runNamesInUse = new Set(
      informers.analysisRuns.store
        .byIndex(Index.Namespace, rollout.metadata.namespace ?? '')
        .map((r) => r.metadata.name ?? ''),
    );
    const experiments = informers.experiments.store
      .byIndex(Index.Owner, uid ?? '')
      .filter((ex) => isControlledBy(ex, uid));
    const experimentNamesInUse = new Set(
      informers.experiments.store
        .byIndex(Index.Namespace, rollout.metadata.namespace ?? '')
        .map((ex) => ex.metadata.name ?? ''),
    );

    const observation: RolloutObservation = {
      rollout,
      replicaSets: all,
      newRS,
      newRSCreated: created,
      currentPodHash: podHashOf(newRS),
      revision: revisionOf(newRS),
      runs,
      runNamesInUse,
      experiments,
      experimentNamesInUse,
      services,
      trafficRouted: routerFactoriesFor(rollout).length > 0,
      now,
    };
    const decision = strategy.decide(observation);
    // before any write: whether the watch events of this reconcile's writes need a reconcile of their own
    this.options.echoes?.settle(request.key, isSettledDecision(strategy, observation, decision));
    const actions = inExecutionOrder(decision.actions);
    ctx.logger.debug(
      {
        events: decision.machineEvents.map((e) => e.type),
        actions: actions.map((a) => a.type),
        step: decision.status.currentStepIndex,
        phase: decision.status.phase,
      },
      'rollout decided',
    );
    const restart = await this.planRestart(rollout, strategy, decision.status.restartedAt, all, now);
    // Services and traffic first: the weights status records are the ones the routers verified
    const traffic = await executor.runBeforeCommit(
      rollout,
      actions.filter((a) => PRE_COMMIT.has(a.type)),
    );
    const decided: RolloutStatus = restart.done
      ? { ...decision.status, restartedAt: rollout.spec?.restartAt }
      : decision.status;
    const status = withWorkloadGeneration(
      traffic.routed ? withVerifiedWeights(decided, traffic.verified) : decided,
      generation,
    );
    // events (and the notifications they trigger) are stored before the status that commits them
    const events = actionsOf(actions, 'recordEvent').map((a) => a.params);
    const current = await executor.recordEventsBeforeCommit(rollout, status, events);
    await writeRolloutStatus(executor, current, status);
    await actAfterCommit(executor, informers, ctx, current, status, actions, all, strategy);
    // scaleDown decides from the status this reconcile started from, as Argo does
    await this.options.workloads?.scaleDown(rollout, workload, newRS, actions, status);
    // after the status write, which carries this resourceVersion
    const revision = revisionOf(newRS);
    if (current.metadata.annotations?.[REVISION_ANNOTATION] !== String(revision))
      await executor.setRolloutRevision(current, revision);
    for (const pod of restart.evict) await executor.evictPod(pod);
    const waits = [
      ...actionsOf(actions, 'requeueAfter').map((a) => a.params.ms),
      traffic.verified === false ? WEIGHT_VERIFY_RETRY_MS : undefined,
      restart.waitMs,
      restart.evict.length > 0 ? 2_000 : undefined,
    ].filter((v): v is number => v !== undefined);
    return waits.length > 0 ? requeueAfter(Math.min(...waits)) : undefined;
  }

  private async planRestart(
    rollout: RolloutObject,
    strategy: RolloutStrategy,
    restartedAt: string | undefined,
    sets: readonly ReplicaSet[],
    now: number,
  ) {
    const replicas = rollout.spec?.replicas ?? 1;
    const restartAt = rollout.spec?.restartAt;
    // readiness is not in the pod cache (metadata only): list the pods live while a restart is due
    const pods = isRestartDue(restartAt, restartedAt, now)
      ? await this.options.executor.listPods(rollout.metadata.namespace ?? '', sets)
      : [];
    return planRestart({
      restartAt,
      restartedAt,
      pods,
      replicas,
      totalReplicas: sumOf(sets, specReplicas),
      maxUnavailable: strategy.restartMaxUnavailable(rollout),
      now,
    });
  }
}
