import { type GoTemplate, parse } from '../gotemplate/index.js';
import type { KubeObject } from '../kube/index.js';
import type { NotificationTemplate, SlackDeliveryPolicy } from './config.js';
import type { NotificationKind } from './kinds.js';
import { templateData } from './vars.js';

/**
 * Template rendering (pure): a trigger condition sends one notification built from its templates in order,
 * later templates overriding fields the earlier ones set (notifications-engine `FormatNotification`).
 * `slack.attachments` and `slack.blocks` must render to JSON arrays; anything else is a template error that
 * retrying cannot fix.
 */

export interface RenderedSlack {
  readonly attachments?: string;
  readonly blocks?: string;
  readonly groupingKey?: string;
  readonly notifyBroadcast?: boolean;
  readonly deliveryPolicy?: SlackDeliveryPolicy;
  readonly username?: string;
  readonly icon?: string;
}

export interface RenderedWebhook {
  readonly method?: string;
  readonly path?: string;
  readonly body?: string;
}

export interface RenderedNotification {
  readonly message: string;
  readonly slack?: RenderedSlack;
  readonly webhook?: Readonly<Record<string, RenderedWebhook>>;
}

export type RenderResult =
  | { readonly ok: true; readonly notification: RenderedNotification }
  | { readonly ok: false; readonly template: string; readonly error: string };

/**
 * Everything one render needs, as plain (structured-cloneable) data, so it can run in a worker: the named
 * templates, and what the template data is built from (`templateData`).
 */
export interface RenderJob {
  readonly names: readonly string[];
  readonly templates: Readonly<Record<string, NotificationTemplate>>;
  readonly variable: NotificationKind['variable'];
  readonly object: KubeObject;
  readonly context: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly serviceType: string;
  readonly recipient: string;
  /** Milliseconds since the epoch: the time templates see. */
  readonly now: number;
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

class RenderError {
  constructor(
    readonly template: string,
    readonly error: string,
  ) {}
}

/** Parses template texts once per (name, text). */
export class TemplateRenderer {
  private readonly cache = new Map<string, GoTemplate | Error>();

  private compiled(name: string, text: string): GoTemplate {
    const key = `${name}\u0000${text}`;
    let t = this.cache.get(key);
    if (t === undefined) {
      try {
        t = parse(name, text);
      } catch (err) {
        t = err instanceof Error ? err : new Error(String(err));
      }
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, t);
    }
    if (t instanceof Error) throw t;
    return t;
  }

  private field(template: string, field: string, text: string, data: unknown, now: Date): string {
    try {
      return this.compiled(`${template}.${field}`, text).execute(data, { now });
    } catch (err) {
      throw new RenderError(template, `${field}: ${reason(err)}`);
    }
  }

  private json(template: string, field: string, text: string, data: unknown, now: Date): string {
    const out = this.field(template, field, text, data, now);
    if (out.trim() === '') return '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(out);
    } catch (err) {
      throw new RenderError(template, `${field} is not valid JSON after rendering: ${reason(err)}`);
    }
    if (!Array.isArray(parsed)) throw new RenderError(template, `${field} must render to a JSON array`);
    return out;
  }

  /** Renders the named templates for one destination. Unknown template names are errors. */
  render(
    names: readonly string[],
    templates: Readonly<Record<string, NotificationTemplate>>,
    data: unknown,
    now: Date,
  ): RenderResult {
    try {
      let message = '';
      let slack: Record<string, unknown> | undefined;
      let webhook: Record<string, RenderedWebhook> | undefined;
      for (const name of names) {
        const t = templates[name];
        if (t === undefined) throw new RenderError(name, 'template is not defined (or its key is broken)');
        if (t.message !== undefined) message = this.field(name, 'message', t.message, data, now);
        if (t.slack !== undefined) {
          const s = t.slack;
          slack ??= {};
          if (s.attachments !== undefined)
            slack.attachments = this.json(name, 'slack.attachments', s.attachments, data, now);
          if (s.blocks !== undefined) slack.blocks = this.json(name, 'slack.blocks', s.blocks, data, now);
          if (s.groupingKey !== undefined)
            slack.groupingKey = this.field(name, 'slack.groupingKey', s.groupingKey, data, now).trim();
          if (s.username !== undefined) slack.username = s.username;
          if (s.icon !== undefined) slack.icon = s.icon;
          if (s.notifyBroadcast !== undefined) slack.notifyBroadcast = s.notifyBroadcast;
          if (s.deliveryPolicy !== undefined) slack.deliveryPolicy = s.deliveryPolicy;
        }
        for (const [hook, w] of Object.entries(t.webhook ?? {})) {
          webhook ??= {};
          webhook[hook] = {
            ...(w.method !== undefined && { method: w.method }),
            ...(w.path !== undefined && {
              path: this.field(name, `webhook.${hook}.path`, w.path, data, now),
            }),
            ...(w.body !== undefined && {
              body: this.field(name, `webhook.${hook}.body`, w.body, data, now),
            }),
          };
        }
      }
      const notification: RenderedNotification = {
        message,
        ...(slack !== undefined && { slack: slack as RenderedSlack }),
        ...(webhook !== undefined && { webhook }),
      };
      return { ok: true, notification };
    } catch (err) {
      if (err instanceof RenderError) return { ok: false, template: err.template, error: err.error };
      throw err;
    }
  }
}

/** Renders a job in this thread. */
export function renderJob(renderer: TemplateRenderer, job: RenderJob): RenderResult {
  const now = new Date(job.now);
  const data = templateData(
    {
      kind: { variable: job.variable },
      object: job.object,
      context: job.context,
      secrets: job.secrets,
      now: () => now,
    },
    { serviceType: job.serviceType, recipient: job.recipient },
  );
  return renderer.render(job.names, job.templates, data, now);
}
