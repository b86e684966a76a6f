import type { ServiceType } from '../config.js';
import type { ThreadRef } from '../outbox-entry.js';
import type { RenderedNotification } from '../render.js';

/** One message to deliver. */
export interface SendRequest {
  /** The outbox id; services that can attach metadata carry it so a redelivery can be detected. */
  readonly id: string;
  readonly recipient: string;
  readonly notification: RenderedNotification;
  /** The thread of the notification's `groupingKey`, when one was started before. */
  readonly thread?: ThreadRef;
}

/** What a send did. Failures are data: transient ones are retried by the delivery engine, permanent ones not. */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly thread?: ThreadRef }
  | {
      readonly kind: 'transient';
      readonly reason: string;
      /** The service asked to wait this long (HTTP 429 `Retry-After`), for the whole workspace. */
      readonly retryAfterMs?: number;
      /** The message may have been delivered (timeout, 5xx): check before sending again. */
      readonly ambiguous: boolean;
    }
  | { readonly kind: 'permanent'; readonly reason: string };

/** Whether a message with an outbox id is already there. */
export type LookupOutcome =
  | { readonly kind: 'found'; readonly thread?: ThreadRef }
  | { readonly kind: 'absent' }
  /** The service cannot tell (no history access, or no such API): send and accept a possible duplicate. */
  | { readonly kind: 'unsupported'; readonly reason: string }
  | Extract<SendOutcome, { kind: 'transient' }>;

/** A notification service (`NotificationService` of notifications-engine `pkg/services/services.go`). */
export interface NotificationService {
  readonly type: ServiceType;
  /** Pacing and `Retry-After` scope: one workspace (token + API URL), never containing the token itself. */
  readonly workspace: string;
  send(request: SendRequest): Promise<SendOutcome>;
  /** Looks for a message carrying `request.id` posted since `sinceMs`. */
  findDelivered(request: SendRequest, sinceMs: number): Promise<LookupOutcome>;
}
