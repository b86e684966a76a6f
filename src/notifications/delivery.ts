import type { Logger } from '../observability/index.js';
import { type CommitView, decideCommit } from './commit-gate.js';
import type { NotificationMetrics } from './metrics.js';
import type { OutboxEntry, ThreadRef } from './outbox-entry.js';
import { sentMarkerValue, threadAnnotation } from './outbox-entry.js';
import type { OutboxOwner, OutboxStore } from './outbox-store.js';
import { type BackoffOptions, backoffMs, type PacingOptions, TokenBucket } from './pacer.js';
import type { NotificationService, SendRequest } from './services/index.js';

/** Resolves the service an entry names, from the configuration it was planned with. */
export type ServiceResolver = (config: string, service: string) => NotificationService | undefined;

export interface DeliveryEngineOptions {
  readonly services: ServiceResolver;
  readonly store: OutboxStore;
  readonly logger: Logger;
  readonly metrics?: NotificationMetrics;
  /** Per-channel pacing; `false` disables it (benchmarks). Default 1 message/s, burst 2. */
  readonly pacing?: PacingOptions | false;
  readonly backoff?: BackoffOptions;
  /** Called once for an entry that failed for good. */
  readonly onPermanentFailure?: (owner: OutboxOwner, entry: OutboxEntry, reason: string) => void;
  /** Called right before a message is sent (tests use it to crash at that point). */
  readonly beforeSend?: (entry: OutboxEntry) => void;
  /** Called right after a message was delivered, before the outbox entry is removed. */
  readonly afterSend?: (entry: OutboxEntry) => void;
  readonly now?: () => number;
  /**
   * The entry's object as last observed (one object version: whether the entry is in its outbox, and the
   * `transitionOf` its status), or `undefined` when it is gone. Without it every entry counts as committed.
   */
  readonly observe?: (owner: OutboxOwner, id: string) => CommitView | undefined;
  /** How long an entry may wait for its transition to be committed. Default `maxUncommittedMs` (10 min). */
  readonly maxUncommittedMs?: number;
  /** How often a waiting entry looks at its object again. Default 250 ms. */
  readonly commitPollMs?: number;
}

interface Pending {
  readonly owner: OutboxOwner;
  readonly entry: OutboxEntry;
  /** Check whether it was already delivered before sending (recovered from a previous process, or ambiguous). */
  needsLookup: boolean;
  attempts: number;
  /** The entry was in an observed version of its object (recovered entries are read from one). */
  seen: boolean;
  /** Removed by `discard`: skipped when it reaches the head of its channel. */
  discarded: boolean;
}

interface Channel {
  readonly key: string;
  readonly items: Pending[];
  readonly bucket: TokenBucket | undefined;
  notBefore: number;
  running: boolean;
}

const completedMemory = 50_000;

/**
 * Delivers outbox entries: one FIFO per channel (so a thread's root goes before its replies), per-channel
 * pacing, `Retry-After` honoured for the whole workspace, transient failures retried with capped exponential
 * backoff, permanent ones reported once. An entry recovered from a previous process, or whose last attempt
 * may have reached the service, is looked up (Slack message metadata) before it is sent again.
 */
