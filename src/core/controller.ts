import { randomUUID } from 'node:crypto';
import type { Logger, Metrics } from '../observability/index.js';
import { type Clock, systemClock } from './clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';
import { type ReconcileResult, reconcileOutcome } from './reconcile-result.js';
import type { ShardGate } from './sharding/index.js';
import { type QueueLane, WorkQueue } from './work-queue.js';

/** What a reconcile is asked to do: bring one object to its desired state. No event type, no object. */
export interface ReconcileRequest {
  readonly namespace: string;
  readonly name: string;
  /** `namespace/name`, or `name` for cluster-scoped objects. */
  readonly key: string;
}

export interface ReconcileContext {
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly reconcileID: string;
}

/**
 * The reconcile contract. Return normally when done (optionally asking for a timed or a rate-limited
 * requeue, see ReconcileResult); throw to retry with backoff; throw a TerminalError to record the
 * failure without retrying.
 */
export interface Reconciler {
  reconcile(ctx: ReconcileContext, request: ReconcileRequest): Promise<ReconcileResult | undefined>;
}

export interface ControllerOptions {
  readonly name: string;
  readonly reconciler: Reconciler;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Concurrent reconciles (never two for one key). Default 4. */
  readonly workers?: number;
  readonly rateLimiter?: RateLimiter;
  readonly clock?: Clock;
  /**
   * Sharded: only keys the gate lets this replica reconcile are queued and started; when the gate
   * changes, newly owned keys are queued from the key sources (see addKeySource). Default: every key.
   */
  readonly shard?: ShardGate;
  /**
   * A key's latest reconcile decides its next timed wake-up: success without a requeue cancels the timed
   * requeue (or retry) an earlier reconcile of the key asked for, and a requeue-after replaces it. For
   * reconcilers that derive every wake-up from the whole state on each run (a Rollout's pause end, its
   * progress deadline): the earlier timer was computed from a state that no longer holds. Without it
   * (client-go's and controller-runtime's semantics) every timer fires, e.g. one no-op reconcile of each
   * Rollout at its progress deadline 10 minutes after it became Healthy. Default false.
   */
  readonly latestRequeueWins?: boolean;
}

export function requestFromKey(key: string): ReconcileRequest {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key, key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1), key };
}

