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
import { stableId } from './outbox-entry.js';
import type { RenderJob } from './render.js';
import { type Destination, resolveDestinations } from './subscriptions.js';
import { eventTriggerName, isEventTrigger, type TriggerEvaluator } from './triggers.js';
import { triggerEnv, type VarsInput } from './vars.js';

/**
 * Decides what to send for one object (pure): state triggers against the notified-state annotation
 * (`planNotifications`), or event triggers for events the object just produced (`planEventNotifications`).
 * Returns the deliveries to render and store, and problems that retrying cannot fix (reported, never retried).
 * Rendering is left to the caller (off the reconcile path, with time and memory budgets).
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
  /** Broken or suspicious keys of the ConfigMap (to explain a subscription that cannot work). */
  readonly problems?: readonly NotificationProblem[];
}

/** An event produced by the object that may fire an event trigger. */
export interface TriggerEvent {
  /** Deterministic for the event (see `eventId`): a repeat of the same event yields the same id. */
  readonly id: string;
  readonly reason: string;
}

interface PlanInputBase {
  readonly kind: NotificationKind;
  /** The object as it was at the event (event triggers) or as reconciled (state triggers). */
  readonly object: KubeObject;
  readonly apis: readonly NotificationApi[];
  readonly now: Date;
  readonly evaluator: TriggerEvaluator;
}

export interface PlanInput extends PlanInputBase {
  /**
   * Where the notified state is read from when it is not `object`: a fresher read of the same object. State
   * triggers are evaluated on the state that was observed (a short-lived state such as OutOfSync during a
   * self-heal is not lost because a later one replaced it before the reconcile), while what was already sent
   * comes from the latest stored annotation, so an older observation can never send twice.
   */
  readonly notifiedFrom?: KubeObject;
}

export interface EventPlanInput extends PlanInputBase {
  readonly events: readonly TriggerEvent[];
}

/** A notification to render and store in the outbox. */
export interface PlannedDelivery {
  readonly id: string;
  readonly trigger: string;
  readonly service: string;
  readonly recipient: string;
  /** Which configuration (`namespace/configmap`) defines the service. */
  readonly config: string;
  readonly job: RenderJob;
}

export interface PlannedFailure {
  readonly trigger: string;
  readonly service: string;
  readonly recipient: string;
  readonly reason: 'TemplateError' | 'UnknownService' | 'ConfigError';
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
  readonly deliveries: readonly PlannedDelivery[];
  readonly failures: readonly PlannedFailure[];
  readonly evaluationErrors: readonly EvaluationError[];
  readonly subscriptionProblems: readonly NotificationProblem[];
}

/**
 * The id of an event for its event triggers: the object's uid, the committed state the transition that
 * produced it starts from (a repeat after a crash before the commit has the same one; a legitimate repeat,
 * e.g. a step run again after an abort and retry, starts from a different one), the reason and message, and
 * its position among identical events of the same transition.
 */
