import type { ErrorCode } from '@slack/web-api';
import type { SendOutcome } from './types.js';

/**
 * @slack/web-api's error codes, written out so that classifying an error does not load the client (the
 * type checks each value against the library's own enum).
 */
const SlackErrorCode = {
  RequestError: 'slack_webapi_request_error',
  HTTPError: 'slack_webapi_http_error',
  PlatformError: 'slack_webapi_platform_error',
  RateLimitedError: 'slack_webapi_rate_limited_error',
} as const satisfies { readonly [K in keyof typeof ErrorCode]?: `${(typeof ErrorCode)[K]}` };

/** Slack errors worth retrying; `ambiguous` ones may have been delivered. Everything else is permanent. */
const transientErrors: Readonly<Record<string, { readonly ambiguous: boolean }>> = {
  ratelimited: { ambiguous: false },
  rate_limited: { ambiguous: false },
  service_unavailable: { ambiguous: false },
  team_added_to_org: { ambiguous: false },
  internal_error: { ambiguous: true },
  fatal_error: { ambiguous: true },
  request_timeout: { ambiguous: true },
};

interface SlackErrorShape {
  readonly code?: unknown;
  readonly retryAfter?: unknown;
  readonly statusCode?: unknown;
  readonly data?: { readonly error?: unknown };
  readonly original?: { readonly message?: unknown };
}

/**
 * Classifies an error thrown by `@slack/web-api` (configured with `rejectRateLimitedCalls` and no retries):
 * rate limits carry their `Retry-After`; HTTP 5xx, timeouts and network errors are transient and ambiguous;
 * platform errors such as `channel_not_found`, `not_in_channel`, `invalid_auth` or `invalid_blocks` are
 * permanent. Reasons never include request arguments (which hold the token).
 */
export function classifySlackError(err: unknown): Exclude<SendOutcome, { kind: 'sent' }> {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SlackErrorShape;
  switch (e.code) {
    case SlackErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
      return { kind: 'transient', reason: 'ratelimited', retryAfterMs: seconds * 1000, ambiguous: false };
    }
    case SlackErrorCode.HTTPError: {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      if (status === 429)
        return { kind: 'transient', reason: 'http_429', retryAfterMs: 1000, ambiguous: false };
      if (status >= 500 || status === 408)
        return { kind: 'transient', reason: `http_${status}`, ambiguous: true };
      return { kind: 'permanent', reason: `http_${status}` };
    }
    case SlackErrorCode.RequestError:
      return { kind: 'transient', reason: 'request_error', ambiguous: true };
    case SlackErrorCode.PlatformError: {
      const error = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      const transient = transientErrors[error];
      return transient === undefined
        ? { kind: 'permanent', reason: error }
        : { kind: 'transient', reason: error, ambiguous: transient.ambiguous };
    }
    default:
      // A timeout or socket error surfaced without a Slack code: it may have reached Slack.
      return { kind: 'transient', reason: 'request_error', ambiguous: true };
  }
}
