import type { RequestListener } from 'node:http';
import type { KubeClient, KubeError, KubeObject, ReflectorOptions } from '../kube/index.js';
import { describeForbidden, Reflector } from '../kube/index.js';
import { type Logger, type Metrics, type ProbeServer, startProbeServer } from '../observability/index.js';
import { type Clock, systemClock } from './clock.js';
import { Controller, type ControllerOptions } from './controller.js';
import { EventRecorder } from './event-recorder.js';
import { type LeaderElectionOptions, LeaderElector } from './leader-election.js';
import {
  ClusterShardGate,
  type ClusterShardingAlgorithm,
  type ClusterUnitSource,
  type ShardingOptions,
  ShardMembership,
} from './sharding/index.js';

export interface ManagerOptions {
  readonly client: KubeClient;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock?: Clock;
  /** Run controllers only while holding this Lease. Default: no leader election. */
  readonly leaderElection?: LeaderElectionOptions;
  /**
   * Share the work with the other replicas of a shard group instead (each runs workers for the keys
   * it owns; see docs/decisions/011-sharding.md). Takes precedence over `leaderElection`.
   */
  readonly sharding?: ShardingOptions & {
    /**
     * Argo CD's `controller.sharding.algorithm`: controllers that shard by cluster (`clusterGate`) use it
     * for their objects; the others keep sharding by key. Default: everything by key.
     */
    readonly clusterAlgorithm?: ClusterShardingAlgorithm;
  };
  /** Serve /metrics, /healthz, /readyz on this port (0 = any free port). Default: no server. */
  readonly probePort?: number;
  readonly probeHost?: string;
  /** How long shutdown waits for in-flight reconciles. Default 10 s. */
  readonly shutdownDeadlineMs?: number;
  /** Called when leadership is lost; default: stop the manager. The CLI exits the process. */
  readonly onLeadershipLost?: () => void;
  /** Component name in Events. Default "slipway". */
  readonly component?: string;
  /** Watch CRDs and refresh discovery when they change. Default true. */
  readonly watchCrds?: boolean;
}

/**
 * Owns the shared runtime of one process: informers (one per kind and scope, shared by controllers),
 * controllers, the event recorder, leader election and the probe server. Caches start at once so a
 * standby is warm; controllers' workers run only while leading.
 */
export class Manager {
  readonly client: KubeClient;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly events: EventRecorder;
  private readonly reflectors = new Map<string, Reflector<KubeObject>>();
  private readonly controllers: Controller[] = [];
  /** Controllers gated by their own gate (by cluster): not part of the member claim's keys in flight. */
  private readonly ownGate = new Set<Controller>();
  private elector: LeaderElector | undefined;
  /** This replica's shard membership, when sharded. */
  readonly shard: ShardMembership | undefined;
  private electorRun: Promise<void> | undefined;
  private probe: ProbeServer | undefined;
  private leading = false;
  private started = false;
  private stopping: Promise<void> | undefined;
  private readonly routes: Record<string, RequestListener> = {};
  private readonly stopHooks: (() => void | Promise<void>)[] = [];

  constructor(private readonly options: ManagerOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.clock = options.clock ?? systemClock;
    this.events = new EventRecorder({
      client: options.client,
      component: options.component ?? 'slipway',
      logger: options.logger.child({ component: 'events' }),
      clock: this.clock,
    });
    if (options.sharding)
      this.shard = new ShardMembership(
        options.client,
        options.sharding,
        () => this.processingKeys(),
        options.logger.child({ component: 'sharding', group: options.sharding.group }),
        options.metrics,
        this.clock,
      );
  }

  /** Leading (leader election), sharded, or neither configured: this replica's controllers run. */
  get isLeader(): boolean {
    return this.leading;
  }

  get probePort(): number | undefined {
    return this.probe?.port;
  }

