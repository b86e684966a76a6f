import { parseDocument } from 'yaml';
import { type LabelSelector, parseLabelSelector } from '../kube/index.js';

/**
 * Parses the argocd-notifications / Argo Rollouts notifications ConfigMap (`argocd-notifications-cm`,
 * `argo-rollouts-notification-configmap`) plus its Secret. Unlike upstream notifications-engine
 * (`pkg/api/config.go`, which fails the whole config on the first bad key), every key is parsed on its own:
 * a broken key is reported in `problems` and left out, every good key is kept.
 */

/** Problem codes. Warnings keep the key (see `problemSeverity`); errors leave it out. */
// biome-ignore format: compact catalogue
export const notificationProblemCodes = [
  'invalid-yaml', 'invalid-service-key', 'unknown-service-type', 'duplicate-service-name', 'invalid-service',
  'invalid-trigger', 'invalid-template', 'invalid-default-triggers', 'invalid-subscription', 'invalid-selector',
  'invalid-context', 'missing-secret-key', 'unknown-template', 'unknown-trigger', 'unknown-field',
  'legacy-key-ignored', 'no-default-triggers',
] as const;
export type NotificationProblemCode = (typeof notificationProblemCodes)[number];

// biome-ignore format: compact list
const warningCodes: ReadonlySet<NotificationProblemCode> = new Set<NotificationProblemCode>([
  'missing-secret-key', 'unknown-template', 'unknown-trigger', 'unknown-field', 'legacy-key-ignored',
  'no-default-triggers',
]);

export function problemSeverity(code: NotificationProblemCode): 'error' | 'warning' {
  return warningCodes.has(code) ? 'warning' : 'error';
}

/** A problem with one ConfigMap key or annotation. Messages name keys, never secret values. */
export interface NotificationProblem {
  readonly key: string;
  readonly code: NotificationProblemCode;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Service types notifications-engine knows (`pkg/services/services.go` NewService). */
// biome-ignore format: compact list
export const knownServiceTypes = [
  'alertmanager', 'awssqs', 'email', 'gcppubsub', 'github', 'googlechat', 'grafana', 'mattermost', 'nats',
  'newrelic', 'opsgenie', 'pagerduty', 'pagerdutyv2', 'pushover', 'rocketchat', 'slack', 'teams',
  'teams-workflows', 'telegram', 'webex', 'webhook',
] as const;
export type ServiceType = (typeof knownServiceTypes)[number];

export interface ServiceConfig {
  readonly name: string;
  readonly type: ServiceType;
  /** Options with `$key` secret references replaced. Contains secrets: never log. */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface TriggerCondition {
  readonly when: string;
  readonly oncePer?: string;
  readonly send: readonly string[];
  readonly description?: string;
}

export type SlackDeliveryPolicy = 'Post' | 'PostAndUpdate' | 'Update';

/** `template.<name>.slack`: attachments/blocks are template text rendering to JSON, checked at send time. */
export interface SlackTemplate {
  readonly username?: string;
  readonly icon?: string;
  readonly attachments?: string;
  readonly blocks?: string;
  readonly groupingKey?: string;
  readonly notifyBroadcast?: boolean;
  readonly deliveryPolicy?: SlackDeliveryPolicy;
}

export interface WebhookTemplate {
  readonly method?: string;
  readonly path?: string;
  readonly body?: string;
}

export interface NotificationTemplate {
  readonly message?: string;
  readonly slack?: SlackTemplate;
  readonly webhook?: Readonly<Record<string, WebhookTemplate>>;
  readonly email?: { readonly subject?: string; readonly body?: string };
  /** Sections of other services (teams, github, …), kept as written. */
  readonly others: Readonly<Record<string, unknown>>;
}

export interface GlobalSubscription {
  readonly recipients: readonly string[];
  readonly triggers: readonly string[];
  readonly selector: LabelSelector;
}

export interface NotificationConfig {
  readonly services: Readonly<Record<string, ServiceConfig>>;
  readonly triggers: Readonly<Record<string, readonly TriggerCondition[]>>;
  readonly templates: Readonly<Record<string, NotificationTemplate>>;
  readonly defaultTriggers: readonly string[];
  readonly serviceDefaultTriggers: Readonly<Record<string, readonly string[]>>;
  readonly subscriptions: readonly GlobalSubscription[];
  readonly context: Readonly<Record<string, string>>;
}

export interface ParsedNotificationConfig {
  readonly config: NotificationConfig;
  readonly problems: readonly NotificationProblem[];
}

type Json = Readonly<Record<string, unknown>>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isAbsent = (v: unknown): v is undefined | null => v === undefined || v === null;

/** Thrown inside one key's parser; becomes that key's problem. */
class KeyError {
  constructor(
    readonly code: NotificationProblemCode,
    readonly message: string,
  ) {}
}
const fail = (code: NotificationProblemCode, message: string): never => {
  throw new KeyError(code, message);
};

/** Parses YAML; errors name only line/column and code (a value may hold a pasted token). */
function readYaml(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const [err] = doc.errors;
  if (err === undefined) return doc.toJS();
  const before = text.slice(0, err.pos[0]);
  const where = ` at line ${before.split('\n').length} column ${err.pos[0] - before.lastIndexOf('\n')}`;
  return fail('invalid-yaml', `invalid yaml${where} (${err.code}); fix the value's syntax`);
}

/** Copies the optional string fields of `obj`; any other type is an error. */
function strings(obj: Json, fields: readonly string[], what: string, code: NotificationProblemCode) {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = obj[f];
    if (isAbsent(v)) continue;
    if (typeof v !== 'string') fail(code, `${what}'${f}' must be a string`);
    out[f] = v as string;
  }
  return out;
}

const secretRef = /\$[\w-]+/g;

/** notifications-engine `replaceStringSecret`: every `$name` ([A-Za-z0-9_-]+) in a string scalar. */
function replaceSecrets(
  value: unknown,
  secret: Readonly<Record<string, string>>,
  missing: Set<string>,
): unknown {
  if (typeof value === 'string') {
    return value.replace(secretRef, (ref) => {
      const name = ref.slice(1);
      if (Object.hasOwn(secret, name)) return secret[name] ?? '';
      missing.add(name);
      return ref;
    });
  }
  if (Array.isArray(value)) return value.map((v) => replaceSecrets(v, secret, missing));
  if (!isMap(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceSecrets(v, secret, missing)]));
}

