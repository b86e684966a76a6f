import { createHash } from 'node:crypto';
import type { Logger as SlackLogger, WebClient } from '@slack/web-api';
import type { ThreadRef } from '../outbox-entry.js';
import { classifySlackError } from './slack-errors.js';
import type { LookupOutcome, NotificationService, SendOutcome, SendRequest } from './types.js';

/** `service.slack` options (notifications-engine `SlackOptions`). */
export interface SlackServiceOptions {
  readonly token: string;
  readonly apiUrl?: string;
  readonly username?: string;
  readonly icon?: string;
  readonly disableUnfurl?: boolean;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
}

export const slackMetadataEventType = 'slipway_notification';

/**
 * The Web API client, with @slack/web-api imported on first use: a controller with no Slack service
 * configured never loads it (nor axios and form-data under it). It logs nothing: its debug output
 * would include request details.
 */
async function createWebClient(options: SlackServiceOptions, apiUrl: string): Promise<WebClient> {
  const { LogLevel, WebClient } = await import('@slack/web-api');
  const silentSlackLogger: SlackLogger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    setLevel: () => {},
    getLevel: () => LogLevel.ERROR,
    setName: () => {},
  };
  return new WebClient(options.token, {
    slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: options.timeoutMs ?? 10_000,
    logger: silentSlackLogger,
    logLevel: LogLevel.ERROR,
  });
}

const channelIdPattern = /^[CGD][A-Z0-9]{6,}$/;

type Json = Record<string, unknown>;
const parseArray = (text: string | undefined): Json[] | undefined =>
  text === undefined || text.trim() === '' ? undefined : (JSON.parse(text) as Json[]);

interface ChatArgs {
  channel: string;
  text: string;
  attachments?: Json[];
  blocks?: Json[];
}

/**
 * Slack via `@slack/web-api`, with its own retry loop disabled (`retryConfig.retries = 0`,
 * `rejectRateLimitedCalls`) so the delivery engine alone decides when to retry, and an explicit timeout.
 * Every post carries `metadata.event_payload.id` = the outbox id, so a redelivery after a crash can look
 * the message up (conversations.history / conversations.replies with `include_all_metadata`).
 */
export class SlackService implements NotificationService {
  readonly type = 'slack' as const;
  readonly workspace: string;
  private readonly client: Promise<WebClient>;
  private readonly channelIds = new Map<string, string>();

  constructor(private readonly options: SlackServiceOptions) {
    const apiUrl = options.apiUrl ?? 'https://slack.com/api/';
    this.workspace = `slack:${createHash('sha256').update(`${apiUrl}\u0000${options.token}`).digest('hex').slice(0, 16)}`;
    // Imported now, when a configuration names a Slack service, so the first message does not wait on it;
    // a failure surfaces on each call (as a transient error), never as an unhandled rejection.
    this.client = createWebClient(options, apiUrl);
    this.client.catch(() => {});
  }

  private webClient(): Promise<WebClient> {
    return this.client;
  }

  private content(request: SendRequest): ChatArgs {
    const n = request.notification;
    const attachments = parseArray(n.slack?.attachments);
    const blocks = parseArray(n.slack?.blocks);
    return {
      channel: request.recipient,
      text: n.message,
      ...(attachments !== undefined && { attachments }),
      ...(blocks !== undefined && { blocks }),
    };
  }