  /** The shared informer for a kind (and namespace/selectors): created on first use. */
  informer<T extends KubeObject>(
    options: Omit<ReflectorOptions<T>, 'logger' | 'onWatchRestart' | 'onForbidden'>,
  ): Reflector<T> {
    const key = [
      options.gvk.apiVersion,
      options.gvk.kind,
      options.namespace,
      options.labelSelector,
      options.fieldSelector,
      options.metadataOnly ? 'metadata' : 'full',
    ].join('|');
    let r = this.reflectors.get(key) as Reflector<T> | undefined;
    if (!r) {
      r = new Reflector<T>(this.client, {
        ...options,
        logger: this.logger.child({ informer: options.gvk.kind }),
        onWatchRestart: (reason) => this.metrics.watchRestarts.inc({ resource: options.gvk.kind, reason }),
        onForbidden: (err) => this.reportForbidden(options.namespace, err),
      });
      this.reflectors.set(key, r as unknown as Reflector<KubeObject>);
      if (this.started) r.start();
    }
    return r;
  }

  /**
   * Sharded with a cluster algorithm: a gate that gives a controller's objects to replicas by the
   * cluster each targets (pass it as `shard` to addController). Undefined otherwise (shard by key).
   */
  clusterGate(name: string, source: ClusterUnitSource): ClusterShardGate | undefined {
    const algorithm = this.options.sharding?.clusterAlgorithm;
    if (!this.shard || !algorithm) return undefined;
    const gate = new ClusterShardGate(this.shard, {
      name,
      algorithm,
      source,
      moveWaitMs: this.options.sharding?.leaseDurationMs ?? 15_000,
      clock: this.clock,
      logger: this.logger.child({ component: 'sharding', controller: name }),
      metrics: this.metrics,
    });
    this.shard.addChannel(gate);
    return gate;
  }

  /** `shard`: a gate of the controller's own (clusterGate); default: this replica's key membership. */
  addController(options: Omit<ControllerOptions, 'logger' | 'metrics' | 'clock'>): Controller {
    const gate = options.shard ?? this.shard;
    const c = new Controller({
      ...options,
      logger: this.logger,
      metrics: this.metrics,
      clock: this.clock,
      ...(gate !== undefined && { shard: gate }),
    });
    gate?.onUpdate((changed) => c.shardUpdated(changed));
    if (options.shard instanceof ClusterShardGate) options.shard.track(() => c.processingKeys());
    if (options.shard !== undefined) this.ownGate.add(c);
    this.controllers.push(c);
    if (this.leading) void this.waitForCacheSync().then(() => this.stopping || c.start());
    return c;
  }

  /** Serves an extra HTTP route on the probe server (e.g. the Git webhook at /api/webhook). */
  addRoute(path: string, handler: RequestListener): void {
    this.routes[path] = handler;
  }

  /** Runs `hook` during shutdown, after the controllers stopped (pollers, timers, connections). */
  onStop(hook: () => void | Promise<void>): void {
    this.stopHooks.push(hook);
  }

  /** True once every informer has completed its first list. */
  get hasSynced(): boolean {
    return [...this.reflectors.values()].every((r) => r.hasSynced);
  }