export class DeliveryEngine {
  private readonly channels = new Map<string, Channel>();
  private readonly pending = new Map<string, Pending>();
  private readonly completed = new Set<string>();
  private readonly blockedUntil = new Map<string, number>();
  private readonly threads = new Map<string, ThreadRef>();
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly options: DeliveryEngineOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.pending.size;
  }

  /** True when the id is queued or was finished by this process. */
  knows(id: string): boolean {
    return this.pending.has(id) || this.completed.has(id);
  }

  /** Remembers a persisted thread (seeded from object annotations). */
  seedThread(owner: OutboxOwner, annotation: string, thread: ThreadRef): void {
    const key = `${owner.uid}|${annotation}`;
    if (!this.threads.has(key)) this.threads.set(key, thread);
  }

  /** Queues an entry; `recovered` entries were written by another process and are looked up first. */
  enqueue(owner: OutboxOwner, entry: OutboxEntry, recovered: boolean): boolean {
    if (this.stopped || this.knows(entry.id)) return false;
    const service = this.options.services(entry.config, entry.service);
    const p: Pending = {
      owner,
      entry,
      needsLookup: recovered,
      attempts: 0,
      seen: recovered,
      discarded: false,
    };
    this.pending.set(entry.id, p);
    this.options.metrics?.pending.set(this.pending.size);
    const key = `${service?.workspace ?? 'none'}|${entry.recipient}`;
    let channel = this.channels.get(key);
    if (channel === undefined) {
      const pacing = this.options.pacing;
      channel = {
        key,
        items: [],
        bucket: pacing === false ? undefined : new TokenBucket(pacing ?? {}, this.now()),
        notBefore: 0,
        running: false,
      };
      this.channels.set(key, channel);
    }
    channel.items.push(p);
    if (!channel.running) void this.run(channel);
    return true;
  }

  /**
   * Forgets a queued entry that its controller removed from the outbox (it belonged to a transition that was
   * never committed). A later enqueue of the same id is accepted.
   */
  discard(id: string): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    p.discarded = true;
    this.pending.delete(id);
    this.options.metrics?.pending.set(this.pending.size);
  }

  /** Stops sending; queued entries stay in their outbox for the next process. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.timers.clear();
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const handle = {
        timer: setTimeout(() => {
          this.timers.delete(handle);
          resolve();
        }, ms),
        resolve,
      };
      handle.timer.unref();
      this.timers.add(handle);
    });
  }

  private async run(channel: Channel): Promise<void> {
    channel.running = true;
    try {
      while (!this.stopped && channel.items.length > 0) {
        const p = channel.items[0] as Pending;
        if (p.discarded) {
          channel.items.shift();
          continue;
        }
        if (!this.isCommitted(channel, p)) {
          if (channel.items[0] === p) await this.sleep(this.options.commitPollMs ?? 250);
          continue;
        }
        const service = this.options.services(p.entry.config, p.entry.service);
        const workspace = service?.workspace ?? 'none';
        const wait = Math.max(channel.notBefore, this.blockedUntil.get(workspace) ?? 0) - this.now();
        if (wait > 0) {
          await this.sleep(wait);
          continue;
        }
        if (service === undefined) {
          this.finish(
            channel,
            p,
            'permanent',
            `service '${p.entry.service}' is no longer configured in ${p.entry.config}`,
          );
          continue;
        }
        await this.attempt(channel, p, service);
      }
    } catch (err) {
      this.options.logger.error({ err }, 'notification delivery loop failed');
    } finally {
      channel.running = false;
      if (channel.items.length === 0) this.channels.delete(channel.key);
      else if (!this.stopped) void this.run(channel);
    }
  }

  /**
   * Whether the entry's transition is committed (see `decideCommit`). An entry that waits holds its channel
   * (order within a channel is kept); one that is obsolete or waited too long is dropped here.
   */
  private isCommitted(channel: Channel, p: Pending): boolean {
    if (p.entry.from === undefined || this.options.observe === undefined) return true;
    const view = this.options.observe(p.owner, p.entry.id);
    if (view?.hasEntry === true) p.seen = true;
    const verdict = decideCommit({
      entry: p.entry,
      view,
      seen: p.seen,
      now: this.now(),
      ...(this.options.maxUncommittedMs !== undefined && { maxWaitMs: this.options.maxUncommittedMs }),
    });
    if (verdict.kind === 'deliver') return true;
    if (verdict.kind === 'wait') return false;
    channel.items.shift();
    this.pending.delete(p.entry.id);
    this.options.metrics?.pending.set(this.pending.size);
    this.options.logger.info(
      { id: p.entry.id, trigger: p.entry.trigger, object: p.owner.name, reason: verdict.reason },
      'notification dropped: its transition was not committed',
    );
    if (verdict.remove) void this.removeEntry(p, 0, false);
    return false;
  }

  private request(p: Pending): SendRequest {
    const groupingKey = p.entry.notification.slack?.groupingKey ?? '';
    const thread = groupingKey === '' ? undefined : this.threads.get(this.threadKey(p, groupingKey));
    return {
      id: p.entry.id,
      recipient: p.entry.recipient,
      notification: p.entry.notification,
      ...(thread !== undefined && { thread }),
    };
  }

  private threadKey(p: Pending, groupingKey: string): string {
    return `${p.owner.uid}|${threadAnnotation(p.entry.service, p.entry.recipient, groupingKey)}`;
  }

  private retryLater(
    channel: Channel,
    p: Pending,
    workspace: string,
    retryAfterMs: number | undefined,
  ): void {
    p.attempts += 1;
    const now = this.now();
    if (retryAfterMs !== undefined) {
      const until = now + Math.max(retryAfterMs, 100);
      this.blockedUntil.set(workspace, Math.max(this.blockedUntil.get(workspace) ?? 0, until));
    } else channel.notBefore = now + backoffMs(p.attempts, this.options.backoff);
  }

  private async attempt(channel: Channel, p: Pending, service: NotificationService): Promise<void> {
    const metrics = this.options.metrics;
    const request = this.request(p);
    if (p.needsLookup) {
      const found = await service.findDelivered(request, p.entry.createdAt);
      if (found.kind === 'transient') {
        this.retryLater(channel, p, service.workspace, found.retryAfterMs);
        return;
      }
      if (found.kind === 'found') {
        if (found.thread !== undefined) this.rememberThread(p, found.thread);
        metrics?.deliveries.inc({ service: service.type, result: 'deduplicated' });
        this.finish(channel, p, 'deduplicated');
        return;
      }
      if (found.kind === 'unsupported')
        this.options.logger.debug(
          { reason: found.reason, id: p.entry.id },
          'cannot check for a previous delivery',
        );
      p.needsLookup = false;
      return; // re-enter the loop: the request may need a thread that the lookup did not change
    }
    const now = this.now();
    const waitMs = channel.bucket?.waitMs(now) ?? 0;
    if (waitMs > 0) {
      await this.sleep(waitMs);
      return;
    }
    channel.bucket?.take(now);
    this.options.beforeSend?.(p.entry);
    const outcome = await service.send(request);
    if (outcome.kind === 'sent') {
      this.options.afterSend?.(p.entry);
      if (outcome.thread !== undefined) this.rememberThread(p, outcome.thread);
      metrics?.deliveries.inc({ service: service.type, result: 'sent' });
      metrics?.deliveryLatency.observe({ service: service.type }, (this.now() - p.entry.createdAt) / 1000);
      this.finish(channel, p, 'sent');
    } else if (outcome.kind === 'transient') {
      metrics?.deliveries.inc({ service: service.type, result: 'transient' });
      if (outcome.ambiguous) p.needsLookup = true;
      this.options.logger.debug(
        { id: p.entry.id, reason: outcome.reason, attempts: p.attempts + 1 },
        'notification delivery will be retried',
      );
      this.retryLater(channel, p, service.workspace, outcome.retryAfterMs);
    } else {
      metrics?.deliveries.inc({ service: service.type, result: 'permanent' });
      this.finish(channel, p, 'permanent', outcome.reason);
    }
  }

  private rememberThread(p: Pending, thread: ThreadRef): void {
    const groupingKey = p.entry.notification.slack?.groupingKey ?? '';
    if (groupingKey === '') return;
    const annotation = threadAnnotation(p.entry.service, p.entry.recipient, groupingKey);
    this.threads.set(`${p.owner.uid}|${annotation}`, thread);
    this.options.store.saveThread(p.owner, annotation, thread).catch((err: unknown) => {
      this.options.logger.warn({ err, object: p.owner.name }, 'cannot persist slack thread');
    });
  }

  private finish(
    channel: Channel,
    p: Pending,
    result: 'sent' | 'deduplicated' | 'permanent',
    reason?: string,
  ): void {
    channel.items.shift();
    this.pending.delete(p.entry.id);
    this.completed.add(p.entry.id);
    if (this.completed.size > completedMemory) {
      const oldest = this.completed.values().next().value;
      if (oldest !== undefined) this.completed.delete(oldest);
    }
    this.options.metrics?.pending.set(this.pending.size);
    if (result === 'permanent') {
      this.options.metrics?.permanentFailures.inc({ reason: reason ?? 'unknown' });
      this.options.logger.warn(
        { id: p.entry.id, trigger: p.entry.trigger, reason },
        'notification failed permanently',
      );
      this.options.onPermanentFailure?.(p.owner, p.entry, reason ?? 'unknown');
    }
    void this.removeEntry(p, 0, p.entry.markSent === true, result === 'permanent');
  }

  private async removeEntry(
    p: Pending,
    attempt: number,
    markSent = p.entry.markSent === true,
    failed = false,
  ): Promise<void> {
    try {
      await this.options.store.complete(
        p.owner,
        p.entry.id,
        markSent,
        sentMarkerValue(Date.now(), p.entry, failed),
      );
    } catch (err) {
      if (this.stopped || attempt >= 10) {
        this.options.logger.warn(
          { err, id: p.entry.id },
          'cannot remove finished outbox entry; it will be checked again',
        );
        return;
      }
      await this.sleep(backoffMs(attempt + 1, { initialMs: 500, maxMs: 10_000 }));
      await this.removeEntry(p, attempt + 1, markSent, failed);
    }
  }
}
