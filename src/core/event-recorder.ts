import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { canonicalJson } from '../go/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../kube/index.js';
import type { Logger } from '../observability/index.js';
import { type Clock, systemClock } from './clock.js';

export type EventType = 'Normal' | 'Warning';

/** What an event is about. */
export interface EventSubject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
  };
}

export interface RecordedEvent {
  readonly subject: EventSubject;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly timestamp: number;
}

export type EventListener = (event: RecordedEvent) => void;

/** Events handed to durable listeners. */
export interface DurableEventBatch {
  readonly subject: EventSubject;
  /**
   * The object as it is once the transition that produced the events is committed (for a Rollout: its new
   * status), so what is stored describes the object at the event. Absent for events recorded with `record`
   * (best effort: the listener uses what it has).
   */
  readonly snapshot?: KubeObject;
  /**
   * Identifies the committed state the transition starts from: a repeat of the transition (after a crash
   * before its commit) carries the same value, so what the listener stores for it is found again.
   */
  readonly transition?: string;
  readonly events: readonly RecordedEvent[];
}

/**
 * Stores what must survive the events (notification outbox entries) and returns the object as written, or
 * `undefined` when it wrote nothing. A rejection fails `recordDurable` (the caller retries; nothing is
 * acknowledged before it is stored).
 */
export type DurableEventListener = (batch: DurableEventBatch) => Promise<KubeObject | undefined>;

/**
 * Identifies a committed state: sha256 of the canonical JSON of an object's `status` (`{}` when absent). The
 * controller passes it as `transition` to `recordDurable` for the status it decides from, and the notification
 * sender compares it with the status of the object it observes, so both MUST use this one function on the
 * status exactly as the API server returns it (a status written and read back hashes the same: the server
 * returns what it stored, pruned and defaulted, to the writer and to every watcher alike).
 */
export function transitionOf(status: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(status ?? {}))
    .digest('hex');
}

/** An event to record. */
export interface EventSpec {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
}

export interface EventRecorderOptions {
  readonly client: KubeClient;
  /** `source.component` / `reportingComponent`, e.g. "slipway-rollouts". */
  readonly component: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Remembered series for aggregation. Default 4096. */
  readonly cacheSize?: number;
  /**
   * Events written at once. Default 4: a burst of events (500 Rollouts stepping together) must not
   * crowd out the status and scale writes that move rollouts on; client-go writes one at a time.
   */
  readonly maxConcurrentWrites?: number;
  /** Events waiting to be written before new ones are dropped (and logged). Default 10,000. */
  readonly maxBacklog?: number;
}

interface Series {
  readonly name: string;
  readonly namespace: string;
  count: number;
}

/**
 * Writes core/v1 Events like client-go's recorder: a repeat of the same (object, type, reason,
 * message) bumps `count` and `lastTimestamp` of the existing Event instead of creating another, so
 * `kubectl describe` shows "x5 over 2m". Writes never fail a reconcile: errors are logged. In-process
 * listeners see every event as it is recorded; durable listeners (the notification engine's event
 * triggers) store what an event implies before the caller commits (`recordDurable`).
 */
const pickVersion = (o: KubeObject) =>
  o.metadata.resourceVersion !== undefined ? { resourceVersion: o.metadata.resourceVersion } : {};

export class EventRecorder {
  private readonly series = new Map<string, Series>();
  private readonly listeners: EventListener[] = [];
  private readonly durableListeners: DurableEventListener[] = [];
  private readonly backlog: RecordedEvent[] = [];
  private backlogHead = 0;
  private writing = 0;
  private idleWaiters: (() => void)[] = [];
  private dropped = 0;
  private readonly clock: Clock;
  private readonly host = hostname();

