import { createHash } from 'node:crypto';
import type { RecordedEvent } from '../core/index.js';
import type { TriggerEvent } from './plan.js';

interface Held extends TriggerEvent {
  readonly at: number;
}

/**
 * Events recorded in this process (`manager.events.onEvent`) waiting for their object's reconcile, which turns
 * them into outbox entries. An event is dropped only after its entries are written, or when its object never
 * shows up.
 */
export class EventInbox {
  private readonly byKey = new Map<string, Held[]>();
  private seq = 0;

  /** Holds the event; returns the work-queue key of its object. */
  add(event: RecordedEvent): string {
    const m = event.subject.metadata;
    const key = m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
    const digest = createHash('sha1').update(event.message).digest('hex').slice(0, 12);
    const held: Held = {
      id: `${event.timestamp}.${++this.seq}.${event.reason}.${digest}`,
      reason: event.reason,
      at: event.timestamp,
    };
    const list = this.byKey.get(key) ?? [];
    list.push(held);
    this.byKey.set(key, list);
    return key;
  }

  /** Events held for a key, oldest first (not removed). */
  peek(key: string): readonly Held[] {
    return this.byKey.get(key) ?? [];
  }

  /** Drops the given events (written to the outbox, or given up on). */
  ack(key: string, events: readonly TriggerEvent[]): void {
    const done = new Set(events.map((e) => e.id));
    const left = (this.byKey.get(key) ?? []).filter((e) => !done.has(e.id));
    if (left.length === 0) this.byKey.delete(key);
    else this.byKey.set(key, left);
  }
}
