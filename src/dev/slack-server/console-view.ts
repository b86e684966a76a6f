import type { SlackMessage } from './types.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `HH:MM:SS` (UTC) of a Slack `ts`. */
export function clockOf(ts: string): string {
  const d = new Date(Number.parseFloat(ts) * 1000);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
}

function attachmentSummary(a: Readonly<Record<string, unknown>>): string {
  const title = typeof a.title === 'string' ? a.title : typeof a.fallback === 'string' ? a.fallback : '';
  const color = typeof a.color === 'string' && a.color !== '' ? a.color : 'none';
  const fields = Array.isArray(a.fields) ? a.fields.length : 0;
  return `[${color}] ${oneLine(title)}${fields > 0 ? ` (${fields} fields)` : ''}`;
}

/**
 * A readable rendering of one message, e.g.
 * `#deploys  14:03:07  slipway: Rollout guestbook paused  [good] Canary 20%`.
 * Thread replies are marked `↳`, edits `(edited)`.
 */
export function formatMessage(
  message: SlackMessage,
  channelName: string,
  kind: 'posted' | 'updated',
): string {
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  const who = message.username ?? 'bot';
  const parts = [
    `#${channelName}`,
    clockOf(kind === 'updated' ? (message.edited?.ts ?? message.ts) : message.ts),
  ];
  const body = `${isReply ? '↳ ' : ''}${who}: ${oneLine(message.text)}`;
  const extras: string[] = [];
  for (const a of message.attachments ?? []) extras.push(attachmentSummary(a));
  if ((message.blocks ?? []).length > 0) extras.push(`[${(message.blocks ?? []).length} blocks]`);
  if (message.reply_broadcast === true) extras.push('(also sent to channel)');
  if (kind === 'updated') extras.push('(edited)');
  return [...parts, [body, ...extras].join('  ')].join('  ');
}
