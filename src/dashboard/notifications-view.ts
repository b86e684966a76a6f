/**
 * The Notifications page: each configuration's triggers, templates and services (names and types
 * only: service options may hold tokens, so they never leave the controller, and the Secret is never
 * read), and per object its subscriptions, the deliveries its annotations record (sent: the notified
 * state; pending or retrying: the outbox; the Slack threads kept), and the failures recorded as
 * `NotificationFailed` Warning Events. Pure: ConfigMap data, objects and events in, a view out.
 */
import type { KubeObject } from '../kube/index.js';
import {
  type Destination,
  type NotificationKindName,
  notifiedAnnotation,
  parseNotificationConfig,
  parseNotifiedState,
  parseSentMarker,
  readOutbox,
  resolveDestinations,
  sentAnnotationPrefix,
  threadAnnotationPrefix,
} from '../notifications/index.js';

export interface NotificationConfigView {
  readonly namespace: string;
  readonly name: string;
  readonly services: readonly { readonly name: string; readonly type: string }[];
  readonly triggers: readonly {
    readonly name: string;
    readonly conditions: readonly {
      readonly when: string;
      readonly send: readonly string[];
      readonly oncePer: string;
    }[];
  }[];
  /** Each template with the services it has a section for. */
  readonly templates: readonly { readonly name: string; readonly sections: readonly string[] }[];
  readonly defaultTriggers: readonly string[];
  readonly subscriptions: number;
  readonly problems: readonly { readonly key: string; readonly message: string; readonly severity: string }[];
}

export interface Delivery {
  readonly trigger: string;
  readonly service: string;
  readonly recipient: string;
  /** ms since epoch: when it was sent (sent) or planned (pending). */
  readonly at: number;
}

export interface ObjectNotifications {
  readonly kind: NotificationKindName;
  readonly namespace: string;
  readonly name: string;
  readonly subscriptions: readonly Destination[];
  /** Newest first. */
  readonly sent: readonly Delivery[];
  /** Planned, not yet delivered (waiting for its turn, or retrying). */
  readonly pending: readonly Delivery[];
  /** Newest first. */
  readonly failures: readonly { readonly message: string; readonly at: number; readonly count: number }[];
  /** Slack threads persisted (groupingKey). */
  readonly threads: readonly { readonly channel: string; readonly ts: string }[];
}

export interface NotificationsView {
  readonly configs: readonly NotificationConfigView[];
  readonly objects: readonly ObjectNotifications[];
  /** Objects left out after `MAX_OBJECTS`. */
  readonly omitted: number;
}

export interface NotificationConfigMap {
  readonly namespace: string;
  readonly name: string;
  readonly data: Readonly<Record<string, string>>;
  /** Which kinds this configuration notifies about. */
  readonly kinds: readonly NotificationKindName[];
}

export interface NotifiedObject {
  readonly kind: NotificationKindName;
  readonly object: KubeObject;
}

/** A `NotificationFailed` Warning Event. */
export type FailureEvent = KubeObject & {
  readonly involvedObject?: { readonly kind?: string; readonly namespace?: string; readonly name?: string };
  readonly message?: string;
  readonly count?: number;
  readonly lastTimestamp?: string;
  readonly eventTime?: string;
  readonly series?: { readonly count?: number; readonly lastObservedTime?: string };
};

export const MAX_OBJECTS = 500;

/** Parsed once per ConfigMap version (cached objects are replaced, never changed, on update). */
const parsedCache = new WeakMap<object, ReturnType<typeof parseNotificationConfig>>();
function parsedConfig(data: Readonly<Record<string, string>>): ReturnType<typeof parseNotificationConfig> {
  let p = parsedCache.get(data);
  if (p === undefined) {
    p = parseNotificationConfig(data);
    parsedCache.set(data, p);
  }
  return p;
}
const DELIVERIES_SHOWN = 20;

