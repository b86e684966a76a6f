import type { SlackFailure, SlackRateViolation, SlackReply } from './types.js';

/** Slack's answer to a rate-limited call: HTTP 429, `Retry-After` in whole seconds. */
export function rateLimitedReply(retryAfterSeconds: number): SlackReply {
  return {
    status: 429,
    headers: { 'Retry-After': String(Math.max(0, Math.ceil(retryAfterSeconds))) },
    body: { ok: false, error: 'ratelimited' },
  };
}

function failureReply(failure: SlackFailure): SlackReply {
  if ('error' in failure) return { status: 200, body: { ok: false, error: failure.error } };
  if (failure.status === 429) return rateLimitedReply(failure.retryAfterSeconds);
  return { status: failure.status, body: 'Internal Server Error' };
}

/**
 * Injected failures and rate limits: queued one-shot failures per method, a global "everything is
 * rate-limited until T" window, and optional per-channel pacing for chat.postMessage.
 */
export class TrafficControl {
  private readonly queued = new Map<string, SlackFailure[]>();
  private limitedUntil = 0;
  private readonly postsByChannel = new Map<string, number[]>();
  private readonly recordedViolations: SlackRateViolation[] = [];

  constructor(
    private readonly now: () => number,
    private readonly messagesPerSecond: number | undefined,
  ) {}

  failNext(method: string, failure: SlackFailure, times = 1): void {
    const list = this.queued.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.queued.set(method, list);
  }

  rateLimit(seconds: number): void {
    this.limitedUntil = this.now() + seconds * 1000;
  }

  /** A reply that pre-empts the method, or undefined to run it. */
  intercept(method: string): SlackReply | undefined {
    const failure = this.queued.get(method)?.shift();
    if (failure !== undefined) return failureReply(failure);
    const remainingMs = this.limitedUntil - this.now();
    if (remainingMs > 0) return rateLimitedReply(remainingMs / 1000);
    return undefined;
  }

  /**
   * Per-channel pacing for a post to `channelId`: counts posts in the last second (sliding window); over the
   * limit the post is refused with `Retry-After: 1` and recorded as a violation. Only accepted posts count
   * towards the window.
   */
  checkChannelPace(channelId: string): SlackReply | undefined {
    if (this.messagesPerSecond === undefined) return undefined;
    const at = this.now();
    const recent = (this.postsByChannel.get(channelId) ?? []).filter((t) => at - t < 1000);
    this.postsByChannel.set(channelId, recent);
    if (recent.length < this.messagesPerSecond) {
      recent.push(at);
      return undefined;
    }
    this.recordedViolations.push({ channel: channelId, at, postsInWindow: recent.length + 1 });
    return rateLimitedReply(1);
  }

  violations(): readonly SlackRateViolation[] {
    return [...this.recordedViolations];
  }

  reset(): void {
    this.queued.clear();
    this.limitedUntil = 0;
    this.postsByChannel.clear();
    this.recordedViolations.length = 0;
  }
}
