/**
 * The Rollout reconciler: read from caches → validate → ensure the new ReplicaSet → the strategy decides
 * (pure; its machine returns named actions) → the executor runs them in its fixed order: Services and
 * traffic, then the decision's events (durable listeners store their notifications first), then status
 * written once, then scaling, analysis runs, metadata, pruning and restarts. Status is written before
 * scaling so that a crash between the two never moves a Rollout back a step, and after the events so that
 * a crash between the two never loses one. Traffic moves before status so that the weights it records are
 * the ones the routers verified, and before scaling so that a canary leaves the traffic before it shrinks.
 */
import type { AnalysisTemplateLike, TemplateLookup } from '../../analysis/index.js';
import {
  type EchoFilter,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  RetryAfterStatusError,
  requeueAfter,
  type StatusWriter,
} from '../../core/index.js';
import type { Experiment } from '../../experiments/index.js';
import { canonicalJson } from '../../go/index.js';
import {
  Index,
  isInvalid,
  isRetryable,
  KubeError,
  type KubeObject,
  type Reflector,
} from '../../kube/index.js';
import { type AnalysisRun, buildAnalysisRun } from '../analysis/analysis-runs.js';
import { analysisTemplateError } from '../analysis/analysis-template-check.js';
import { DEFAULT_MAX_REPLICAS, replicaCeilingError } from '../canary/replica-ceiling.js';
import { planEphemeralMetadata } from '../replica-sets/ephemeral-metadata.js';
import {
  buildReplicaSet,
  isControlledBy,
  maxRevision,
  podHashOf,
  type ReplicaSet,
  revisionOf,
  specReplicas,
  sumOf,
} from '../replica-sets/replica-sets.js';
import { isRestartDue, planRestart } from '../replica-sets/restart.js';
import {
  computePodTemplateHash,
  findNewReplicaSet,
  podTemplateEqualIgnoreHash,
  REVISION_ANNOTATION,
} from '../spec/pod-template-hash.js';
import { unsupportedFeature } from '../spec/unsupported-features.js';
import { formatValidationError, validateRollout } from '../spec/validation.js';
import { resolveWorkloadRef } from '../spec/workload-ref.js';
import { ConditionReason, formatMessage } from '../status/conditions.js';
import { invalidSpecStatus, replicaSetCreateErrorStatus } from '../status/invalid-spec-status.js';
import { actionsOf, inExecutionOrder, PRE_COMMIT, type RolloutAction } from '../strategies/actions.js';
import { strategyFor } from '../strategies/registry.js';
import type { EphemeralMetadataRoles, RolloutObservation, RolloutStrategy } from '../strategies/strategy.js';
import { routerFactoriesFor } from '../traffic/registry.js';
import type { Rollout, RolloutStatus } from '../types.js';
import type { RolloutExecutor } from './executor.js';
import { isSettledDecision } from './settled.js';
import { WEIGHT_VERIFY_RETRY_MS } from './traffic-actions.js';
import type { RolloutWorkloads } from './workloads.js';

export type RolloutObject = Rollout & KubeObject;

export interface RolloutInformers {
  readonly rollouts: Reflector<RolloutObject>;
  readonly replicaSets: Reflector<ReplicaSet>;
  readonly analysisRuns: Reflector<AnalysisRun>;
  readonly experiments: Reflector<Experiment>;
  readonly services: Reflector<KubeObject>;
  readonly pods: Reflector<KubeObject>;
  readonly analysisTemplates: Reflector<KubeObject>;
  readonly clusterAnalysisTemplates: Reflector<KubeObject>;
}

