/** Data shapes of the local Slack Web API server used by tests and the demo. */

/** A channel the fake workspace knows. `id` defaults to a generated `C…` id. */
export interface SlackChannelSpec {
  readonly name: string;
  readonly id?: string;
}

export interface SlackServerOptions {
  /** Port to bind on 127.0.0.1. Default 0 (a random free port). */
  readonly port?: number;
  /** Tokens that authenticate. Default `['xoxb-test-token']`. */
  readonly tokens?: readonly string[];
  /**
   * Channels of the workspace (names, with or without `#`, or specs). When given, posting anywhere else
   * answers `channel_not_found`; when omitted every channel exists.
   */
  readonly channels?: readonly (string | SlackChannelSpec)[];
  /**
   * Per-channel posting limit (Slack allows about one message per second per channel). More than
   * `messagesPerSecond` chat.postMessage calls to one channel within a sliding second answer HTTP 429 with
   * `Retry-After: 1`, and are recorded as violations. Default: not enforced.
   */
  readonly perChannelLimit?: { readonly messagesPerSecond: number };
  /** Print each message as a readable line: `true` → stdout, or a function receiving each line. */
  readonly console?: boolean | ((line: string) => void);
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
  /** Workspace identity returned by auth.test. */
  readonly team?: string;
  readonly botName?: string;
}

/** One stored Slack message (the shape Slack returns under `message`). */
export interface SlackMessage {
  readonly type: 'message';
  readonly subtype: 'bot_message';
  readonly channel: string;
  readonly ts: string;
  readonly text: string;
  readonly username?: string;
  readonly bot_id: string;
  readonly thread_ts?: string;
  readonly reply_broadcast?: boolean;
  readonly attachments?: readonly Record<string, unknown>[];
  readonly blocks?: readonly Record<string, unknown>[];
  readonly icons?: { readonly emoji?: string; readonly image_48?: string };
  readonly unfurl_links?: boolean;
  readonly unfurl_media?: boolean;
  readonly edited?: { readonly user: string; readonly ts: string };
  /** Event metadata attached with `metadata` (returned by history only with `include_all_metadata`). */
  readonly metadata?: SlackMessageMetadata;
}

/** `metadata` of chat.postMessage / chat.update: `{event_type, event_payload}`. */
export interface SlackMessageMetadata {
  readonly event_type: string;
  readonly event_payload: Readonly<Record<string, unknown>>;
}

/** One request as the server saw it. Tokens are never recorded. */
export interface SlackRequestRecord {
  readonly method: string;
  /** Milliseconds from the server clock when the request arrived. */
  readonly at: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: number;
  /** `error` of the answer when `ok` was false, or `http_<status>`. */
  readonly error?: string;
  readonly channel?: string;
}

/** A per-channel pacing violation: a post arrived while the channel was over its limit. */
export interface SlackRateViolation {
  readonly channel: string;
  readonly at: number;
  readonly postsInWindow: number;
}

/** What the next call of a method should answer instead of its normal result. */
export type SlackFailure =
  | { readonly error: string }
  | { readonly status: 429; readonly retryAfterSeconds: number }
  | { readonly status: 500 | 502 | 503 };

/** A handler's answer before it is written to the socket. */
export interface SlackReply {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>> | string;
  readonly headers?: Readonly<Record<string, string>>;
}
