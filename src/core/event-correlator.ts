/**
 * client-go's EventCorrelator (k8s.io/client-go/tools/record/events_cache.go), as data in and data out:
 *
 * - **aggregation**: events about one object from one source with the same type and reason but different
 *   messages are similar; from the 10th distinct message within 10 minutes of the previous similar one, they
 *   are recorded as one Event whose message reads "(combined from similar events): <latest message>";
 * - **deduplication**: a repeat of an identical event (or of the combined one) increments `count` of the Event
 *   already written instead of creating another;
 * - **spam filter**: a token bucket per (source, object, type, reason), 25 events of burst refilled at one
 *   per 5 minutes; an event without a token is not written at all (repeats included, as in client-go).
 *   client-go keys the bucket by (source, object, type) alone, so after 25 Events of any reason an object
 *   gets one per 5 minutes: a Rollout would go quiet after two updates (12 Events each) and `kubectl
 *   describe` would stop showing a rollback's SkipSteps. Keyed by reason as well, a loop repeating one
 *   reason is still bounded, and the bound per object stays finite (one bucket per reason).
 *
 * No clock and no I/O: the caller passes `now` and the name a new Event would get. Memory is bounded by three
 * LRU maps of `cacheSize` entries each.
 */

export interface CorrelatorOptions {
  /** Entries in each of the three caches. Default 4096 (client-go's maxLruCacheEntries). */
  readonly cacheSize?: number;
  /** Distinct messages of similar events before they are combined. Default 10. */
  readonly aggregateMaxEvents?: number;
  /** A similar event older than this starts a new aggregation window. Default 10 min. */
  readonly aggregateIntervalMs?: number;
  /** Events per (source, object, type, reason) before the filter drops them. Default 25. */
  readonly spamBurst?: number;
  /** Milliseconds to earn one more event back. Default 5 min (client-go's qps 1/300). */
  readonly spamRefillMs?: number;
}

/** What the correlator needs to know of an event. */
export interface CorrelatorInput {
  /** The involved object: uid when known, else kind/namespace/name. */
  readonly object: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

/** An Event to create (`existing` absent) or to update (count and lastTimestamp, maybe message). */
export interface CorrelatedEvent {
  /** Identifies the Event series: the same key for every occurrence written to one Event object. */
  readonly key: string;
  readonly name: string;
  readonly message: string;
  readonly count: number;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  /** True when an Event for this series was already handed out (patch it; create it if it is gone). */
  readonly existing: boolean;
}

export type Correlation = { readonly skip: true } | { readonly skip: false; readonly event: CorrelatedEvent };

export const COMBINED_PREFIX = '(combined from similar events): ';

interface Aggregate {
  readonly messages: Set<string>;
  last: number;
}

interface Observation {
  readonly name: string;
  readonly firstTimestamp: number;
  count: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** A Map that forgets its least recently used entry beyond `max`. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  get size(): number {
    return this.map.size;
  }
}

const SEP = '\u0000';

export class EventCorrelator {
  private readonly aggregates: Lru<Aggregate>;
  private readonly observations: Lru<Observation>;
  private readonly buckets: Lru<Bucket>;
  private readonly maxEvents: number;
  private readonly intervalMs: number;
  private readonly burst: number;
  private readonly refillMs: number;

  constructor(options: CorrelatorOptions = {}) {
    const size = options.cacheSize ?? 4096;
    this.aggregates = new Lru(size);
    this.observations = new Lru(size);
    this.buckets = new Lru(size);
    this.maxEvents = options.aggregateMaxEvents ?? 10;
    this.intervalMs = options.aggregateIntervalMs ?? 600_000;
    this.burst = options.spamBurst ?? 25;
    this.refillMs = options.spamRefillMs ?? 300_000;
  }

  /** Aggregates, deduplicates and filters one event; `newName` names the Event should one be created. */
  correlate(input: CorrelatorInput, now: number, newName: string): Correlation {
    const similarKey = [input.object, input.type, input.reason].join(SEP);
    let key = [similarKey, input.message].join(SEP);
    let message = input.message;

    // aggregation (client-go's EventAggregate)
    let aggregate = this.aggregates.get(similarKey);
    if (aggregate === undefined || now - aggregate.last > this.intervalMs)
      aggregate = { messages: new Set(), last: now };
    aggregate.messages.add(input.message);
    aggregate.last = now;
    this.aggregates.set(similarKey, aggregate);
    if (aggregate.messages.size >= this.maxEvents) {
      // do not grow the set any larger than max
      aggregate.messages.delete(aggregate.messages.values().next().value as string);
      key = similarKey;
      message = COMBINED_PREFIX + input.message;
    }

    // deduplication (client-go's eventObserve)
    const seen = this.observations.get(key);
    const observation: Observation =
      seen !== undefined
        ? { ...seen, count: seen.count + 1 }
        : { name: newName, firstTimestamp: now, count: 1 };
    this.observations.set(key, observation);

    // spam filter (client-go's EventSourceObjectSpamFilter), after the observation as client-go orders it
    if (!this.takeToken(similarKey, now)) return { skip: true };
    return {
      skip: false,
      event: {
        key,
        name: observation.name,
        message,
        count: observation.count,
        firstTimestamp: observation.firstTimestamp,
        lastTimestamp: now,
        existing: seen !== undefined,
      },
    };
  }

  /** The Event of a series is gone (deleted or expired on the server): the next occurrence creates one. */
  forget(key: string): void {
    this.observations.delete(key);
  }

  private takeToken(key: string, now: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    const earned = Math.max(0, now - bucket.at) / this.refillMs;
    bucket.tokens = Math.min(this.burst, bucket.tokens + earned);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
