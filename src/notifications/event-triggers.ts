import type { DurableEventBatch, DurableEventListener } from '../core/index.js';
import { isConflict, isNotFound, type KubeClient, type KubeObject, type Reflector } from '../kube/index.js';
import { buildEntries, type ProblemContext, reportProblems } from './build-entries.js';
import type { ConfigSource } from './config-source.js';
import type { DeliveryEngine } from './delivery.js';
import { NotificationError, NotificationErrorCode } from './errors.js';
import { isNotificationKind, type NotificationKind } from './kinds.js';
import {
  encodeEntry,
  type OutboxEntry,
  outboxAnnotation,
  readOutbox,
  sentAnnotation,
  stableId,
  staleSentMarkers,
} from './outbox-entry.js';
import { eventId, planEventNotifications, type TriggerEvent } from './plan.js';
import type { Renderer } from './render-pool.js';
import { defaultAnnotationPrefix, legacyRecipientsAnnotation } from './subscriptions.js';
import type { TriggerEvaluator } from './triggers.js';

export interface EventTriggerDeps {
  /** Watched kinds by Kubernetes kind, with their informers. */
  readonly kinds: ReadonlyMap<
    string,
    { readonly kind: NotificationKind; readonly informer: Reflector<KubeObject> }
  >;
  readonly client: KubeClient;
  readonly configs: ConfigSource;
  readonly delivery: DeliveryEngine;
  readonly evaluator: TriggerEvaluator;
  readonly renderer: Renderer;
  readonly problems: ProblemContext;
  /** Only objects in this namespace. Default all. */
  readonly namespace?: string;
  readonly now: () => Date;
}

/**
 * Event triggers (Argo Rollouts style: event reason `RolloutStepCompleted` fires `on-rollout-step-completed`)
 * as a durable event listener. For events recorded with a snapshot (`recordDurable`, before the controller
 * commits the transition), the notifications are rendered from that snapshot and written to the object's
 * outbox with ids deterministic for the event, guarded by the snapshot's resourceVersion; the written object is
 * returned so the caller commits against it. A repeat of the same transition (a crash before the commit) finds
 * its entries pending or marked sent and writes nothing new. Events recorded without a snapshot are handled the
 * same way, best effort, from the cached object.
 */
export class EventTriggers {
  private seq = 0;
  /** One object's events are handled in the order they were recorded (their messages go out in that order). */
  private readonly chains = new Map<string, Promise<unknown>>();
  readonly listener: DurableEventListener = (batch) => this.handle(batch);

  constructor(private readonly deps: EventTriggerDeps) {}