function parseTrigger(value: unknown): TriggerCondition[] {
  if (!Array.isArray(value)) return fail('invalid-trigger', 'a trigger must be a yaml list of conditions');
  return value.map((item, i) => {
    if (!isMap(item)) return fail('invalid-trigger', `condition ${i} must be a map`);
    const {
      when = '',
      oncePer,
      description,
    } = strings(item, ['when', 'oncePer', 'description'], `condition ${i}: `, 'invalid-trigger');
    const send = item.send ?? [];
    if (!isStringList(send))
      fail('invalid-trigger', `condition ${i}: 'send' must be a list of template names`);
    return {
      when,
      send: send as string[],
      ...(oncePer ? { oncePer } : {}),
      ...(description ? { description } : {}),
    };
  });
}

function parseSlackTemplate(v: unknown): SlackTemplate {
  if (!isMap(v)) return fail('invalid-template', 'slack must be a map');
  const fields = ['username', 'icon', 'attachments', 'blocks', 'groupingKey', 'deliveryPolicy'];
  const out: Record<string, unknown> = strings(v, fields, 'slack.', 'invalid-template');
  if (out.deliveryPolicy === '') delete out.deliveryPolicy;
  if (
    out.deliveryPolicy !== undefined &&
    !['Post', 'PostAndUpdate', 'Update'].includes(String(out.deliveryPolicy))
  ) {
    fail('invalid-template', 'slack.deliveryPolicy must be Post, PostAndUpdate or Update');
  }
  if (!isAbsent(v.notifyBroadcast)) {
    if (typeof v.notifyBroadcast !== 'boolean')
      fail('invalid-template', 'slack.notifyBroadcast must be true or false');
    out.notifyBroadcast = v.notifyBroadcast;
  }
  return out as SlackTemplate;
}

function parseTemplate(value: unknown): NotificationTemplate {
  if (value === null) return { others: {} };
  if (!isMap(value)) return fail('invalid-template', 'a template must be a yaml map');
  const { message: _m, slack, webhook, email, ...others } = value;
  const out: { -readonly [K in keyof NotificationTemplate]: NotificationTemplate[K] } = {
    ...strings(value, ['message'], '', 'invalid-template'),
    others,
  };
  if (!isAbsent(slack)) out.slack = parseSlackTemplate(slack);
  if (!isAbsent(webhook)) {
    if (!isMap(webhook)) fail('invalid-template', 'webhook must be a map of webhook name to request');
    out.webhook = Object.fromEntries(
      Object.entries(webhook as Json).map(([name, hook]) => {
        if (!isMap(hook)) return fail('invalid-template', `webhook.${name} must be a map`);
        return [name, strings(hook, ['method', 'path', 'body'], `webhook.${name}.`, 'invalid-template')];
      }),
    );
  }
  if (!isAbsent(email)) {
    if (!isMap(email)) fail('invalid-template', 'email must be a map');
    out.email = strings(email as Json, ['subject', 'body'], 'email.', 'invalid-template');
  }
  return out;
}

function parseNameList(value: unknown): string[] {
  if (value === null) return [];
  return isStringList(value)
    ? value
    : fail('invalid-default-triggers', 'must be a yaml list of trigger names');
}