export function eventId(
  uid: string,
  transition: string,
  event: { readonly reason: string; readonly message: string },
  occurrence: number,
): string {
  return stableId('event', uid, transition, event.reason, event.message, String(occurrence));
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

interface Collector {
  readonly deliveries: PlannedDelivery[];
  readonly failures: PlannedFailure[];
  readonly evaluationErrors: EvaluationError[];
  readonly subscriptionProblems: NotificationProblem[];
}

/** Subscriptions that no configuration can serve, explained (a broken key, an undefined trigger or service). */
function unservable(input: PlanInputBase, all: readonly Destination[], out: Collector): Set<string> {
  const bad = new Set<string>();
  const seen = new Set<string>();
  for (const d of all) {
    const k = JSON.stringify([d.trigger, d.service, d.recipient]);
    if (seen.has(k)) continue;
    seen.add(k);
    if (!input.apis.some((a) => a.config.triggers[d.trigger] !== undefined)) {
      const broken = input.apis.flatMap((a) =>
        (a.problems ?? [])
          .filter((p) => p.severity === 'error' && p.key === `trigger.${d.trigger}`)
          .map((p) => `key '${p.key}' of ${a.id} is broken: ${p.message}`),
      );
      const message =
        broken[0] ?? `trigger '${d.trigger}' is not defined in ${input.apis.map((a) => a.id).join(', ')}`;
      out.failures.push({ ...d, reason: 'ConfigError', message });
      bad.add(k);
    } else if (!input.apis.some((a) => a.config.services[d.service] !== undefined)) {
      const ids = input.apis.map((a) => a.id).join(', ');
      out.failures.push({
        ...d,
        reason: 'UnknownService',
        message: `service '${d.service}' is not configured in ${ids}`,
      });
      bad.add(k);
    } else if (
      !input.apis.some(
        (a) => a.config.triggers[d.trigger] !== undefined && a.config.services[d.service] !== undefined,
      )
    ) {
      const ids = input.apis.map((a) => a.id).join(', ');
      const message = `trigger '${d.trigger}' and service '${d.service}' are not defined in the same configuration (${ids})`;
      out.failures.push({ ...d, reason: 'ConfigError', message });
      bad.add(k);
    }
  }
  return bad;
}

function plan(input: PlanInput, events: readonly TriggerEvent[] | undefined) {
  const { object, now } = input;
  const meta = object.metadata;
  const uid = meta.uid ?? `${meta.namespace ?? ''}/${meta.name ?? ''}`;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const recorded = (input.notifiedFrom ?? object).metadata.annotations?.[notifiedAnnotation];
  const original = parseNotifiedState(recorded);
  let state = original;
  const out: Collector = { deliveries: [], failures: [], evaluationErrors: [], subscriptionProblems: [] };
  const resolvedPerApi = input.apis.map((api) =>
    resolveDestinations(
      {
        ...(meta.annotations && { annotations: meta.annotations }),
        ...(meta.labels && { labels: meta.labels }),
      },
      api.config,
    ),
  );
  for (const r of resolvedPerApi) out.subscriptionProblems.push(...r.problems);
  const relevant = (d: Destination) =>
    events === undefined
      ? !isEventTrigger(
          d.trigger,
          input.apis.find((a) => a.config.triggers[d.trigger])?.config.triggers[d.trigger] ?? [],
        )
      : events.some((e) => eventTriggerName(e.reason) === d.trigger);
  const bad = unservable(input, resolvedPerApi.flatMap((r) => r.destinations).filter(relevant), out);

  input.apis.forEach((api, i) => {
    const vars: VarsInput = {
      kind: input.kind,
      object,
      context: api.config.context,
      secrets: api.secrets,
      now: () => now,
    };
    const serviceable = (d: Destination) =>
      api.config.services[d.service] !== undefined &&
      !bad.has(JSON.stringify([d.trigger, d.service, d.recipient]));
    const destinations = byTrigger((resolvedPerApi[i]?.destinations ?? []).filter(serviceable));
    const env = triggerEnv(vars);
    const deliver = (trigger: string, templates: readonly string[], dest: Destination, id: string) => {
      const service = api.config.services[dest.service];
      if (service === undefined) return;
      const named = Object.fromEntries(
        templates.flatMap((t) => (api.config.templates[t] ? [[t, api.config.templates[t]]] : [])),
      );
      out.deliveries.push({
        id,
        trigger,
        service: dest.service,
        recipient: dest.recipient,
        config: api.id,
        job: {
          names: templates,
          templates: named,
          variable: input.kind.variable,
          object,
          context: api.config.context,
          secrets: api.secrets,
          serviceType: service.type,
          recipient: dest.recipient,
          now: now.getTime(),
        },
      });
    };

    /** Evaluates a trigger's conditions; errors are recorded and left out of the results. */
    const evaluate = (trigger: string, conditions: Parameters<typeof input.evaluator.evaluate>[0]) =>
      input.evaluator.evaluate(conditions, env, now).filter((result) => {
        if (result.outcome !== 'error') return true;
        out.evaluationErrors.push({
          config: api.id,
          trigger,
          condition: result.index,
          error: result.error ?? '',
        });
        return false;
      });

    if (events === undefined) {
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
            deliver(trigger, result.templates, dest, stableId(uid, api.id, key, meta.resourceVersion ?? ''));
          }
        }
      }
      return;
    }

    // Event triggers: every event whose trigger this configuration defines.
    for (const event of events) {
      const trigger = eventTriggerName(event.reason);
      const conditions = api.config.triggers[trigger];
      const dests = destinations.get(trigger);
      if (conditions === undefined || dests === undefined || !isEventTrigger(trigger, conditions)) continue;
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
          deliver(trigger, result.templates, dest, id);
        }
      }
    }
  });

  const before = serializeNotifiedState(original);
  const after = serializeNotifiedState(state);
  return {
    notified: state,
    ...(before !== after && { notifiedAnnotation: { value: after } }),
    ...out,
  };
}

/** State triggers of one object as reconciled. */
export function planNotifications(input: PlanInput): NotificationPlan {
  return plan(input, undefined);
}

/** Event triggers for events the object produced; `object` is its snapshot at the events. */
export function planEventNotifications(input: EventPlanInput): Omit<NotificationPlan, 'notifiedAnnotation'> {
  const { notifiedAnnotation: _ignored, ...rest } = plan(input, input.events);
  return rest;
}