  constructor(private readonly options: EventRecorderOptions) {
    this.clock = options.clock ?? systemClock;
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Listeners that persist what an event implies before its transition is committed (see `recordDurable`). */
  onEventDurable(listener: DurableEventListener): void {
    this.durableListeners.push(listener);
  }

  /**
   * Records events whose side effects must be stored BEFORE the caller commits the transition that produced
   * them: awaits every durable listener with the snapshot (each one sees the object as the previous one wrote
   * it), then records the Events as `record` does. Returns the object as last written by a listener
   * (its `resourceVersion` is the one to write against), or `undefined` when none wrote. Throws when a
   * listener fails; then no Event is recorded. With a `transition`, listeners are called even for no events:
   * a transition without events must still drop what an uncommitted, differently decided attempt from the same
   * state stored (a listener that has nothing to do writes nothing).
   */
  async recordDurable(
    subject: EventSubject,
    snapshot: KubeObject,
    specs: readonly EventSpec[],
    options: { readonly transition?: string } = {},
  ): Promise<KubeObject | undefined> {
    if (specs.length === 0 && options.transition === undefined) return undefined;
    const timestamp = this.clock.now();
    const events = specs.map((e): RecordedEvent => ({ subject, ...e, timestamp }));
    let current = snapshot;
    let written: KubeObject | undefined;
    for (const l of this.durableListeners) {
      const out = await l({
        subject,
        snapshot: current,
        events,
        ...(options.transition !== undefined && { transition: options.transition }),
      });
      if (out === undefined) continue;
      written = out;
      current = { ...current, metadata: { ...current.metadata, ...pickVersion(out) } };
    }
    for (const e of events) this.emit(e, false);
    return written;
  }

  normal(subject: EventSubject, reason: string, message: string): void {
    this.record(subject, 'Normal', reason, message);
  }

  warning(subject: EventSubject, reason: string, message: string): void {
    this.record(subject, 'Warning', reason, message);
  }

  record(subject: EventSubject, type: EventType, reason: string, message: string): void {
    const timestamp = this.clock.now();
    this.emit({ subject, type, reason, message, timestamp }, true);
  }

  private emit(event: RecordedEvent, notifyDurable: boolean): void {
    const { reason } = event;
    if (notifyDurable)
      for (const l of this.durableListeners)
        Promise.resolve()
          .then(() => l({ subject: event.subject, events: [event] }))
          .catch((err: unknown) => this.options.logger.warn({ err, reason }, 'event listener failed'));
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.options.logger.error({ err, reason }, 'event listener failed');
      }
    }
    if (this.backlog.length - this.backlogHead >= (this.options.maxBacklog ?? 10_000)) {
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0)
        this.options.logger.warn({ dropped: this.dropped, reason }, 'event backlog full, dropping events');
      return;
    }
    // the backlog keeps only what the Event names, not the whole object (a burst can be thousands)
    const { apiVersion, kind, metadata: m } = event.subject;
    const slim: EventSubject = {
      ...(apiVersion !== undefined && { apiVersion }),
      ...(kind !== undefined && { kind }),
      metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion },
    };
    this.backlog.push({ ...event, subject: slim });
    this.pump();
  }

  /** Waits until every recorded event has been written (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.writing === 0 && this.backlogHead === this.backlog.length) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.writing < (this.options.maxConcurrentWrites ?? 4) && this.backlogHead < this.backlog.length) {
      const event = this.backlog[this.backlogHead++] as RecordedEvent;
      if (this.backlogHead === this.backlog.length) {
        this.backlog.length = 0;
        this.backlogHead = 0;
      } else if (this.backlogHead > 1024 && this.backlogHead * 2 > this.backlog.length) {
        this.backlog.splice(0, this.backlogHead);
        this.backlogHead = 0;
      }
      this.writing += 1;
      void this.write(event)
        .catch((err: unknown) =>
          this.options.logger.warn(
            { err, reason: event.reason, object: event.subject.metadata.name },
            'cannot record event',
          ),
        )
        .finally(() => {
          this.writing -= 1;
          this.pump();
          if (this.writing === 0 && this.backlogHead === this.backlog.length)
            for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }

  private async write(e: RecordedEvent): Promise<void> {
    const m = e.subject.metadata;
    const namespace = m.namespace || 'default';
    const key = [m.uid ?? `${namespace}/${m.name}`, e.type, e.reason, e.message].join('\u0000');
    const now = new Date(e.timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const known = this.series.get(key);
    if (known) {
      known.count += 1;
      try {
        await this.options.client.patch(
          { apiVersion: 'v1', kind: 'Event', namespace: known.namespace, name: known.name },
          { count: known.count, lastTimestamp: now },
          { type: 'merge' },
        );
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.series.delete(key);
      }
    }
    const name = `${m.name ?? 'object'}.${(BigInt(e.timestamp) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`;
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: e.subject.apiVersion,
        kind: e.subject.kind,
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
      },
      reason: e.reason,
      message: e.message,
      type: e.type,
      source: { component: this.options.component, host: this.host },
      reportingComponent: this.options.component,
      reportingInstance: this.host,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    await this.options.client.create(body);
    this.remember(key, { name, namespace, count: 1 });
  }

  private remember(key: string, s: Series): void {
    const max = this.options.cacheSize ?? 4096;
    if (this.series.size >= max) {
      const oldest = this.series.keys().next().value;
      if (oldest !== undefined) this.series.delete(oldest);
    }
    this.series.set(key, s);
  }
}