export function notificationConfigView(cm: NotificationConfigMap): NotificationConfigView {
  // no Secret: `$name` references stay unresolved, and their missing keys are not this page's concern
  const { config, problems } = parsedConfig(cm.data);
  return {
    namespace: cm.namespace,
    name: cm.name,
    services: Object.values(config.services)
      .map((s) => ({ name: s.name, type: s.type }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    triggers: Object.entries(config.triggers)
      .map(([name, conditions]) => ({
        name,
        conditions: conditions.map((c) => ({ when: c.when, send: c.send, oncePer: c.oncePer ?? '' })),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    templates: Object.entries(config.templates)
      .map(([name, t]) => ({
        name,
        sections: [
          ...(t.message !== undefined ? ['message'] : []),
          ...(t.slack !== undefined ? ['slack'] : []),
          ...(t.webhook !== undefined ? Object.keys(t.webhook).map((w) => `webhook.${w}`) : []),
          ...(t.email !== undefined ? ['email'] : []),
          ...Object.keys(t.others),
        ],
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    defaultTriggers: config.defaultTriggers,
    subscriptions: config.subscriptions.length,
    problems: problems
      .filter((p) => p.code !== 'missing-secret-key')
      .map((p) => ({ key: p.key, message: p.message, severity: p.severity })),
  };
}

const CONDITION_KEY = /^\[\d+\]\.[A-Za-z0-9_-]+$/;

/** A notified-state key read back: `[<oncePer>:]<trigger>:[<i>].<hash>:<service>:<recipient>`. */
export function parseNotifiedKey(key: string): Omit<Delivery, 'at'> | undefined {
  const parts = key.split(':');
  const i = parts.findIndex((p, n) => n > 0 && CONDITION_KEY.test(p));
  if (i < 1 || i + 1 >= parts.length) return undefined;
  return {
    trigger: parts[i - 1] ?? '',
    service: parts[i + 1] ?? '',
    recipient: parts.slice(i + 2).join(':'),
  };
}

const eventTime = (e: FailureEvent) =>
  Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? '') || 0;

type SubscriptionSource = Parameters<typeof resolveDestinations>[1];

/**
 * What an object's annotations say, by object and configuration: cached objects are replaced, never
 * changed, so one computation serves every viewer and re-render until either changes.
 */
const annotationCache = new WeakMap<
  object,
  { readonly config: SubscriptionSource | undefined; readonly row: Omit<ObjectNotifications, 'failures'> }
>();

export function objectNotifications(
  o: NotifiedObject,
  parsedConfig: SubscriptionSource | undefined,
  failures: readonly FailureEvent[],
): ObjectNotifications {
  let cached = annotationCache.get(o.object);
  if (cached === undefined || cached.config !== parsedConfig) {
    cached = { config: parsedConfig, row: annotationView(o, parsedConfig) };
    annotationCache.set(o.object, cached);
  }
  return {
    ...cached.row,
    failures: failures
      .map((e) => ({ message: e.message ?? '', at: eventTime(e), count: e.series?.count ?? e.count ?? 1 }))
      .sort((a, b) => b.at - a.at)
      .slice(0, DELIVERIES_SHOWN),
  };
}

function annotationView(
  o: NotifiedObject,
  parsedConfig: SubscriptionSource | undefined,
): Omit<ObjectNotifications, 'failures'> {
  const meta = o.object.metadata;
  const annotations = meta.annotations ?? {};
  const subscriptions =
    parsedConfig === undefined
      ? []
      : resolveDestinations({ annotations, ...(meta.labels && { labels: meta.labels }) }, parsedConfig)
          .destinations;
  const sent: Delivery[] = [];
  for (const [key, at] of Object.entries(parseNotifiedState(annotations[notifiedAnnotation]))) {
    const d = parseNotifiedKey(key);
    if (d !== undefined) sent.push({ ...d, at: at * 1000 });
  }
  // event notifications (Argo Rollouts' kind): the marker left when their outbox entry finished
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(sentAnnotationPrefix)) continue;
    const m = parseSentMarker(value);
    if (m.trigger === undefined || m.failed === true) continue;
    sent.push({ trigger: m.trigger, service: m.service ?? '', recipient: m.recipient ?? '', at: m.at });
  }
  const pending = readOutbox(o.object).entries.map((e) => ({
    trigger: e.trigger,
    service: e.service,
    recipient: e.recipient,
    at: e.createdAt,
  }));
  const threads: { channel: string; ts: string }[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(threadAnnotationPrefix)) continue;
    try {
      const t = JSON.parse(value) as { channel?: unknown; ts?: unknown };
      if (typeof t.channel === 'string' && typeof t.ts === 'string')
        threads.push({ channel: t.channel, ts: t.ts });
    } catch {
      // a broken annotation is the notification controller's to report
    }
  }
  return {
    kind: o.kind,
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    subscriptions,
    sent: sent.sort((a, b) => b.at - a.at).slice(0, DELIVERIES_SHOWN),
    pending: pending.slice(0, DELIVERIES_SHOWN),
    threads,
  };
}

/**
 * The page: every configuration, and the objects with anything to show (a subscription, a delivery
 * or a failure), sorted by namespace, kind and name, at most `MAX_OBJECTS`.
 */
export function notificationsView(
  configMaps: readonly NotificationConfigMap[],
  objects: readonly NotifiedObject[],
  failures: readonly FailureEvent[],
): NotificationsView {
  const configs = configMaps.map(notificationConfigView);
  const parsed = new Map<NotificationKindName, Parameters<typeof resolveDestinations>[1]>();
  for (const cm of configMaps)
    for (const kind of cm.kinds) if (!parsed.has(kind)) parsed.set(kind, parsedConfig(cm.data).config);
  const failuresOf = new Map<string, FailureEvent[]>();
  for (const e of failures) {
    const io = e.involvedObject ?? {};
    const key = `${io.kind}/${io.namespace}/${io.name}`;
    failuresOf.set(key, [...(failuresOf.get(key) ?? []), e]);
  }
  const rows: ObjectNotifications[] = [];
  for (const o of objects) {
    const key = `${o.kind}/${o.object.metadata.namespace}/${o.object.metadata.name}`;
    const row = objectNotifications(o, parsed.get(o.kind), failuresOf.get(key) ?? []);
    const isEmpty =
      row.subscriptions.length + row.sent.length + row.pending.length + row.failures.length === 0;
    if (!isEmpty) rows.push(row);
  }
  const order = (r: ObjectNotifications) => `${r.namespace}\u0000${r.kind}\u0000${r.name}`;
  rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { configs, objects: rows.slice(0, MAX_OBJECTS), omitted: Math.max(0, rows.length - MAX_OBJECTS) };
}
