import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Slipway's Prometheus metrics. One instance per process (or per test), injected where needed. */
export class Metrics {
  readonly registry = new Registry();
  readonly reconcileTotal = new Counter({
    name: 'slipway_reconcile_total',
    help: 'Reconciles by controller and result (success, error, requeue, requeue_after, terminal).',
    labelNames: ['controller', 'result'] as const,
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: 'slipway_reconcile_errors_total',
    help: 'Reconciles that failed, by controller and error code.',
    labelNames: ['controller', 'code'] as const,
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: 'slipway_reconcile_duration_seconds',
    help: 'Time spent in one reconcile.',
    labelNames: ['controller'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'slipway_workqueue_depth',
    help: 'Keys waiting in the work queue.',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly queueLatency = new Histogram({
    name: 'slipway_workqueue_queue_duration_seconds',
    help: 'How long a key waited in the queue before a worker took it.',
    labelNames: ['controller'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
    registers: [this.registry],
  });
  readonly queueRetries = new Counter({
    name: 'slipway_workqueue_retries_total',
    help: 'Keys re-queued with rate-limited backoff.',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly watchRestarts = new Counter({
    name: 'slipway_watch_restarts_total',
    help: 'Watch streams restarted, by resource and reason (timeout, error, gone).',
    labelNames: ['resource', 'reason'] as const,
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'slipway_leader',
    help: '1 while this process holds the leader lease.',
    labelNames: ['lease'] as const,
    registers: [this.registry],
  });

  readonly shardMembers = new Gauge({
    name: 'slipway_shard_members',
    help: 'Live members of the shard group this replica sees (itself included; 0 while fenced).',
    labelNames: ['group'] as const,
    registers: [this.registry],
  });
  readonly shardHandovers = new Counter({
    name: 'slipway_shard_handovers_total',
    help: 'Times this replica changed the member list it works under (a share handed over or taken).',
    labelNames: ['group'] as const,
    registers: [this.registry],
  });
  readonly shardIndex = new Gauge({
    name: 'slipway_shard_index',
    help: "This replica's shard number: its rank among the live members, as Argo CD numbers shards (-1 while fenced).",
    labelNames: ['group'] as const,
    registers: [this.registry],
  });
  readonly shardOwnedClusters = new Gauge({
    name: 'slipway_shard_owned_clusters',
    help: 'Clusters whose Applications this replica reconciles (cluster-sharded controllers; Argo CD sharding algorithms).',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly shardOwnedObjects = new Gauge({
    name: 'slipway_shard_owned_objects',
    help: "Objects of a controller's kind this replica reconciles under the current shard membership.",
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });

  /** Adds Node.js process metrics (CPU, memory, event loop lag). */
  collectProcessMetrics(): this {
    collectDefaultMetrics({ register: this.registry, prefix: 'slipway_' });
    return this;
  }
}
