import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { canonicalJson } from '../go/index.js';
import { isAlreadyExists, isNotFound, type KubeClient, type KubeObject } from '../kube/index.js';
import type { Logger } from '../observability/index.js';
import { type Clock, systemClock } from './clock.js';
import { type CorrelatedEvent, type CorrelatorOptions, EventCorrelator } from './event-correlator.js';

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
  /** Remembered series, similar-event groups and objects (each). Default 4096. */
  readonly cacheSize?: number;
  /** client-go's correlator settings (aggregation, spam filter); defaults are client-go's. */
  readonly correlation?: CorrelatorOptions;
  /**
   * Events written at once. Default 4: a burst of events (500 Rollouts stepping together) must not
   * crowd out the status and scale writes that move rollouts on; client-go writes one at a time.
   */
  readonly maxConcurrentWrites?: number;
  /** Events waiting to be written before new ones are dropped (and logged). Default 10,000. */
  readonly maxBacklog?: number;
}

/** One queued Event write: a create, or an update of the Event a series already has. */
interface PendingWrite {
  readonly subject: EventSubject;
  readonly type: EventType;
  readonly reason: string;
  event: CorrelatedEvent;
}

const pickVersion = (o: KubeObject) =>
  o.metadata.resourceVersion !== undefined ? { resourceVersion: o.metadata.resourceVersion } : {};

const kubeTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Writes core/v1 Events through client-go's correlator (event-correlator.ts): a repeat of the same (object,
 * type, reason, message) bumps `count` and `lastTimestamp` of the Event already written instead of creating
 * another (`kubectl describe` shows "x5 over 2m"), similar events are combined from the 10th distinct message
 * in 10 minutes, and each object gets 25 Events of burst, refilled at one per 5 minutes. Occurrences of one
 * series still waiting to be written are merged into one write. Writes never fail a reconcile: errors are
 * logged. In-process listeners see every event as it is recorded, written or filtered; durable listeners (the
 * notification engine's event triggers) store what an event implies before the caller commits
 * (`recordDurable`), so nothing they do depends on an Event being written.
 */
export class EventRecorder {
  private readonly correlator: EventCorrelator;
  private readonly listeners: EventListener[] = [];
  private readonly durableListeners: DurableEventListener[] = [];
  /** Writes waiting, oldest first, at most one per series (later occurrences merge into it). */
  private readonly backlog = new Map<string, PendingWrite>();
  /** Series with a write in flight: the next write of one waits for it (a patch must follow its create). */
  private readonly inFlight = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private dropped = 0;
  private filtered = 0;
  private readonly clock: Clock;
  private readonly host = hostname();

  constructor(private readonly options: EventRecorderOptions) {
    this.clock = options.clock ?? systemClock;
    this.correlator = new EventCorrelator({
      ...(options.cacheSize !== undefined && { cacheSize: options.cacheSize }),
      ...options.correlation,
    });
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
    const m = event.subject.metadata;
    const object = m.uid ?? `${event.subject.kind ?? ''}/${m.namespace ?? ''}/${m.name ?? ''}`;
    const correlation = this.correlator.correlate(
      { object, type: event.type, reason, message: event.message },
      event.timestamp,
      eventName(m.name, event.timestamp),
    );
    if (correlation.skip) {
      this.filtered += 1;
      if (this.filtered === 1 || this.filtered % 1000 === 0)
        this.options.logger.info({ filtered: this.filtered, reason }, 'event rate limited per object');
      return;
    }
    const { event: correlated } = correlation;
    const queued = this.backlog.get(correlated.key);
    if (queued !== undefined) {
      // not written yet: one write carries both occurrences (a queued create stays a create)
      queued.event = { ...correlated, existing: queued.event.existing };
      return;
    }
    if (this.backlog.size >= (this.options.maxBacklog ?? 10_000)) {
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0)
        this.options.logger.warn({ dropped: this.dropped, reason }, 'event backlog full, dropping events');
      return;
    }
    // the backlog keeps only what the Event names, not the whole object (a burst can be thousands)
    const { apiVersion, kind } = event.subject;
    const subject: EventSubject = {
      ...(apiVersion !== undefined && { apiVersion }),
      ...(kind !== undefined && { kind }),
      metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion },
    };
    this.backlog.set(correlated.key, { subject, type: event.type, reason, event: correlated });
    this.pump();
  }

  /** Waits until every recorded event has been written (tests, shutdown). */
  async flush(): Promise<void> {
    if (this.inFlight.size === 0 && this.backlog.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    const max = this.options.maxConcurrentWrites ?? 4;
    if (this.inFlight.size >= max) return;
    for (const [key, write] of this.backlog) {
      if (this.inFlight.size >= max) return;
      if (this.inFlight.has(key)) continue;
      this.backlog.delete(key);
      this.inFlight.add(key);
      void this.write(write)
        .catch((err: unknown) =>
          this.options.logger.warn(
            { err, reason: write.reason, object: write.subject.metadata.name },
            'cannot record event',
          ),
        )
        .finally(() => {
          this.inFlight.delete(key);
          this.pump();
          if (this.inFlight.size === 0 && this.backlog.size === 0)
            for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }

  private async write(w: PendingWrite): Promise<void> {
    const m = w.subject.metadata;
    const namespace = m.namespace || 'default';
    const e = w.event;
    if (e.existing) {
      try {
        await this.options.client.patch(
          { apiVersion: 'v1', kind: 'Event', namespace, name: e.name },
          { count: e.count, lastTimestamp: kubeTime(e.lastTimestamp), message: e.message },
          { type: 'merge' },
        );
        return;
      } catch (err) {
        // gone (expired, deleted): created again under its name with its count, as client-go does
        if (!isNotFound(err)) throw err;
      }
    }
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: e.name, namespace },
      involvedObject: {
        apiVersion: w.subject.apiVersion,
        kind: w.subject.kind,
        name: m.name,
        namespace: m.namespace,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
      },
      reason: w.reason,
      message: e.message,
      type: w.type,
      source: { component: this.options.component, host: this.host },
      reportingComponent: this.options.component,
      reportingInstance: this.host,
      firstTimestamp: kubeTime(e.firstTimestamp),
      lastTimestamp: kubeTime(e.lastTimestamp),
      count: e.count,
    };
    try {
      await this.options.client.create(body);
    } catch (err) {
      // a create that raced its own retry: the Event is there
      if (!isAlreadyExists(err)) throw err;
    }
  }
}

/** client-go names an Event `<object>.<unix nanos in hex>`; a random tail keeps two in one millisecond apart. */
function eventName(objectName: string | undefined, timestamp: number): string {
  const nanos = BigInt(timestamp) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6));
  return `${objectName ?? 'object'}.${nanos.toString(16)}`;
}
