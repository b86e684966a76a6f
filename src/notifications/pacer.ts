/** Per-channel pacing: a token bucket (Slack allows about one message per second per channel, short bursts). */
export interface PacingOptions {
  /** Sustained messages per second per channel. Default 1. */
  readonly messagesPerSecond?: number;
  /** Messages that may go out back to back after a quiet period. Default 2. */
  readonly burst?: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: number;
  private readonly burst: number;

  constructor(options: PacingOptions, now: number) {
    this.rate = (options.messagesPerSecond ?? 1) / 1000;
    this.burst = Math.max(1, options.burst ?? 2);
    this.tokens = this.burst;
    this.last = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.rate);
    this.last = Math.max(this.last, now);
  }

  /** Milliseconds until a token is available (0 = now). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.rate);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }
}

export interface BackoffOptions {
  /** First retry delay. Default 1 s. */
  readonly initialMs?: number;
  /** Largest retry delay. Default 60 s. */
  readonly maxMs?: number;
}

/** Capped exponential backoff with ±20 % jitter for the `attempt`-th retry (1-based). */
export function backoffMs(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
