import { type Clock, systemClock } from './clock.js';
import { DelayHeap } from './delay-heap.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

/**
 * The two lanes of a queue: `main` for new work, `refresh` for cheap looks at a key whose state
 * moved (a watched object changed, an operation just finished). When both hold keys, `get` takes
 * from each in turn, so a thousand queued first syncs cannot hold back the refresh that shows an
 * Application its own sync's result (Argo CD's separate status and operation processors).
 */
export type QueueLane = 'main' | 'refresh';

export interface WorkQueueOptions {
  readonly rateLimiter?: RateLimiter;
  readonly clock?: Clock;
  /** Called when depth changes and when a key is handed out (after `waitedMs` in the queue). */
  readonly onDepth?: (depth: number) => void;
  readonly onGet?: (waitedMs: number) => void;
  readonly onRetry?: () => void;
}

/**
 * A work queue with client-go semantics:
 * - stingy: a key added many times before a worker takes it is processed once;
 * - no two workers ever hold the same key: a key added while it is processing is queued again
 *   only when `done()` is called for it;
 * - fair: keys come out in the order they were first added, each lane in turn (see QueueLane); a
 *   key waits in the lane it was first added to;
 * - `addAfter` for requeues (earliest time wins) and `addRateLimited` with per-key backoff plus an
 *   overall token bucket; `forget` resets a key's backoff;
 * - `shutDown` wakes every waiting worker; `shutDownWithDrain` also waits for processing keys.
 */
export class WorkQueue {
  private readonly lanes: Record<QueueLane, { keys: string[]; head: number }> = {
    main: { keys: [], head: 0 },
    refresh: { keys: [], head: 0 },
  };
  private nextLane: QueueLane = 'main';
  /** Keys waiting (or to be queued again when done), with their lane. */
  private readonly dirty = new Map<string, QueueLane>();
  /** Keys whose pending `addAfter` is for the refresh lane. */
  private readonly refreshLater = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly addedAt = new Map<string, number>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly delayed = new DelayHeap();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private shuttingDown = false;
  private drainWaiters: (() => void)[] = [];
  private readonly rateLimiter: RateLimiter;
  private readonly clock: Clock;

  constructor(private readonly options: WorkQueueOptions = {}) {
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter();
    this.clock = options.clock ?? systemClock;
  }

  /** Keys waiting to be handed out (not counting delayed or processing keys). */
  get length(): number {
    return this.laneLength('main') + this.laneLength('refresh');
  }

  private laneLength(lane: QueueLane): number {
    const l = this.lanes[lane];
    return l.keys.length - l.head;
  }

  /** Keys a worker holds right now (handed out, `done` not yet called). */
  processingKeys(): IterableIterator<string> {
    return this.processing.values();
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: string, lane: QueueLane = 'main'): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.set(key, lane);
    this.addedAt.set(key, this.clock.now());
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.handOut(key, waiter);
      return;
    }
    this.lanes[lane].keys.push(key);
    this.options.onDepth?.(this.length);
  }

  /**
   * Adds `key` after `delayMs` (now when ≤ 0). A key already scheduled earlier keeps its time; it
   * goes to the refresh lane if any of its pending adds asked for it.
   */
  addAfter(key: string, delayMs: number, lane: QueueLane = 'main'): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key, lane);
      return;
    }
    if (lane === 'refresh') this.refreshLater.add(key);
    const due = this.clock.now() + delayMs;
    this.delayed.push(key, due);
    this.schedule();
  }

  /** Drops `key`'s pending `addAfter` (and rate-limited retry), if any; a key already queued stays. */
  cancelAfter(key: string): void {
    this.delayed.remove(key);
    this.refreshLater.delete(key);
  }

  /** Adds `key` after the rate limiter's delay for it. */
  addRateLimited(key: string): void {
    this.options.onRetry?.();
    this.addAfter(key, this.rateLimiter.when(key));
  }

  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.retries(key);
  }

  /** Waits for the next key; `undefined` once the queue is shut down and empty. */
  get(): Promise<string | undefined> {
    if (this.length > 0) {
      const preferred = this.nextLane;
      const lane = this.laneLength(preferred) > 0 ? preferred : preferred === 'main' ? 'refresh' : 'main';
      this.nextLane = lane === 'main' ? 'refresh' : 'main';
      const l = this.lanes[lane];
      const key = l.keys[l.head++]!;
      if (l.head > 1024 && l.head * 2 > l.keys.length) {
        l.keys.splice(0, l.head);
        l.head = 0;
      }
      this.options.onDepth?.(this.length);
      return new Promise((resolve) => this.handOut(key, resolve));
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` finished; if it was added meanwhile, it goes back in the queue. */
  done(key: string): void {
    this.processing.delete(key);
    const lane = this.dirty.get(key);
    if (lane !== undefined) {
      const waiter = this.waiters.shift();
      if (waiter) this.handOut(key, waiter);
      else {
        this.lanes[lane].keys.push(key);
        this.options.onDepth?.(this.length);
      }
    }
    if (this.processing.size === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  /** Stops accepting keys and wakes idle workers. Queued keys are still handed out. */
  shutDown(): void {
    this.shuttingDown = true;
    this.delayed.clear();
    this.refreshLater.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** shutDown, then wait until no key is processing. */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private handOut(key: string, resolve: (key: string) => void): void {
    this.dirty.delete(key);
    this.processing.add(key);
    const added = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (added !== undefined) this.options.onGet?.(this.clock.now() - added);
    resolve(key);
  }

  private schedule(): void {
    const due = this.delayed.peekDue();
    if (due === undefined || due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - this.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
    for (const key of this.delayed.popDue(this.clock.now())) {
      const lane = this.refreshLater.delete(key) ? 'refresh' : 'main';
      this.add(key, lane);
    }
    this.schedule();
  }
}
