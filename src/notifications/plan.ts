import type { KubeObject } from '../kube/index.js';
import type { NotificationConfig, NotificationProblem } from './config.js';
import type { NotificationKind } from './kinds.js';
import {
  markNotified,
  type NotifiedState,
  notificationKey,
  notifiedAnnotation,
  parseNotifiedState,
  rearm,
  serializeNotifiedState,
  shouldNotify,
} from './notified-state.js';
import { type OutboxEntry, stableId } from './outbox-entry.js';
import type { TemplateRenderer } from './render.js';
import { type Destination, resolveDestinations } from './subscriptions.js';
import { eventTriggerName, isEventTrigger, type TriggerEvaluator } from './triggers.js';
import { templateData, triggerEnv, type VarsInput } from './vars.js';

/**
 * Decides what to send for one object (pure): state triggers against the notified-state annotation, and
 * event triggers for the events recorded since the last reconcile. Returns the new annotation state, the
 * outbox entries to write, and failures that retrying cannot fix (reported, never retried).
 */

/** One parsed ConfigMap + Secret. */
export interface NotificationApi {
  /** `namespace/configmap`. */
  readonly id: string;
  /**
   * Prefix of notified-state keys, for configurations in the object's own namespace that are not the
   * controller's (upstream self-service notifications prefix keys with the namespace). Default none.
   */
  readonly keyPrefix?: string;
  readonly config: NotificationConfig;
  readonly secrets: Readonly<Record<string, string>>;
}

/** An event recorded on the object that may fire an event trigger. */
export interface TriggerEvent {
  /** Unique per recorded event (reason, time, message). */
  readonly id: string;
  readonly reason: string;
}

export interface PlanInput {
  readonly kind: NotificationKind;
  readonly object: KubeObject;
  readonly apis: readonly NotificationApi[];
  readonly events: readonly TriggerEvent[];
  readonly now: Date;
  readonly evaluator: TriggerEvaluator;
  readonly renderer: TemplateRenderer;
}

export interface PlannedFailure {
  readonly trigger: string;
  readonly service: string;
  readonly recipient: string;
  readonly reason: 'TemplateError' | 'UnknownService';
  readonly message: string;
}

export interface EvaluationError {
  readonly config: string;
  readonly trigger: string;
  readonly condition: number;
  readonly error: string;
}

export interface NotificationPlan {
  readonly notified: NotifiedState;
  /** The annotation value to write (`undefined` deletes it), when it changed. */
  readonly notifiedAnnotation?: { readonly value: string | undefined };
  readonly entries: readonly OutboxEntry[];
  readonly failures: readonly PlannedFailure[];
  readonly evaluationErrors: readonly EvaluationError[];
  readonly subscriptionProblems: readonly NotificationProblem[];
}

function byTrigger(destinations: readonly Destination[]): Map<string, Destination[]> {
  const out = new Map<string, Destination[]>();
  for (const d of destinations) {
    const list = out.get(d.trigger) ?? [];
    list.push(d);
    out.set(d.trigger, list);
  }
  return out;
}

export function planNotifications(input: PlanInput): NotificationPlan {
  const { object, now } = input;
  const meta = object.metadata;
  const uid = meta.uid ?? `${meta.namespace ?? ''}/${meta.name ?? ''}`;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const original = parseNotifiedState(meta.annotations?.[notifiedAnnotation]);
  let state = original;
  const entries: OutboxEntry[] = [];
  const failures: PlannedFailure[] = [];
  const evaluationErrors: EvaluationError[] = [];
  const subscriptionProblems: NotificationProblem[] = [];

  for (const api of input.apis) {
    const vars: VarsInput = {
      kind: input.kind,
      object,
      context: api.config.context,
      secrets: api.secrets,
      now: () => now,
    };
    const resolved = resolveDestinations(
      {
        ...(meta.annotations && { annotations: meta.annotations }),
        ...(meta.labels && { labels: meta.labels }),
      },
      api.config,
    );
    subscriptionProblems.push(...resolved.problems);
    const destinations = byTrigger(resolved.destinations);
    const env = triggerEnv(vars);
    const plan = (trigger: string, templates: readonly string[], dest: Destination, id: string) => {
      const service = api.config.services[dest.service];
      if (service === undefined) {
        const message = `service '${dest.service}' is not configured in ${api.id}`;
        failures.push({ ...dest, reason: 'UnknownService', message });
        return;
      }
      const data = templateData(vars, { serviceType: service.type, recipient: dest.recipient });
      const rendered = input.renderer.render(templates, api.config.templates, data, now);
      if (!rendered.ok) {
        const message = `template '${rendered.template}': ${rendered.error}`;
        failures.push({ ...dest, reason: 'TemplateError', message });
        return;
      }
      entries.push({
        id,
        createdAt: now.getTime(),
        trigger,
        service: dest.service,
        recipient: dest.recipient,
        config: api.id,
        notification: rendered.notification,
      });
    };

    /** Evaluates a trigger's conditions; errors are recorded and left out of the results. */
    const evaluate = (trigger: string, conditions: Parameters<typeof input.evaluator.evaluate>[0]) =>
      input.evaluator.evaluate(conditions, env, now).filter((result) => {
        if (result.outcome !== 'error') return true;
        evaluationErrors.push({
          config: api.id,
          trigger,
          condition: result.index,
          error: result.error ?? '',
        });
        return false;
      });

    // State triggers: send when true and not yet recorded; re-arm when observed false.
    for (const [trigger, dests] of destinations) {
      const conditions = api.config.triggers[trigger];
      if (conditions === undefined || isEventTrigger(trigger, conditions)) continue;
      for (const result of evaluate(trigger, conditions)) {
        for (const dest of dests) {
          const parts = { conditionIndex: result.index, when: result.when, ...dest };
          const prefixed = (key: string) => (api.keyPrefix ? `${api.keyPrefix}:${key}` : key);
          if (result.outcome === 'false') {
            state = rearm(state, prefixed(notificationKey(parts)));
            continue;
          }
          const base = prefixed(notificationKey(parts));
          const key = result.oncePer ? `${result.oncePer}:${base}` : base;
          if (!shouldNotify(state, key, true)) continue;
          state = markNotified(state, key, nowSeconds);
          plan(trigger, result.templates, dest, stableId(uid, api.id, key, meta.resourceVersion ?? ''));
        }
      }
    }

    // Event triggers: every recorded event whose trigger this configuration defines.
    for (const event of input.events) {
      const trigger = eventTriggerName(event.reason);
      const conditions = api.config.triggers[trigger];
      const dests = destinations.get(trigger);
      if (conditions === undefined || dests === undefined) continue;
      for (const result of evaluate(trigger, conditions)) {
        if (result.outcome !== 'true') continue;
        for (const dest of dests) {
          const id = stableId(
            uid,
            api.id,
            event.id,
            trigger,
            String(result.index),
            dest.service,
            dest.recipient,
          );
          plan(trigger, result.templates, dest, id);
        }
      }
    }
  }

  const before = serializeNotifiedState(original);
  const after = serializeNotifiedState(state);
  return {
    notified: state,
    ...(before !== after && { notifiedAnnotation: { value: after } }),
    entries,
    failures,
    evaluationErrors,
    subscriptionProblems,
  };
}
