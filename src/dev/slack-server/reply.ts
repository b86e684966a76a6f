import type { SlackReply } from './types.js';

/** Arguments of one Web API call. */
export type Params = Readonly<Record<string, unknown>>;

export const ok = (body: Record<string, unknown>): SlackReply => ({
  status: 200,
  body: { ok: true, ...body },
});

export const fail = (error: string, extra: Record<string, unknown> = {}): SlackReply => ({
  status: 200,
  body: { ok: false, error, ...extra },
});
