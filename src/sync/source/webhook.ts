import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener } from 'node:http';
import { normalizeRepoURL } from './credentials.js';

export interface WebhookSecrets {
  /** GitHub's `X-Hub-Signature-256` HMAC key. Unset: GitHub payloads are accepted unsigned. */
  readonly github?: string;
  /** GitLab's `X-Gitlab-Token`. Unset: GitLab payloads are accepted without a token. */
  readonly gitlab?: string;
}

export interface PushEvent {
  readonly provider: 'github' | 'gitlab';
  /** Normalised repository URLs the payload names (https, ssh, git). */
  readonly repoURLs: readonly string[];
  readonly ref?: string;
  readonly after?: string;
}

export type WebhookVerdict =
  | { readonly kind: 'push'; readonly event: PushEvent }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly reason: string };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function urlsOf(payload: Record<string, unknown>, owner: string, keys: readonly string[]): string[] {
  const o = payload[owner];
  if (!o || typeof o !== 'object') return [];
  const out: string[] = [];
  for (const k of keys) {
    const v = (o as Record<string, unknown>)[k];
    if (typeof v === 'string' && v) out.push(normalizeRepoURL(v));
  }
  return out;
}

/**
 * Pure: verifies and interprets one webhook delivery. GitHub (`X-GitHub-Event: push`, HMAC-SHA256 in
 * `X-Hub-Signature-256`) and GitLab (`X-Gitlab-Event: Push Hook`/`Tag Push Hook`, `X-Gitlab-Token`).
 */
export function interpretWebhook(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: Buffer,
  secrets: WebhookSecrets,
): WebhookVerdict {
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const ghEvent = header('x-github-event');
  const glEvent = header('x-gitlab-event');
  if (!ghEvent && !glEvent) return { kind: 'ignored', reason: 'not a GitHub or GitLab webhook' };
  if (ghEvent && secrets.github) {
    const sig = header('x-hub-signature-256') ?? '';
    const want = `sha256=${createHmac('sha256', secrets.github).update(body).digest('hex')}`;
    if (!safeEqual(sig, want)) return { kind: 'rejected', reason: 'signature mismatch' };
  }
  if (glEvent && secrets.gitlab && !safeEqual(header('x-gitlab-token') ?? '', secrets.gitlab)) {
    return { kind: 'rejected', reason: 'token mismatch' };
  }
  if (ghEvent && ghEvent !== 'push') return { kind: 'ignored', reason: `event ${ghEvent}` };
  if (glEvent && glEvent !== 'Push Hook' && glEvent !== 'Tag Push Hook')
    return { kind: 'ignored', reason: `event ${glEvent}` };
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return { kind: 'rejected', reason: 'payload is not JSON' };
  }
  const repoURLs = ghEvent
    ? urlsOf(payload, 'repository', ['html_url', 'clone_url', 'ssh_url', 'git_url', 'url'])
    : [
        ...urlsOf(payload, 'project', ['web_url', 'git_http_url', 'git_ssh_url']),
        ...urlsOf(payload, 'repository', ['homepage', 'git_http_url', 'git_ssh_url', 'url']),
      ];
  const ref = typeof payload.ref === 'string' ? payload.ref : undefined;
  const after = typeof payload.after === 'string' ? payload.after : undefined;
  return {
    kind: 'push',
    event: {
      provider: ghEvent ? 'github' : 'gitlab',
      repoURLs: [...new Set(repoURLs)],
      ...(ref && { ref }),
      ...(after && { after }),
    },
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new Error('payload too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** The HTTP handler (mount at `/api/webhook`, Argo CD's path): verifies, then calls `onPush`. */
export function webhookHandler(
  secrets: () => WebhookSecrets,
  onPush: (event: PushEvent) => number,
): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { 'Content-Type': 'text/plain' }).end('use POST\n');
      return;
    }
    readBody(req, 1 << 20)
      .then((body) => {
        const verdict = interpretWebhook(req.headers, body, secrets());
        if (verdict.kind === 'rejected') {
          res.writeHead(401, { 'Content-Type': 'text/plain' }).end(`webhook rejected: ${verdict.reason}\n`);
        } else if (verdict.kind === 'ignored') {
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`ignored: ${verdict.reason}\n`);
        } else {
          const n = onPush(verdict.event);
          res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`refreshing ${n} application(s)\n`);
        }
      })
      .catch(() => {
        res.writeHead(413, { 'Content-Type': 'text/plain' }).end('payload too large\n');
      });
  };
}
