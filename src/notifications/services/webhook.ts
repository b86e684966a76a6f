import { createHash } from 'node:crypto';
import type { LookupOutcome, NotificationService, SendOutcome, SendRequest } from './types.js';

/** `service.webhook.<name>` options (notifications-engine `WebhookOptions`). */
export interface WebhookServiceOptions {
  /** The service name: the template section `webhook.<name>` it sends. */
  readonly name: string;
  readonly url: string;
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * A generic HTTP webhook: `url` + the template's `path`, `method` (default GET as upstream) and `body`,
 * configured headers and basic auth. 2xx is delivered; 429 (with `Retry-After`), 408 and 5xx are retried;
 * other statuses are permanent. A webhook cannot be asked whether it already received a call, so a
 * redelivery after a crash may repeat one request.
 */
export class WebhookService implements NotificationService {
  readonly type = 'webhook' as const;
  readonly workspace: string;

  constructor(private readonly options: WebhookServiceOptions) {
    this.workspace = `webhook:${createHash('sha256').update(options.url).digest('hex').slice(0, 16)}`;
  }

  async send(request: SendRequest): Promise<SendOutcome> {
    const section = request.notification.webhook?.[this.options.name];
    if (section === undefined) return { kind: 'sent' }; // the template has nothing for this webhook
    const headers: Record<string, string> = {};
    for (const h of this.options.headers ?? []) headers[h.name] = h.value;
    const auth = this.options.basicAuth;
    if (auth !== undefined)
      headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    const method = (section.method ?? 'GET').toUpperCase();
    const url = `${this.options.url.replace(/\/+$/, '')}${section.path ?? ''}`;
    try {
      const res = await fetch(url, {
        method,
        headers,
        ...(section.body !== undefined && method !== 'GET' && method !== 'HEAD' && { body: section.body }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { kind: 'sent' };
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('retry-after'));
        return {
          kind: 'transient',
          reason: 'http_429',
          ambiguous: false,
          ...(wait !== undefined && { retryAfterMs: wait }),
        };
      }
      if (res.status >= 500 || res.status === 408)
        return { kind: 'transient', reason: `http_${res.status}`, ambiguous: true };
      return { kind: 'permanent', reason: `http_${res.status}` };
    } catch {
      return { kind: 'transient', reason: 'request_error', ambiguous: true };
    }
  }

  async findDelivered(): Promise<LookupOutcome> {
    return { kind: 'unsupported', reason: 'webhooks cannot be queried' };
  }
}