  private identity(request: SendRequest): Json {
    const username = request.notification.slack?.username ?? this.options.username;
    const icon = request.notification.slack?.icon ?? this.options.icon;
    const unfurl = this.options.disableUnfurl === true ? { unfurl_links: false, unfurl_media: false } : {};
    return {
      ...(username !== undefined && username !== '' && { username }),
      ...(icon !== undefined && /^:.+:$/.test(icon) && { icon_emoji: icon }),
      ...(icon !== undefined && /^https?:\/\//.test(icon) && { icon_url: icon }),
      ...unfurl,
    };
  }

  private async post(args: Json): Promise<ThreadRef> {
    const res = await (await this.webClient()).chat.postMessage(
      args as unknown as Parameters<WebClient['chat']['postMessage']>[0],
    );
    const ref = { channel: String(res.channel ?? ''), ts: String(res.ts ?? '') };
    if (typeof args.channel === 'string' && ref.channel !== '')
      this.channelIds.set(args.channel, ref.channel);
    return ref;
  }

  /** Post, reply in the thread of `slack.groupingKey`, and/or update its root, per `slack.deliveryPolicy`. */
  async send(request: SendRequest): Promise<SendOutcome> {
    const slack = request.notification.slack;
    const content = this.content(request);
    const metadata = { event_type: slackMetadataEventType, event_payload: { id: request.id } };
    const groupingKey = slack?.groupingKey ?? '';
    const policy = slack?.deliveryPolicy ?? 'Post';
    try {
      if (groupingKey === '' || request.thread === undefined) {
        const root = await this.post({ ...content, ...this.identity(request), metadata });
        return groupingKey === '' ? { kind: 'sent' } : { kind: 'sent', thread: root };
      }
      const thread = request.thread;
      // Update first: it is idempotent, so a retry after a failed reply does no harm.
      if (policy === 'Update' || policy === 'PostAndUpdate') {
        await (await this.webClient()).chat.update({
          ...content,
          channel: thread.channel,
          ts: thread.ts,
        } as unknown as Parameters<WebClient['chat']['update']>[0]);
      }
      if (policy === 'Post' || policy === 'PostAndUpdate') {
        await this.post({
          ...content,
          ...this.identity(request),
          thread_ts: thread.ts,
          ...(slack?.notifyBroadcast === true && { reply_broadcast: true }),
          metadata,
        });
      }
      return { kind: 'sent' };
    } catch (err) {
      return classifySlackError(err);
    }
  }

  private async channelId(recipient: string): Promise<string | undefined> {
    if (channelIdPattern.test(recipient)) return recipient;
    const known = this.channelIds.get(recipient);
    if (known !== undefined) return known;
    const name = recipient.replace(/^#/, '');
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await (await this.webClient()).conversations.list({
        limit: 1000,
        exclude_archived: true,
        types: 'public_channel,private_channel',
        ...(cursor !== undefined && { cursor }),
      });
      for (const c of res.channels ?? [])
        if (c.name !== undefined && c.id !== undefined) this.channelIds.set(c.name, c.id);
      const hit = this.channelIds.get(name);
      if (hit !== undefined) {
        this.channelIds.set(recipient, hit);
        return hit;
      }
      cursor = res.response_metadata?.next_cursor;
      if (cursor === undefined || cursor === '') return undefined;
    }
    return undefined;
  }

  async findDelivered(request: SendRequest, sinceMs: number): Promise<LookupOutcome> {
    try {
      const channel = await this.channelId(request.recipient);
      if (channel === undefined) return { kind: 'absent' };
      const isReply = request.thread !== undefined && (request.notification.slack?.groupingKey ?? '') !== '';
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const common = {
          channel,
          limit: 200,
          include_all_metadata: true,
          ...(cursor !== undefined && { cursor }),
        };
        const res = isReply
          ? await (await this.webClient()).conversations.replies({ ...common, ts: request.thread?.ts ?? '' })
          : await (await this.webClient()).conversations.history({
              ...common,
              oldest: String(Math.floor(sinceMs / 1000) - 60),
            });
        for (const m of res.messages ?? []) {
          const payload = (m as { metadata?: { event_type?: string; event_payload?: Json } }).metadata;
          if (payload?.event_type !== slackMetadataEventType || payload.event_payload?.id !== request.id)
            continue;
          const hasGroup = (request.notification.slack?.groupingKey ?? '') !== '';
          return !isReply && hasGroup && m.ts !== undefined
            ? { kind: 'found', thread: { channel, ts: m.ts } }
            : { kind: 'found' };
        }
        cursor = res.response_metadata?.next_cursor;
        if (!res.has_more || cursor === undefined || cursor === '') break;
      }
      return { kind: 'absent' };
    } catch (err) {
      const outcome = classifySlackError(err);
      return outcome.kind === 'transient' ? outcome : { kind: 'unsupported', reason: outcome.reason };
    }
  }
}
