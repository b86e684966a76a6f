import type { MessageStore } from './message-store.js';
import { fail, ok, type Params } from './reply.js';
import { readBoolean, readString } from './request-body.js';
import type { SlackMessage, SlackReply } from './types.js';

/**
 * conversations.history and conversations.replies as Slack documents them: the channel must be an id (a name
 * answers `channel_not_found`), `oldest`/`latest` bound the `ts` (exclusive unless `inclusive`), `limit`
 * defaults to 100 (at most 999), pages continue with `cursor`, and message `metadata` is returned only with
 * `include_all_metadata=true`. History lists top-level messages newest first (replies only when broadcast);
 * replies lists the parent and its replies oldest first.
 */

interface HistoryContext {
  readonly store: MessageStore;
}

const tsValue = (ts: string): number => Number.parseFloat(ts);

function readLimit(params: Params): number | SlackReply {
  const raw = readString(params.limit);
  if (raw === undefined || raw === '') return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) return fail('invalid_limit');
  return n === 0 ? 100 : Math.min(n, 999);
}

function readCursor(params: Params): number | SlackReply {
  const raw = readString(params.cursor);
  if (raw === undefined || raw === '') return 0;
  const decoded = Buffer.from(raw, 'base64').toString('utf8');
  const m = /^offset:(\d+)$/.exec(decoded);
  return m?.[1] === undefined ? fail('invalid_cursor') : Number(m[1]);
}

function inRange(params: Params, message: SlackMessage): boolean {
  const inclusive = readBoolean(params.inclusive) === true;
  const oldest = readString(params.oldest);
  const latest = readString(params.latest);
  const t = tsValue(message.ts);
  if (oldest !== undefined && oldest !== '') {
    const o = tsValue(oldest);
    if (inclusive ? t < o : t <= o) return false;
  }
  if (latest !== undefined && latest !== '') {
    const l = tsValue(latest);
    if (inclusive ? t > l : t >= l) return false;
  }
  return true;
}

function present(message: SlackMessage, withMetadata: boolean): SlackMessage {
  if (withMetadata || message.metadata === undefined) return message;
  const { metadata: _hidden, ...rest } = message;
  return rest;
}

function page(params: Params, messages: readonly SlackMessage[]): SlackReply {
  const limit = readLimit(params);
  if (typeof limit !== 'number') return limit;
  const offset = readCursor(params);
  if (typeof offset !== 'number') return offset;
  const withMetadata = readBoolean(params.include_all_metadata) === true;
  const slice = messages.slice(offset, offset + limit).map((m) => present(m, withMetadata));
  const hasMore = offset + limit < messages.length;
  const next = hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return ok({ messages: slice, has_more: hasMore, response_metadata: { next_cursor: next } });
}

export function conversationsHistory(ctx: HistoryContext, params: Params): SlackReply {
  const channel = ctx.store.byChannelId(readString(params.channel) ?? '');
  if (channel === undefined) return fail('channel_not_found');
  const top = ctx.store
    .channelMessages(channel.id)
    .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.reply_broadcast === true)
    .filter((m) => inRange(params, m))
    .reverse();
  return page(params, top);
}

export function conversationsReplies(ctx: HistoryContext, params: Params): SlackReply {
  const channel = ctx.store.byChannelId(readString(params.channel) ?? '');
  if (channel === undefined) return fail('channel_not_found');
  const ts = readString(params.ts);
  if (ts === undefined || ts === '') return fail('thread_not_found');
  const all = ctx.store.channelMessages(channel.id);
  const parent = all.find((m) => m.ts === ts);
  if (parent === undefined) return fail('thread_not_found');
  const thread = [parent, ...all.filter((m) => m.thread_ts === ts && m.ts !== ts)].filter(
    (m) => m === parent || inRange(params, m),
  );
  return page(params, thread);
}