function parseSubscription(item: unknown, i: number): GlobalSubscription {
  if (!isMap(item)) return fail('invalid-subscription', `entry ${i} must be a map`);
  const { recipients = [], triggers = [], selector = '' } = item;
  if (!isStringList(recipients) || !isStringList(triggers)) {
    return fail('invalid-subscription', `entry ${i}: recipients and triggers must be lists of strings`);
  }
  if (typeof selector !== 'string') return fail('invalid-selector', `entry ${i}: selector must be a string`);
  try {
    return { recipients, triggers, selector: parseLabelSelector(selector) };
  } catch (err) {
    return fail('invalid-selector', `entry ${i}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseContext(value: unknown): Record<string, string> {
  if (value === null) return {};
  if (!isMap(value)) return fail('invalid-context', 'context must be a yaml map of names to strings');
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) =>
      typeof v === 'object' && v !== null
        ? fail('invalid-context', `context.${k} must be a scalar`)
        : [k, v === null ? '' : String(v)],
    ),
  );
}

function parseService(
  key: string,
  text: string,
  secret: Readonly<Record<string, string>>,
  missing: Set<string>,
) {
  const parts = key.split('.');
  if (parts.length !== 2 && parts.length !== 3) {
    fail('invalid-service-key', "expected 'service.<type>' or 'service.<type>.<name>'");
  }
  const type = parts[1] ?? '';
  const name = parts[2] ?? type;
  if (!(knownServiceTypes as readonly string[]).includes(type)) {
    fail('unknown-service-type', `service type '${type}' is not supported`);
  }
  const raw = readYaml(text) ?? {};
  if (!isMap(raw)) fail('invalid-service', 'service configuration must be a yaml map');
  return { name, type: type as ServiceType, options: replaceSecrets(raw, secret, missing) as Json };
}

/**
 * Parses ConfigMap `data` and decoded Secret `data`. Keys are visited in sorted order, so results (and which of
 * two services with one name wins) are deterministic.
 */
export function parseNotificationConfig(
  data: Readonly<Record<string, string>>,
  secret: Readonly<Record<string, string>> = {},
): ParsedNotificationConfig {
  const problems: NotificationProblem[] = [];
  const report = (key: string, code: NotificationProblemCode, message: string) =>
    problems.push({ key, code, message, severity: problemSeverity(code) });
  const services: Record<string, ServiceConfig> = {};
  const triggers: Record<string, TriggerCondition[]> = {};
  const templates: Record<string, NotificationTemplate> = {};
  const serviceDefaultTriggers: Record<string, string[]> = {};
  const subscriptions: GlobalSubscription[] = [];
  let defaultTriggers: string[] = [];
  let context: Record<string, string> = {};

  for (const key of Object.keys(data).sort()) {
    const text = data[key] ?? '';
    const rest = key.slice(key.indexOf('.') + 1);
    try {
      if (key.startsWith('service.')) {
        const missing = new Set<string>();
        const service = parseService(key, text, secret, missing);
        if (services[service.name] !== undefined) {
          fail('duplicate-service-name', `service '${service.name}' is already defined`);
        }
        for (const m of missing)
          report(key, 'missing-secret-key', `references $${m}, which the secret lacks`);
        services[service.name] = service;
      } else if (key.startsWith('trigger.')) triggers[rest] = parseTrigger(readYaml(text));
      else if (key.startsWith('template.')) templates[rest] = parseTemplate(readYaml(text));
      else if (key === 'defaultTriggers') defaultTriggers = parseNameList(readYaml(text));
      else if (key.startsWith('defaultTriggers.'))
        serviceDefaultTriggers[rest] = parseNameList(readYaml(text));
      else if (key === 'context') context = parseContext(readYaml(text));
      else if (key === 'subscriptions') {
        const list = readYaml(text) ?? [];
        if (!Array.isArray(list)) fail('invalid-subscription', 'subscriptions must be a yaml list');
        (list as unknown[]).forEach((item, i) => {
          try {
            subscriptions.push(parseSubscription(item, i));
          } catch (err) {
            if (!(err instanceof KeyError)) throw err;
            report(key, err.code, err.message); // one bad entry does not drop the others
          }
        });
      } else if (key === 'config.yaml' || key === 'notifiers.yaml') {
        report(
          key,
          'legacy-key-ignored',
          'the legacy format is not supported; use service./trigger./template. keys',
        );
      }
    } catch (err) {
      if (!(err instanceof KeyError)) throw err;
      report(key, err.code, err.message);
    }
  }

  for (const [name, conditions] of Object.entries(triggers)) {
    for (const t of new Set(conditions.flatMap((c) => c.send))) {
      if (templates[t] === undefined)
        report(`trigger.${name}`, 'unknown-template', `sends undefined template '${t}'`);
    }
  }
  const checkTriggers = (key: string, names: readonly string[]) => {
    for (const t of names)
      if (triggers[t] === undefined) report(key, 'unknown-trigger', `names undefined trigger '${t}'`);
  };
  checkTriggers('defaultTriggers', defaultTriggers);
  for (const [svc, names] of Object.entries(serviceDefaultTriggers))
    checkTriggers(`defaultTriggers.${svc}`, names);
  for (const s of subscriptions) checkTriggers('subscriptions', s.triggers);

  const config = {
    services,
    triggers,
    templates,
    defaultTriggers,
    serviceDefaultTriggers,
    subscriptions,
    context,
  };
  return { config, problems };
}
