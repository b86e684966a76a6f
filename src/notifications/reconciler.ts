import type {
  EventRecorder,
  ReconcileContext,
  ReconcileRequest,
  ReconcileResult,
  Reconciler,
} from '../core/index.js';
import { isConflict, isNotFound, type KubeClient, type KubeObject, type Reflector } from '../kube/index.js';
import type { ConfigSource } from './config-source.js';
import type { DeliveryEngine } from './delivery.js';
import { NotificationError, NotificationErrorCode } from './errors.js';
import type { EventInbox } from './event-inbox.js';
import type { NotificationKind } from './kinds.js';
import type { NotificationMetrics } from './metrics.js';
import { notifiedAnnotation } from './notified-state.js';
import {
  encodeEntry,
  outboxAnnotation,
  readOutbox,
  readThread,
  threadAnnotationPrefix,
} from './outbox-entry.js';
import type { OutboxOwner } from './outbox-store.js';
import { type NotificationPlan, planNotifications } from './plan.js';
import type { TemplateRenderer } from './render.js';
import type { TriggerEvaluator } from './triggers.js';

export interface NotificationReconcilerDeps {
  readonly kind: NotificationKind;
  readonly informer: Reflector<KubeObject>;
  readonly client: KubeClient;
  readonly configs: ConfigSource;
  readonly delivery: DeliveryEngine;
  readonly inbox: EventInbox;
  readonly events: EventRecorder;
  readonly evaluator: TriggerEvaluator;
  readonly renderer: TemplateRenderer;
  readonly metrics?: NotificationMetrics;
  readonly now: () => Date;
}

/** How long an event waits for its object to appear in the cache before it is dropped. */
const eventPatienceMs = 30_000;
const maxWriteAttempts = 5;

const needsWrite = (plan: NotificationPlan): boolean =>
  plan.notifiedAnnotation !== undefined || plan.entries.length > 0;

/**
 * One reconcile of one object: recover outbox entries left by a previous process, evaluate state triggers
 * and the events recorded since last time, and write the new notified state plus the new outbox entries in
 * ONE patch guarded by the object's resourceVersion (decided on a fresh read, so a stale cache can never
 * send twice). Only then are the entries handed to the delivery engine.
 */
export class NotificationReconciler implements Reconciler {
  private readonly reported = new Map<string, string>();

  constructor(private readonly deps: NotificationReconcilerDeps) {}

  private owner(object: KubeObject): OutboxOwner {
    const m = object.metadata;
    return { ...this.deps.kind.gvk, namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '' };
  }

  private subject(object: KubeObject) {
    return { ...this.deps.kind.gvk, metadata: object.metadata };
  }

  /** Hands entries and threads persisted on the object to the delivery engine. */
  private recover(object: KubeObject): void {
    const owner = this.owner(object);
    for (const annotation of Object.keys(object.metadata.annotations ?? {})) {
      if (!annotation.startsWith(threadAnnotationPrefix)) continue;
      const thread = readThread(object, annotation);
      if (thread !== undefined) this.deps.delivery.seedThread(owner, annotation, thread);
    }
    const { entries } = readOutbox(object);
    for (const entry of entries) this.deps.delivery.enqueue(owner, entry, true);
  }

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const { deps } = this;
    if (!deps.configs.hasSynced) return { requeueAfterMs: 200 };
    const events = [...deps.inbox.peek(req.key)];
    const cached = deps.informer.store.get(req.key);
    if (cached === undefined) {
      if (events.length === 0) return undefined;
      const expired = events.filter((e) => deps.now().getTime() - e.at > eventPatienceMs);
      deps.inbox.ack(req.key, expired);
      return expired.length < events.length ? { requeueAfterMs: 500 } : undefined;
    }
    this.recover(cached);
    const apis = deps.configs.apisFor(deps.kind, req.namespace);
    if (apis.length === 0) {
      deps.inbox.ack(req.key, events);
      return undefined;
    }
    const plan = (object: KubeObject) =>
      planNotifications({
        kind: deps.kind,
        object,
        apis,
        events,
        now: deps.now(),
        evaluator: deps.evaluator,
        renderer: deps.renderer,
      });
    let result = plan(cached);
    let object = cached;
    if (needsWrite(result)) {
      let committed = false;
      for (let attempt = 0; attempt < maxWriteAttempts && !committed; attempt++) {
        try {
          object = await deps.client.get(
            { ...deps.kind.gvk, namespace: req.namespace, name: req.name },
            { signal: ctx.signal },
          );
        } catch (err) {
          if (!isNotFound(err)) throw err;
          return undefined; // deleted meanwhile: its events go with it once they expire
        }
        this.recover(object);
        result = plan(object);
        if (!needsWrite(result)) break;
        const annotations: Record<string, string | null> = {};
        if (result.notifiedAnnotation !== undefined)
          annotations[notifiedAnnotation] = result.notifiedAnnotation.value ?? null;
        for (const e of result.entries) annotations[outboxAnnotation(e.id)] = encodeEntry(e);
        try {
          await deps.client.patch(
            { ...deps.kind.gvk, namespace: req.namespace, name: req.name },
            { metadata: { resourceVersion: object.metadata.resourceVersion, annotations } },
            { type: 'merge', signal: ctx.signal },
          );
          committed = true;
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
      }
      if (!committed && needsWrite(result)) {
        throw new NotificationError(
          NotificationErrorCode.Conflict,
          'the object kept changing while notifications were recorded; retrying',
        );
      }
    }
    deps.inbox.ack(req.key, events);
    this.report(ctx, object, result);
    const owner = this.owner(object);
    for (const entry of result.entries) deps.delivery.enqueue(owner, entry, false);
    if (result.entries.length > 0)
      ctx.logger.debug({ entries: result.entries.length }, 'notifications queued');
    return undefined;
  }

  private report(ctx: ReconcileContext, object: KubeObject, plan: NotificationPlan): void {
    for (const f of plan.failures) {
      this.deps.metrics?.permanentFailures.inc({ reason: f.reason });
      ctx.logger.warn(
        { trigger: f.trigger, service: f.service, reason: f.reason, problem: f.message },
        'notification cannot be built',
      );
      this.deps.events.warning(
        this.subject(object),
        'NotificationFailed',
        `trigger '${f.trigger}' to ${f.service}:${f.recipient}: ${f.message}; not retried`,
      );
    }
    for (const e of plan.evaluationErrors) {
      this.deps.metrics?.triggerErrors.inc({ trigger: e.trigger });
      ctx.logger.debug(
        { trigger: e.trigger, condition: e.condition, config: e.config, problem: e.error },
        'trigger condition failed to evaluate',
      );
    }
    // Subscription problems are reported once per distinct set per object, not on every reconcile.
    const key = `${object.metadata.uid ?? ''}`;
    const problems = plan.subscriptionProblems.filter((p) => p.severity === 'error');
    const fingerprint = problems.map((p) => `${p.key}:${p.message}`).join('\n');
    if (fingerprint === (this.reported.get(key) ?? '')) return;
    this.reported.set(key, fingerprint);
    if (this.reported.size > 10_000) this.reported.clear();
    for (const p of problems)
      this.deps.events.warning(
        this.subject(object),
        'InvalidNotificationSubscription',
        `annotation '${p.key}': ${p.message}`,
      );
  }
}