export interface RolloutReconcilerOptions {
  readonly informers: RolloutInformers;
  readonly executor: RolloutExecutor;
  /** Read-your-writes for Rollouts and ReplicaSets (the executor writes through it). */
  readonly written: StatusWriter;
  /** The replica ceiling (`--max-replicas`). Default DEFAULT_MAX_REPLICAS. */
  readonly maxReplicas?: number;
  /** Workloads `spec.workloadRef` names. Without it, every reference is reported as not found. */
  readonly workloads?: RolloutWorkloads;
  /** Told whether each decision is settled, so the echoes of its writes are not reconciled. Default: none. */
  readonly echoes?: EchoFilter;
}

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
      await this.reportInvalid(ctx, stored, resolution.message, now);
      return undefined;
    }
    const { generation } = resolution;
    const annotated = (await this.options.workloads?.syncGenerationAnnotation(stored, generation)) ?? stored;
    const rollout: RolloutObject = { ...annotated, spec: resolution.rollout.spec };

    const invalid = this.specError(rollout, generation !== undefined);
    if (invalid !== undefined) {
      await this.reportInvalid(ctx, rollout, invalid, now);
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
      await this.reportInvalid(ctx, rollout, unusable, now);
      return undefined;
    }
    const uid = rollout.metadata.uid;
    const replicaSets = informers.replicaSets.store
      .byIndex(Index.Owner, uid ?? '')
      .filter((rs) => isControlledBy(rs, uid))
      .map((rs) => written.fresher('ReplicaSet', rs) ?? rs);
    const ensured = await this.ensureNewReplicaSet(ctx, rollout, replicaSets, strategy, now);
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
    await this.writeStatus(current, status);
    await this.act(ctx, current, status, actions, all, strategy);
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

  /**
   * Finds or creates the ReplicaSet for the current template; undefined after a hash collision, `refused`
   * when the API server rejected it as invalid (recorded in status).
   */
  private async ensureNewReplicaSet(
    ctx: ReconcileContext,
    rollout: RolloutObject,
    replicaSets: readonly ReplicaSet[],
    strategy: RolloutStrategy,
    now: number,
  ): Promise<{ readonly newRS: ReplicaSet; readonly created: boolean } | undefined | 'refused'> {
    const { executor } = this.options;
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
      await this.reportReplicaSetCreateError(ctx, rollout, desired.metadata.name ?? '', err, now);
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
      await this.writeStatus(rollout, {
        ...(rollout.status ?? {}),
        collisionCount: (collisionCount ?? 0) + 1,
      });
      return undefined;
    }
    executor.recordEvents(rollout, [
      {
        type: 'event',
        eventType: 'Normal',
        reason: 'NewReplicaSetCreated',
        message: formatMessage.newReplicaSetDetailed(result.rs.metadata.name ?? '', revision),
      },
      {
        type: 'event',
        eventType: 'Normal',
        reason: 'RolloutUpdated',
        message: formatMessage.rolloutUpdated(revision),
      },
    ]);
    return { newRS: result.rs, created: true };
  }

  /** The actions after the commit, in the executor's order: experiments, scale, analysis runs, metadata, prune. */
  private async act(
    ctx: ReconcileContext,
    rollout: RolloutObject,
    status: RolloutStatus,
    actions: readonly RolloutAction[],
    replicaSets: readonly ReplicaSet[],
    strategy: RolloutStrategy,
  ): Promise<void> {
    const { executor } = this.options;
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
      const built = buildAnalysisRun(rollout, request, this.templateLookup(rollout.metadata.namespace ?? ''));
      if (!built.ok) {
        ctx.logger.warn({ message: built.message }, 'cannot create analysis run');
        executor.recordEvents(rollout, [
          { type: 'event', eventType: 'Warning', reason: 'AnalysisRunError', message: built.message },
        ]);
        continue;
      }
      await executor.createAnalysisRun(built.run);
    }
    await this.syncEphemeralMetadata(status, replicaSets, strategy.ephemeralMetadata(rollout));
    await executor.deleteReplicaSets(actionsOf(actions, 'deleteReplicaSet').map((a) => a.params));
  }

  private templateLookup(namespace: string): TemplateLookup {
    const { informers } = this.options;
    return (ref) => {
      const obj = ref.clusterScope
        ? informers.clusterAnalysisTemplates.store.get(ref.templateName)
        : informers.analysisTemplates.store.get(`${namespace}/${ref.templateName}`);
      return obj as unknown as AnalysisTemplateLike | undefined;
    };
  }

  private async syncEphemeralMetadata(
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
      const pods =
        role === undefined
          ? []
          : this.options.informers.pods.store.byIndex(Index.Owner, rs.metadata.uid ?? '');
      for (const { target, patch } of planEphemeralMetadata(rs, pods, desired))
        await this.options.executor.patch(target, patch);
    }
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

  /**
   * Why the spec cannot be run, first problem first: Argo's validation (its messages), features
   * Slipway cannot run, the replica ceiling, then referenced analysis templates.
   */
  private specError(rollout: RolloutObject, templateResolvedFromRef: boolean): string | undefined {
    const [first] = validateRollout(rollout, { templateResolvedFromRef });
    if (first !== undefined) return formatValidationError(first, { argoPath: true });
    return (
      unsupportedFeature(rollout) ??
      replicaCeilingError(rollout.spec, this.options.maxReplicas ?? DEFAULT_MAX_REPLICAS) ??
      analysisTemplateError(rollout, this.templateLookup(rollout.metadata.namespace ?? ''))
    );
  }

  /**
   * Argo's FailedRSCreate: the Progressing condition `ReplicaSetCreateError` in status (with the phase and
   * observed generation, never an empty status); a Warning Event and one warn line only when the message
   * is new, not on every retry.
   */
  private async reportReplicaSetCreateError(
    ctx: ReconcileContext,
    rollout: RolloutObject,
    rsName: string,
    err: unknown,
    now: number,
  ): Promise<void> {
    // the API server's own words, as Argo's message has them
    const error = err instanceof KubeError ? (err.serverMessage ?? err.message) : String(err);
    const { status, message, changed } = replicaSetCreateErrorStatus(rollout, rsName, error, now);
    await this.writeStatus(rollout, status);
    if (!changed) {
      ctx.logger.debug({ replicaSet: rsName }, 'replica set still refused');
      return;
    }
    ctx.logger.warn({ replicaSet: rsName, err }, 'replica set create refused');
    this.options.executor.recordEvents(rollout, [
      { type: 'event', eventType: 'Warning', reason: ConditionReason.ReplicaSetCreateError, message },
    ]);
  }

  /**
   * InvalidSpec condition in status; a Warning Event and one warn line only when the problem is new
   * (the condition's message changed), not on every reconcile of a Rollout that stays invalid.
   */
  private async reportInvalid(
    ctx: ReconcileContext,
    rollout: RolloutObject,
    error: string,
    now: number,
  ): Promise<void> {
    const { status, condition, isNew } = invalidSpecStatus(rollout, error, now);
    await this.writeStatus(rollout, status);
    if (!isNew) {
      ctx.logger.debug({ error }, 'invalid rollout spec unchanged');
      return;
    }
    ctx.logger.warn({ error }, 'invalid rollout spec');
    this.options.executor.recordEvents(rollout, [
      {
        type: 'event',
        eventType: 'Warning',
        reason: ConditionReason.InvalidSpec,
        message: condition.message,
      },
    ]);
  }

  /** Writes status when it changed (undefined members dropped, as the API server would). */
  private async writeStatus(rollout: RolloutObject, status: RolloutStatus): Promise<void> {
    const clean = JSON.parse(JSON.stringify(status)) as RolloutStatus;
    await this.options.executor.writeStatus(rollout, clean);
  }
}

/** `status.workloadObservedGeneration`: the referenced workload's generation; absent without one. */
function withWorkloadGeneration(status: RolloutStatus, generation: string | undefined): RolloutStatus {
  const { workloadObservedGeneration: _previous, ...rest } = status;
  return generation === undefined ? rest : { ...rest, workloadObservedGeneration: generation };
}

/** `status.canary.weights.verified` as the routers reported it (absent when they cannot tell). */
function withVerifiedWeights(status: RolloutStatus, verified: boolean | undefined): RolloutStatus {
  const weights = status.canary?.weights;
  if (weights === undefined) return status;
  const { verified: _previous, ...rest } = weights;
  return {
    ...status,
    canary: { ...status.canary, weights: verified === undefined ? rest : { ...rest, verified } },
  };
}
