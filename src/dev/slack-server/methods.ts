import { conversationsHistory, conversationsReplies } from './conversations.js';
import type { MessageStore } from './message-store.js';
import { fail, ok, type Params } from './reply.js';
import { readBoolean, readJsonArray, readJsonObject, readString } from './request-body.js';
import type { TrafficControl } from './traffic-control.js';
import type { SlackMessage, SlackMessageMetadata, SlackReply } from './types.js';

/** What a method handler may use. */
export interface MethodContext {
  readonly store: MessageStore;
  readonly traffic: TrafficControl;
  readonly team: string;
  readonly teamId: string;
  readonly botName: string;
  readonly botId: string;
  readonly userId: string;
  readonly onMessage: (message: SlackMessage, kind: 'posted' | 'updated') => void;
}

type Handler = (ctx: MethodContext, params: Params) => SlackReply;

function authTest(ctx: MethodContext): SlackReply {
  return ok({
    url: 'https://slipway-test.slack.com/',
    team: ctx.team,
    user: ctx.botName,
    team_id: ctx.teamId,
    user_id: ctx.userId,
    bot_id: ctx.botId,
    is_enterprise_install: false,
  });
}

interface Content {
  readonly text: string;
  readonly attachments: Record<string, unknown>[] | undefined;
  readonly blocks: Record<string, unknown>[] | undefined;
}

/** Validates text/attachments/blocks as chat.postMessage and chat.update do. */
function readContent(params: Params): Content | SlackReply {
  const attachments = readJsonArray(params.attachments);
  if (attachments === 'invalid') return fail('invalid_attachments');
  const blocks = readJsonArray(params.blocks);
  if (blocks === 'invalid') return fail('invalid_blocks');
  const text = readString(params.text) ?? '';
  if (text === '' && (attachments ?? []).length === 0 && (blocks ?? []).length === 0) return fail('no_text');
  // Slack numbers attachments (`id`) and fills `fallback` when missing.
  const numbered = attachments?.map((a, i) => ({ fallback: a.title ?? a.text ?? '', ...a, id: i + 1 }));
  return { text, attachments: numbered, blocks };
}

const isReply = (x: Content | SlackReply): x is SlackReply => 'status' in x;

/** `metadata` as Slack validates it: an object with a string `event_type` and an object `event_payload`. */
function readMetadata(params: Params): SlackMessageMetadata | undefined | SlackReply {
  const raw = readJsonObject(params.metadata);
  if (raw === undefined) return undefined;
  if (raw === 'invalid') return fail('invalid_metadata_format');
  const { event_type: type, event_payload: payload } = raw;
  if (typeof type !== 'string' || type === '') return fail('invalid_metadata_schema');
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    return fail('invalid_metadata_schema');
  return { event_type: type, event_payload: payload as Record<string, unknown> };
}

function postMessage(ctx: MethodContext, params: Params): SlackReply {
  const channelRef = readString(params.channel);
  if (channelRef === undefined || channelRef === '') return fail('channel_not_found');
  const channel = ctx.store.resolve(channelRef);
  if (channel === undefined) return fail('channel_not_found');
  const content = readContent(params);
  if (isReply(content)) return content;
  const metadata = readMetadata(params);
  if (metadata !== undefined && 'status' in metadata) return metadata;
  const paced = ctx.traffic.checkChannelPace(channel.id);
  if (paced !== undefined) return paced;
  const threadTs = readString(params.thread_ts);
  const iconEmoji = readString(params.icon_emoji);
  const iconUrl = readString(params.icon_url);
  const unfurlLinks = readBoolean(params.unfurl_links);
  const unfurlMedia = readBoolean(params.unfurl_media);
  const message: SlackMessage = {
    type: 'message',
    subtype: 'bot_message',
    channel: channel.id,
    ts: ctx.store.nextTs(),
    text: content.text,
    bot_id: ctx.botId,
    ...(readString(params.username) !== undefined ? { username: readString(params.username) } : {}),
    ...(threadTs !== undefined && threadTs !== '' ? { thread_ts: threadTs } : {}),
    ...(threadTs !== undefined && readBoolean(params.reply_broadcast) === true
      ? { reply_broadcast: true }
      : {}),
    ...(content.attachments !== undefined ? { attachments: content.attachments } : {}),
    ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
    ...(iconEmoji !== undefined || iconUrl !== undefined
      ? { icons: iconEmoji !== undefined ? { emoji: iconEmoji } : { image_48: iconUrl } }
      : {}),
    ...(unfurlLinks !== undefined ? { unfurl_links: unfurlLinks } : {}),
    ...(unfurlMedia !== undefined ? { unfurl_media: unfurlMedia } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
  ctx.store.add(message);
  ctx.onMessage(message, 'posted');
  return ok({ channel: channel.id, ts: message.ts, message });
}

function update(ctx: MethodContext, params: Params): SlackReply {
  const channelRef = readString(params.channel);
  const ts = readString(params.ts);
  if (channelRef === undefined || channelRef === '') return fail('channel_not_found');
  const channel = ctx.store.resolve(channelRef);
  if (channel === undefined) return fail('channel_not_found');
  if (ts === undefined || ts === '') return fail('message_not_found');
  const existing = ctx.store.find(channel.id, ts);
  if (existing === undefined) return fail('message_not_found');
  const content = readContent(params);
  if (isReply(content)) return content;
  // Slack keeps the previous attachments/blocks when the field is absent; an empty array removes them.
  const updated: SlackMessage = {
    ...existing,
    text: content.text,
    ...(content.attachments !== undefined ? { attachments: content.attachments } : {}),
    ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
    edited: { user: ctx.userId, ts: ctx.store.nextTs() },
  };
  ctx.store.replace(updated);
  ctx.onMessage(updated, 'updated');
  return ok({ channel: channel.id, ts, text: updated.text, message: updated });
}

function conversationsList(ctx: MethodContext): SlackReply {
  const channels = ctx.store.channels().map((c) => ({
    id: c.id,
    name: c.name,
    is_channel: true,
    is_private: false,
    is_archived: false,
    is_member: true,
  }));
  return ok({ channels, response_metadata: { next_cursor: '' } });
}

const handlers: Readonly<Record<string, Handler>> = {
  'auth.test': authTest,
  'chat.postMessage': postMessage,
  'chat.update': update,
  'conversations.list': conversationsList,
  'conversations.history': conversationsHistory,
  'conversations.replies': conversationsReplies,
};

/** Runs one Web API method; unknown methods answer `unknown_method` as Slack does. */
export function runMethod(ctx: MethodContext, method: string, params: Params): SlackReply {
  const handler = handlers[method];
  if (handler === undefined) return fail('unknown_method', { req_method: method });
  return handler(ctx, params);
}

export const knownMethods: readonly string[] = Object.keys(handlers);