/** Runs a reconciler over a work queue with N workers, applying controller-runtime's outcome rules. */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly abort = new AbortController();
  private workers: Promise<void>[] = [];
  private readonly clock: Clock;
  private readonly keySources: (() => Iterable<string>)[] = [];
  /** Sharded: the keys owned at the last gate change (to queue only the newly owned ones). */
  private owned = new Set<string>();
  /**
   * Sharded: keys refused so far (queued or started while the gate said no), queued again once it
   * lets them through. With key sources, only keys of objects that still exist are kept.
   */
  private readonly refused = new Set<string>();

  constructor(private readonly options: ControllerOptions) {
    this.name = options.name;
    this.clock = options.clock ?? systemClock;
    const m = options.metrics;
    const labels = { controller: options.name };
    this.queue = new WorkQueue({
      rateLimiter: options.rateLimiter ?? defaultControllerRateLimiter(),
      clock: this.clock,
      ...(m && {
        onDepth: (d: number) => m.queueDepth.set(labels, d),
        onGet: (ms: number) => m.queueLatency.observe(labels, ms / 1000),
        onRetry: () => m.queueRetries.inc(labels),
      }),
    });
  }

  /** Queues `key`; `lane: 'refresh'` for a cheap look at a key whose state moved (see QueueLane). */
  enqueue(key: string, lane: QueueLane = 'main'): void {
    if (this.isMine(key)) this.queue.add(key, lane);
  }

  enqueueAfter(key: string, delayMs: number, lane: QueueLane = 'main'): void {
    if (this.isMine(key)) this.queue.addAfter(key, delayMs, lane);
  }

  /**
   * Where the keys of every object this controller reconciles can be listed (its primary informer's
   * store); sharded controllers queue the keys they gain from here. enqueueSelf registers one.
   */
  addKeySource(keys: () => Iterable<string>): void {
    this.keySources.push(keys);
  }

  /**
   * Sharded: when the gate `changed`, queues the keys this replica gained since the last call; reports
   * how many keys it owns. Called after every membership renew.
   */
  shardUpdated(changed: boolean): void {
    const gate = this.options.shard;
    if (!gate) return;
    const owned = new Set<string>();
    const existing = new Set<string>();
    for (const source of this.keySources)
      for (const key of source()) {
        existing.add(key);
        if (gate.mayProcess(key)) owned.add(key);
      }
    if (changed) for (const key of owned) if (!this.owned.has(key)) this.queue.add(key);
    this.owned = owned;
    // Also when nothing changed: the gate can refuse keys between two renews and let them through
    // again without its view changing (a replica fenced by a late renew, a moved key's wait ending),
    // and a key refused then (a timed requeue dropped at start) must not be lost.
    for (const key of this.refused) {
      if (gate.mayProcess(key)) {
        this.refused.delete(key);
        this.queue.add(key);
      } else if (this.keySources.length > 0 && !existing.has(key)) this.refused.delete(key);
    }
    this.options.metrics?.shardOwnedObjects.set({ controller: this.name }, this.owned.size);
  }

  /** Keys a worker is reconciling now. */
  processingKeys(): IterableIterator<string> {
    return this.queue.processingKeys();
  }

  /** `starting`: a worker is about to run the key (the gate may record under which unit). */
  private isMine(key: string, starting = false): boolean {
    const gate = this.options.shard;
    if (!gate) return true;
    if (starting && gate.admit !== undefined ? gate.admit(key) : gate.mayProcess(key)) return true;
    this.refused.add(key);
    return false;
  }

  start(): void {
    if (this.workers.length > 0) return;
    const n = this.options.workers ?? 4;
    this.workers = Array.from({ length: n }, () => this.work());
  }

  /**
   * Stops taking new keys and waits for in-flight reconciles up to `deadlineMs`, then aborts them
   * through their signal.
   */
  async stop(deadlineMs = 10_000): Promise<void> {
    const drained = this.queue.shutDownWithDrain();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), deadlineMs);
    });
    const outcome = await Promise.race([drained.then(() => 'drained' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout')
      this.options.logger.warn({ deadlineMs }, 'reconciles still running at shutdown deadline');
    this.abort.abort();
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        // A key queued before this replica lost it (or requeued by a timer) is not started.
        if (this.isMine(key, true)) await this.process(key);
        else this.queue.forget(key);
      } finally {
        this.queue.done(key);
      }
      if (this.queue.isShuttingDown && this.queue.length === 0) return;
    }
  }

  private async process(key: string): Promise<void> {
    const { logger, metrics, reconciler } = this.options;
    const reconcileID = randomUUID();
    const log = logger.child({ controller: this.name, key, reconcileID });
    const labels = { controller: this.name };
    const started = performance.now();
    let ending: Parameters<typeof reconcileOutcome>[0];
    log.debug('reconcile started');
    try {
      const result = await reconciler.reconcile(
        { logger: log, signal: this.abort.signal, clock: this.clock, reconcileID },
        requestFromKey(key),
      );
      ending = { result };
    } catch (error) {
      ending = { error };
    }
    try {
      const outcome = reconcileOutcome(ending);
      switch (outcome.kind) {
        case 'done':
          this.queue.forget(key);
          if (this.options.latestRequeueWins) this.queue.cancelAfter(key);
          metrics?.reconcileTotal.inc({ ...labels, result: 'success' });
          break;
        case 'requeueAfter':
          this.queue.forget(key);
          if (this.options.latestRequeueWins) this.queue.cancelAfter(key);
          this.queue.addAfter(key, outcome.delayMs, outcome.lane);
          metrics?.reconcileTotal.inc({ ...labels, result: 'requeue_after' });
          break;
        case 'requeueRateLimited':
          this.queue.addRateLimited(key);
          metrics?.reconcileTotal.inc({ ...labels, result: 'requeue' });
          break;
        case 'terminal':
        case 'error': {
          const err = 'error' in ending ? ending.error : undefined;
          const code = (err as { code?: string } | undefined)?.code ?? 'UNKNOWN';
          metrics?.reconcileErrors.inc({ ...labels, code });
          if (outcome.kind === 'terminal') {
            this.queue.forget(key);
            metrics?.reconcileTotal.inc({ ...labels, result: 'terminal' });
            log.error({ err }, 'reconcile failed permanently');
          } else {
            this.queue.addRateLimited(key);
            metrics?.reconcileTotal.inc({ ...labels, result: 'error' });
            log.warn({ err, retries: this.queue.numRequeues(key) }, 'reconcile failed, will retry');
          }
          break;
        }
      }
    } finally {
      const seconds = (performance.now() - started) / 1000;
      metrics?.reconcileDuration.observe(labels, seconds);
      log.debug({ seconds }, 'reconcile finished');
    }
  }
}
