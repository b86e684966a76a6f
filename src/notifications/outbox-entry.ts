import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/index.js';
import type { RenderedNotification } from './render.js';

/**
 * One pending delivery. Entries are written to the object (one annotation each, so adding and removing
 * entries never conflict) in the same patch that records the notified state, before anything is sent; the
 * sender removes the annotation once the message is delivered or failed for good.
 */
export interface OutboxEntry {
  /** Deterministic: the same decision yields the same id, so retried writes and redeliveries are idempotent. */
  readonly id: string;
  /** Milliseconds since the epoch when the entry was planned. */
  readonly createdAt: number;
  readonly trigger: string;
  /** The service name (`slack`, `slack.<name>` → `<name>`, `webhook.<name>` → `<name>`). */
  readonly service: string;
  readonly recipient: string;
  /** Which configuration (`namespace/configmap`) defines the service. */
  readonly config: string;
  readonly notification: RenderedNotification;
  /**
   * Leave a sent marker (`sentAnnotation`) when finished: the entry belongs to an event whose transition may
   * be decided again after a crash before its commit, and the repeat must not send it again.
   */
  readonly markSent?: boolean;
  /**
   * For an event-trigger entry: the transition it belongs to (`transitionOf` the status the transition starts
   * from). It is sent only once the object's status moved away from it (see `decideCommit`).
   */
  readonly from?: string;
}

export const outboxAnnotationPrefix = 'outbox.notifications.slipway.dev/';
export const threadAnnotationPrefix = 'slack-thread.notifications.slipway.dev/';
/**
 * `sent.notifications.slipway.dev/<id>` = when the entry was finished and what it was: JSON
 * `{"at": ms, "trigger", "service", "recipient", "failed"?}` (older versions wrote the bare milliseconds),
 * so the delivery log can show an event notification once its outbox entry is gone.
 */
export const sentAnnotationPrefix = 'sent.notifications.slipway.dev/';

/** A sent marker read back (a legacy marker has only `at`). */
export interface SentMarker {
  readonly at: number;
  readonly trigger?: string;
  readonly service?: string;
  readonly recipient?: string;
  /** Finished without delivery (a permanent failure). */
  readonly failed?: boolean;
}

export function sentMarkerValue(
  at: number,
  entry: Pick<OutboxEntry, 'trigger' | 'service' | 'recipient'>,
  failed: boolean,
): string {
  return JSON.stringify({
    at,
    trigger: entry.trigger,
    service: entry.service,
    recipient: entry.recipient,
    ...(failed && { failed: true }),
  });
}

export function parseSentMarker(value: string | undefined): SentMarker {
  const text = (value ?? '').trim();
  if (!text.startsWith('{')) return { at: Number(text) || 0 };
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const trigger = str(m.trigger);
    const service = str(m.service);
    const recipient = str(m.recipient);
    return {
      at: typeof m.at === 'number' ? m.at : 0,
      ...(trigger !== undefined && { trigger }),
      ...(service !== undefined && { service }),
      ...(recipient !== undefined && { recipient }),
      ...(m.failed === true && { failed: true }),
    };
  } catch {
    return { at: 0 };
  }
}
/** Sent markers kept per object (the newest); a repeat only ever concerns the latest transitions. */
export const sentMarkersKept = 32;

/** 20 hex characters of sha256 over the parts. */
export function stableId(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
}

export function outboxAnnotation(id: string): string {
  return `${outboxAnnotationPrefix}${id}`;
}

export function sentAnnotation(id: string): string {
  return `${sentAnnotationPrefix}${id}`;
}

/** Sent markers beyond the newest `keep`, to delete. */
export function staleSentMarkers(object: KubeObject, keep = sentMarkersKept): string[] {
  const markers = Object.entries(object.metadata.annotations ?? {})
    .filter(([k]) => k.startsWith(sentAnnotationPrefix))
    .map(([k, v]) => ({ k, at: parseSentMarker(v).at }))
    .sort((a, b) => b.at - a.at || (a.k < b.k ? -1 : 1));
  return markers.slice(keep).map((m) => m.k);
}

export function encodeEntry(entry: OutboxEntry): string {
  const { id: _id, ...rest } = entry;
  return JSON.stringify({ v: 1, ...rest });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function decodeEntry(id: string, text: string): OutboxEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || raw.v !== 1 || !isRecord(raw.notification)) return undefined;
  const { createdAt, trigger, service, recipient, config, from } = raw;
  if (typeof createdAt !== 'number' || typeof trigger !== 'string' || typeof service !== 'string') return;
  if (typeof recipient !== 'string' || typeof config !== 'string') return undefined;
  if (typeof raw.notification.message !== 'string') return undefined;
  if (from !== undefined && typeof from !== 'string') return undefined;
  const notification = raw.notification as unknown as RenderedNotification;
  return {
    id,
    createdAt,
    trigger,
    service,
    recipient,
    config,
    notification,
    ...(raw.markSent === true && { markSent: true }),
    ...(typeof from === 'string' && { from }),
  };
}

/** Pending entries stored on an object, oldest first; unreadable entries are returned as `broken` ids. */
export function readOutbox(object: KubeObject): { entries: OutboxEntry[]; broken: string[] } {
  const entries: OutboxEntry[] = [];
  const broken: string[] = [];
  for (const [key, value] of Object.entries(object.metadata.annotations ?? {})) {
    if (!key.startsWith(outboxAnnotationPrefix)) continue;
    const id = key.slice(outboxAnnotationPrefix.length);
    const entry = decodeEntry(id, value);
    if (entry === undefined) broken.push(id);
    else entries.push(entry);
  }
  entries.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return { entries, broken };
}

/** The annotation that persists a Slack thread for (service, recipient, groupingKey). */
export function threadAnnotation(service: string, recipient: string, groupingKey: string): string {
  return `${threadAnnotationPrefix}${stableId(service, recipient, groupingKey)}`;
}

export interface ThreadRef {
  readonly channel: string;
  readonly ts: string;
}

export function readThread(object: KubeObject, annotation: string): ThreadRef | undefined {
  const text = object.metadata.annotations?.[annotation];
  if (text === undefined) return undefined;
  try {
    const raw: unknown = JSON.parse(text);
    if (isRecord(raw) && typeof raw.channel === 'string' && typeof raw.ts === 'string')
      return { channel: raw.channel, ts: raw.ts };
  } catch {
    // an unreadable thread starts a new one
  }
  return undefined;
}