  handle(batch: DurableEventBatch): Promise<KubeObject | undefined> {
    const m = batch.subject.metadata;
    const key = `${batch.subject.kind ?? ''}/${m.namespace ?? ''}/${m.name ?? ''}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.process(batch));
    this.chains.set(key, next);
    const forget = () => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  private async process(batch: DurableEventBatch): Promise<KubeObject | undefined> {
    const { deps } = this;
    const kindName = batch.subject.kind;
    if (!isNotificationKind(kindName)) return undefined;
    const watched = deps.kinds.get(kindName);
    const m = batch.subject.metadata;
    if (watched === undefined || (deps.namespace !== undefined && m.namespace !== deps.namespace))
      return undefined;
    const durable = batch.snapshot !== undefined;
    const object = batch.snapshot ?? (await this.current(watched.kind, m.namespace, m.name));
    if (object === undefined) return undefined;
    const { kind } = watched;
    // entries an earlier attempt from the same committed state stored (see `write`)
    const from = durable ? batch.transition : undefined;
    const attempted = from === undefined ? [] : readOutbox(object).entries.filter((e) => e.from === from);
    if (!deps.configs.hasSynced) {
      // only an object that subscribes by annotation waits for the configuration (global subscriptions by
      // label cannot be told before it is loaded; an unreadable configuration must not stall every Rollout)
      const subscribes = Object.keys(object.metadata.annotations ?? {}).some(
        (k) => k.startsWith(`${defaultAnnotationPrefix}/`) || k.endsWith(legacyRecipientsAnnotation),
      );
      // a decision without events stores nothing whatever the configuration: only its cleanup runs
      if (durable && subscribes && batch.events.length > 0)
        throw new NotificationError(
          NotificationErrorCode.NotReady,
          'notification configuration is not loaded yet; retrying',
        );
      return this.write(kind, object, [], attempted, durable);
    }
    const apis = deps.configs.apisFor(kind, m.namespace ?? '');
    if (apis.length === 0 || batch.events.length === 0)
      return this.write(kind, object, [], attempted, durable);
    const uid = object.metadata.uid ?? `${m.namespace ?? ''}/${m.name ?? ''}`;
    const occurrences = new Map<string, number>();
    const events: TriggerEvent[] = batch.events.map((e) => {
      if (!durable)
        return {
          id: stableId('event', uid, String(e.timestamp), String(++this.seq), e.reason, e.message),
          reason: e.reason,
        };
      const k = `${e.reason}\u0000${e.message}`;
      const n = occurrences.get(k) ?? 0;
      occurrences.set(k, n + 1);
      return { id: eventId(uid, batch.transition ?? '', e, n), reason: e.reason };
    });
    const now = deps.now();
    const plan = planEventNotifications({ kind, object, apis, events, now, evaluator: deps.evaluator });
    const subject = { ...kind.gvk, metadata: object.metadata };
    const annotations = object.metadata.annotations ?? {};
    const fresh = plan.deliveries.filter(
      (d) =>
        !deps.delivery.knows(d.id) &&
        annotations[outboxAnnotation(d.id)] === undefined &&
        annotations[sentAnnotation(d.id)] === undefined,
    );
    const built = await buildEntries(fresh, deps.renderer, now.getTime(), {
      markSent: durable,
      ...(from !== undefined && { from }),
    });
    reportProblems(deps.problems, subject, { ...plan, failures: [...plan.failures, ...built.failures] });
    const decided = new Set(plan.deliveries.map((d) => d.id));
    return this.write(
      kind,
      object,
      built.entries,
      attempted.filter((e) => !decided.has(e.id)),
      durable,
    );
  }

  /**
   * The object an event without a snapshot is about: from the cache, or read once when the cache has not
   * seen it yet (an event recorded right after the object was created, from another component's view).
   */
  private async current(
    kind: NotificationKind,
    namespace?: string,
    name?: string,
  ): Promise<KubeObject | undefined> {
    const cached = this.deps.kinds.get(kind.gvk.kind)?.informer.store.get(`${namespace ?? ''}/${name ?? ''}`);
    if (cached !== undefined || name === undefined) return cached;
    try {
      return await this.deps.client.get<KubeObject>({
        ...kind.gvk,
        ...(namespace !== undefined && { namespace }),
        name,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * One annotation patch: adds the new entries and removes `obsolete` ones (pending entries of an attempt from
   * the same committed state that was never committed and has now been decided differently). It precedes the
   * status write that moves the status away from that state, so an entry still present once the status moved
   * on was committed. Writes nothing when there is nothing to add or remove.
   */
  private async write(
    kind: NotificationKind,
    object: KubeObject,
    entries: readonly OutboxEntry[],
    obsolete: readonly OutboxEntry[],
    durable: boolean,
  ): Promise<KubeObject | undefined> {
    const { deps } = this;
    const m = object.metadata;
    if (entries.length === 0 && obsolete.length === 0) return undefined;
    const patch: Record<string, string | null> = {};
    for (const e of entries) patch[outboxAnnotation(e.id)] = encodeEntry(e);
    for (const e of obsolete) patch[outboxAnnotation(e.id)] = null;
    if (entries.length > 0) for (const stale of staleSentMarkers(object)) patch[stale] = null;
    const ref = { ...kind.gvk, namespace: m.namespace ?? '', name: m.name ?? '' };
    let written: KubeObject;
    try {
      written = await deps.client.patch<KubeObject>(
        ref,
        {
          metadata: {
            uid: object.metadata.uid,
            ...(durable && { resourceVersion: object.metadata.resourceVersion }),
            annotations: patch,
          },
        },
        { type: 'merge' },
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      if (isConflict(err) && durable)
        throw new NotificationError(
          NotificationErrorCode.Conflict,
          'the object changed while its event notifications were recorded; retrying',
          { cause: err },
        );
      throw err;
    }
    if (obsolete.length > 0)
      deps.problems.logger.info(
        { object: ref.name, namespace: ref.namespace, dropped: obsolete.map((e) => e.id) },
        'dropped notifications of a transition that was never committed',
      );
    for (const e of obsolete) deps.delivery.discard(e.id);
    const owner = { ...kind.gvk, namespace: ref.namespace, name: ref.name, uid: written.metadata.uid ?? '' };
    for (const entry of entries) deps.delivery.enqueue(owner, entry, false);
    return durable ? written : undefined;
  }
}
