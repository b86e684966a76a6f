import { type Clock, systemClock } from './clock.js';

/** Decides how long a key waits before it is retried (client-go's RateLimiter). */
export interface RateLimiter {
  /** Delay for the next retry of `key`; counts the retry. */
  when(key: string): number;
  /** Stop tracking `key` (it succeeded). */
  forget(key: string): void;
  /** Retries counted for `key` since the last forget. */
  retries(key: string): number;
}

export interface ExponentialBackoffOptions {
  /** First delay. Default 5 ms. */
  readonly baseMs?: number;
  /** Cap. Default 1000 s, like client-go. */
  readonly maxMs?: number;
}

/** base * 2^failures, capped: 5 ms, 10 ms, 20 ms, ... */
export class ItemExponentialRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(options: ExponentialBackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 5;
    this.maxMs = options.maxMs ?? 1_000_000;
  }

  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

export interface TokenBucketOptions {
  /** Sustained rate. Default 10 per second. */
  readonly qps?: number;
  /** Burst. Default 100. */
  readonly burst?: number;
  readonly clock?: Clock;
}

/** An overall token bucket: every retry reserves a token; an empty bucket means waiting. */
export class TokenBucketRateLimiter implements RateLimiter {
  private tokens: number;
  private last: number;
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;

  constructor(options: TokenBucketOptions = {}) {
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    this.clock = options.clock ?? systemClock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  when(_key: string): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_key: string): void {}

  retries(_key: string): number {
    return 0;
  }
}

/** The worst (longest) delay of several limiters: client-go's MaxOfRateLimiter. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(key: string): number {
    return Math.max(...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  retries(key: string): number {
    return Math.max(...this.limiters.map((l) => l.retries(key)));
  }
}

/** client-go's default controller limiter: per-key exponential (5 ms → cap) and 10 qps / 100 burst overall. */
export function defaultControllerRateLimiter(options: ExponentialBackoffOptions = {}): RateLimiter {
  return new MaxOfRateLimiter(
    new ItemExponentialRateLimiter({ baseMs: options.baseMs ?? 5, maxMs: options.maxMs ?? 300_000 }),
    new TokenBucketRateLimiter(),
  );
}
