import type { ReconcileContext, ReconcileRequest, ReconcileResult, Reconciler } from '../core/index.js';
import { isConflict, isNotFound, type KubeClient, type KubeObject, type Reflector } from '../kube/index.js';
import { buildEntries, type ProblemContext, reportProblems } from './build-entries.js';
import type { ConfigSource } from './config-source.js';
import type { DeliveryEngine } from './delivery.js';
import { NotificationError, NotificationErrorCode } from './errors.js';
import type { NotificationKind } from './kinds.js';
import { notifiedAnnotation } from './notified-state.js';
import { ObservedStates, planObservedStates } from './observed-states.js';
import {
  encodeEntry,
  type OutboxEntry,
  outboxAnnotation,
  readOutbox,
  readThread,
  threadAnnotationPrefix,
} from './outbox-entry.js';
import type { OutboxOwner } from './outbox-store.js';
import type { NotificationPlan, PlannedFailure } from './plan.js';
import type { Renderer } from './render-pool.js';
import type { TriggerEvaluator } from './triggers.js';

export interface NotificationReconcilerDeps {
  readonly kind: NotificationKind;
  readonly informer: Reflector<KubeObject>;
  readonly client: KubeClient;
  readonly configs: ConfigSource;
  readonly delivery: DeliveryEngine;
  readonly evaluator: TriggerEvaluator;
  readonly renderer: Renderer;
  readonly problems: ProblemContext;
  readonly now: () => Date;
  /** States the watch delivered since the last reconcile (default: only the cache's current one). */
  readonly observed?: ObservedStates;
}

const maxWriteAttempts = 5;

const needsWrite = (plan: NotificationPlan): boolean =>
  plan.notifiedAnnotation !== undefined || plan.deliveries.length > 0;

/**
 * One reconcile of one object: recover outbox entries left by a previous process (or written by the event
 * triggers), evaluate state triggers on the state observed in the cache (as upstream does: a short-lived
 * state replaced before the write still notifies), and write the new notified state plus the new outbox
 * entries in ONE patch guarded by the resourceVersion of a fresh read, whose notified state decides what was
 * already sent (so a stale cache can never send twice). Only then are the entries handed to the delivery engine.
 */
export class NotificationReconciler implements Reconciler {
  private readonly observed: ObservedStates;

  constructor(private readonly deps: NotificationReconcilerDeps) {
    this.observed = deps.observed ?? new ObservedStates();
  }

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
    const cached = deps.informer.store.get(req.key);
    if (cached === undefined) {
      this.observed.forget(req.key);
      return undefined;
    }
    this.recover(cached);
    const apis = deps.configs.apisFor(deps.kind, req.namespace);
    if (apis.length === 0) {
      this.observed.forget(req.key);
      return undefined;
    }
    // Triggers see every state the watch delivered since the last reconcile; what was already sent comes
    // from the fresh read.
    const observations = [...this.observed.peek(req.key)];
    if (observations.at(-1)?.metadata.resourceVersion !== cached.metadata.resourceVersion)
      observations.push(cached);
    const plan = (fresh: KubeObject) =>
      planObservedStates(
        { kind: deps.kind, apis, now: deps.now(), evaluator: deps.evaluator },
        observations,
        fresh,
      );
    let result = plan(cached);
    let object = cached;
    let entries: OutboxEntry[] = [];
    let renderFailures: PlannedFailure[] = [];
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
          this.observed.forget(req.key);
          return undefined;
        }
        this.recover(object);
        result = plan(object);
        if (!needsWrite(result)) break;
        ({ entries, failures: renderFailures } = await buildEntries(
          result.deliveries,
          deps.renderer,
          deps.now().getTime(),
        ));
        const annotations: Record<string, string | null> = {};
        if (result.notifiedAnnotation !== undefined)
          annotations[notifiedAnnotation] = result.notifiedAnnotation.value ?? null;
        for (const e of entries) annotations[outboxAnnotation(e.id)] = encodeEntry(e);
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
      if (!committed) entries = [];
    }
    reportProblems(deps.problems, this.subject(object), {
      ...result,
      failures: [...result.failures, ...renderFailures],
    });
    this.observed.ack(req.key, observations);
    const owner = this.owner(object);
    for (const entry of entries) deps.delivery.enqueue(owner, entry, false);
    if (entries.length > 0) ctx.logger.debug({ entries: entries.length }, 'notifications queued');
    return undefined;
  }
}
