import { parse as parseYaml } from 'yaml';
import { matchesLabelSelector } from '../kube/index.js';
import type { NotificationConfig, NotificationProblem } from './config.js';

/**
 * Who gets notified about an object: global `subscriptions` from the ConfigMap (label-selector matched) plus
 * the object's annotations, in the formats of notifications-engine `pkg/subscriptions/annotations.go` and the
 * legacy argocd-notifications `recipients.argocd-notifications.argoproj.io` annotation.
 */

export interface Destination {
  readonly trigger: string;
  readonly service: string;
  readonly recipient: string;
}

// ---- annotations ----

export const defaultAnnotationPrefix = 'notifications.argoproj.io';
export const legacyRecipientsAnnotation = 'recipients.argocd-notifications.argoproj.io';

export interface SubscriptionOptions {
  /** Annotation prefix (notifications-engine `SetAnnotationPrefix`). Default `notifications.argoproj.io`. */
  readonly annotationPrefix?: string;
  /** Also read the legacy `[<trigger>.]recipients.argocd-notifications.argoproj.io` annotation. Default true. */
  readonly includeLegacy?: boolean;
}

export type SubscriptionConfig = Pick<
  NotificationConfig,
  'defaultTriggers' | 'serviceDefaultTriggers' | 'subscriptions'
>;

export interface ResolvedDestinations {
  readonly destinations: readonly Destination[];
  readonly problems: readonly NotificationProblem[];
}

/** notifications-engine `parseRecipients`: `;`-separated, trimmed, empties dropped (no `,`). */
function splitRecipients(value: string, separator: string): string[] {
  return value
    .split(separator)
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

/** A field read the way Go's encoding/json does: case-insensitively. */
function field(obj: Readonly<Record<string, unknown>>, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : obj[key];
}

const isMap = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * Destinations of one object. Order: global subscriptions (config order), then annotations (sorted by key),
 * then legacy annotations; duplicates removed. A subscription without a trigger uses
 * `defaultTriggers.<service>` when set, else `defaultTriggers`.
 */
export function resolveDestinations(
  object: {
    readonly annotations?: Readonly<Record<string, string>>;
    readonly labels?: Readonly<Record<string, string>>;
  },
  config: SubscriptionConfig,
  options: SubscriptionOptions = {},
): ResolvedDestinations {
  const annotations = object.annotations ?? {};
  const labels = object.labels ?? {};
  const prefix = options.annotationPrefix ?? defaultAnnotationPrefix;
  const out = new Map<string, Destination>();
  const problems: NotificationProblem[] = [];
  const add = (trigger: string, service: string, recipient: string) => {
    const k = JSON.stringify([trigger, service, recipient]);
    if (!out.has(k)) out.set(k, { trigger, service, recipient });
  };
  const warn = (key: string, code: NotificationProblem['code'], message: string) =>
    problems.push({
      key,
      code,
      message,
      severity: code === 'no-default-triggers' || code === 'unknown-field' ? 'warning' : 'error',
    });
  const triggersFor = (key: string, trigger: string, service: string): readonly string[] => {
    if (trigger !== '') return [trigger];
    const t = config.serviceDefaultTriggers[service] ?? config.defaultTriggers;
    if (t.length === 0)
      warn(key, 'no-default-triggers', `no trigger named and no default triggers for '${service}'`);
    return t;
  };

  // config.go GetGlobalDestinations: recipients are "service:recipient" (only the part after the first ':').
  for (const s of config.subscriptions) {
    if (!matchesLabelSelector(s.selector, labels)) continue;
    for (const trigger of s.triggers.length > 0 ? s.triggers : config.defaultTriggers) {
      for (const r of s.recipients) {
        const parts = r.split(':');
        add(trigger, parts[0] ?? '', parts[1] ?? '');
      }
    }
  }

  const subscribe = `${prefix}/subscribe.`;
  const subscriptionsKey = `${prefix}/subscriptions`;
  for (const key of Object.keys(annotations).sort()) {
    const value = annotations[key] ?? '';
    if (key.startsWith(subscribe)) {
      const parts = key.slice(subscribe.length).split('.');
      const [trigger, service] = parts.length >= 2 ? [parts[0] ?? '', parts[1] ?? ''] : ['', parts[0] ?? ''];
      // Upstream: an empty value subscribes the empty recipient.
      const recipients = value === '' ? [''] : splitRecipients(value, ';');
      for (const t of triggersFor(key, trigger, service)) for (const r of recipients) add(t, service, r);
    } else if (key.startsWith(subscriptionsKey)) {
      let list: unknown;
      try {
        list = parseYaml(value);
      } catch {
        warn(
          key,
          'invalid-subscription',
          'annotation is not valid yaml; expected a list of {trigger, destinations}',
        );
        continue;
      }
      if (list === null || list === undefined) continue;
      if (!Array.isArray(list)) {
        warn(key, 'invalid-subscription', 'expected a yaml list of {trigger, destinations}');
        continue;
      }
      list.forEach((item, i) => {
        const triggers = isMap(item) ? (field(item, 'trigger') ?? []) : undefined;
        const dests = isMap(item) ? (field(item, 'destinations') ?? []) : undefined;
        if (!isStringList(triggers) || !Array.isArray(dests)) {
          warn(
            key,
            'invalid-subscription',
            `entry ${i}: expected trigger: [names] and destinations: [{service, recipients}]`,
          );
          return;
        }
        if (isMap(item) && field(item, 'triggers') !== undefined) {
          warn(
            key,
            'unknown-field',
            `entry ${i}: 'triggers' is ignored (the field is 'trigger'); default triggers apply`,
          );
        }
        const valid: { service: string; recipients: string[] }[] = [];
        for (const d of dests) {
          const service = isMap(d) ? field(d, 'service') : undefined;
          const recipients = isMap(d) ? (field(d, 'recipients') ?? []) : undefined;
          if (typeof service === 'string' && isStringList(recipients)) valid.push({ service, recipients });
          else
            warn(key, 'invalid-subscription', `entry ${i}: a destination needs service and recipients: [..]`);
        }
        // Upstream order: each trigger, then each destination; no trigger means the default triggers.
        if (triggers.length > 0) {
          for (const t of triggers) for (const d of valid) for (const r of d.recipients) add(t, d.service, r);
        } else {
          for (const d of valid)
            for (const t of triggersFor(key, '', d.service))
              for (const r of d.recipients) add(t, d.service, r);
        }
      });
    }
  }

  // argo-cd util/notification/settings/legacy.go GetLegacyDestinations.
  if (options.includeLegacy ?? true) {
    for (const key of Object.keys(annotations).sort()) {
      if (!key.endsWith(legacyRecipientsAnnotation)) continue;
      const trigger = key.slice(0, key.length - legacyRecipientsAnnotation.length).replace(/\.+$/, '');
      for (const r of splitRecipients(annotations[key] ?? '', ',')) {
        const parts = r.split(':');
        const service = parts[0] ?? '';
        // Upstream quirk kept for compatibility: defaultTriggers.<service> replaces even a named trigger.
        const triggers =
          config.serviceDefaultTriggers[service] ?? (trigger !== '' ? [trigger] : config.defaultTriggers);
        for (const t of triggers) add(t, service, parts[1] ?? '');
      }
    }
  }
  return { destinations: [...out.values()], problems };
}