  /**
   * Resolves once every informer has listed once or been refused by RBAC: a forbidden informer (logged
   * by its reflector, retried slowly) must not keep every controller from starting.
   */
  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.reflectors.values()].map((r) => r.waitUntilSettled()));
  }

  /** Starts informers, the probe server and (once leading) the controllers. Resolves when started. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.options.watchCrds ?? true) this.refreshDiscoveryOnCrdChanges();
    if (this.options.probePort !== undefined) {
      this.probe = await startProbeServer({
        port: this.options.probePort,
        ...(this.options.probeHost !== undefined && { host: this.options.probeHost }),
        metrics: this.metrics,
        routes: this.routes,
        // sharded: also once this replica's claim is written and the group listed after it
        isReady: () => this.hasSynced && (this.shard?.isSettled ?? true),
      });
    }
    for (const r of this.reflectors.values()) r.start();
    if (this.shard) {
      this.shard.start();
      this.startControllers();
      return;
    }
    const le = this.options.leaderElection;
    if (!le) {
      this.startControllers();
      return;
    }
    this.elector = new LeaderElector(
      this.client,
      le,
      this.logger.child({ component: 'leader-election' }),
      this.clock,
    );
    this.electorRun = this.elector.run({
      onStarted: () => this.startControllers(),
      onStopped: () => {
        this.leading = false;
        this.metrics.leader.set({ lease: le.name }, 0);
        if (this.stopping) return;
        (this.options.onLeadershipLost ?? (() => void this.stop()))();
      },
    });
  }

  /** Graceful shutdown: stop taking work, finish in-flight reconciles, release the lease. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /**
   * A Warning Event for an informer RBAC refuses, on the Namespace it watches (cluster-wide ones: on
   * `default`), so `kubectl get events` shows the missing permission next to the objects it hides.
   */
  reportForbidden(namespace: string | undefined, err: KubeError): void {
    const name = namespace ?? 'default';
    this.events.warning(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name, namespace: name } },
      'InformerForbidden',
      describeForbidden(err),
    );
  }

  /** A metadata-only CRD informer: any change means discovery may be stale. */
  private refreshDiscoveryOnCrdChanges(): void {
    const crds = this.informer<KubeObject>({
      gvk: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
      transform: (o) => ({
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: { name: o.metadata.name, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion },
      }),
    });
    crds.onChange(() => this.client.discovery.invalidate());
  }

  /**
   * Workers start only after every informer has listed once: a reconcile against a half-filled cache
   * would act on a world that looks empty (a Rollout with "no" ReplicaSets would be promoted to 100%).
   */
  private startControllers(): void {
    this.leading = true;
    if (this.options.leaderElection) this.metrics.leader.set({ lease: this.options.leaderElection.name }, 1);
    void this.waitForCacheSync().then(() => {
      if (this.stopping || !this.leading) return;
      for (const c of this.controllers) c.start();
    });
  }

  private async shutdown(): Promise<void> {
    const deadline = this.options.shutdownDeadlineMs ?? 10_000;
    this.logger.info({ deadlineMs: deadline }, 'shutting down');
    await Promise.all(this.controllers.map((c) => c.stop(deadline)));
    // Sharded: no reconcile runs any more; deleting the member Lease lets the others take over at once.
    if (this.shard) await this.boundedStep('shard release', () => this.shard?.stop(), deadline);
    // Every later step gets a bounded wait of its own: a stop hook, a watch or an event write stuck on a
    // slow API server must not keep a SIGTERMed controller alive past its grace period.
    const step = (name: string, work: () => unknown) => this.boundedStep(name, work, deadline);
    for (const hook of this.stopHooks) await step('stop hook', hook);
    await step('leader election release', async () => {
      await this.elector?.stop();
      await this.electorRun;
    });
    await step('informers', () => Promise.all([...this.reflectors.values()].map((r) => r.stop())));
    await step('event writes', () => this.events.flush());
    await step('probe server', async () => this.probe?.close());
    this.client.close();
    this.leading = false;
    this.logger.info('stopped');
  }

  private *processingKeys(): Iterable<string> {
    for (const c of this.controllers) if (!this.ownGate.has(c)) yield* c.processingKeys();
  }

  /** Runs one shutdown step; a failure or a step still running after `ms` is logged and left behind. */
  private async boundedStep(name: string, work: () => unknown, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    });
    try {
      const outcome = await Promise.race([Promise.resolve(work()).then(() => 'done' as const), timeout]);
      if (outcome === 'timeout')
        this.logger.warn({ step: name, deadlineMs: ms }, 'shutdown step did not finish in time');
    } catch (err) {
      this.logger.warn({ err, step: name }, 'shutdown step failed');
    } finally {
      clearTimeout(timer);
    }
  }
}
