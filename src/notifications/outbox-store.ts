import { isConflict, isNotFound, type KubeClient } from '../kube/index.js';
import type { Logger } from '../observability/index.js';
import { outboxAnnotation, sentAnnotation, type ThreadRef } from './outbox-entry.js';

/** The object an outbox entry lives on. */
export interface OutboxOwner {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** Where finished entries are removed and Slack threads persisted. */
export interface OutboxStore {
  /**
   * Removes a finished entry (delivered, found already delivered, or failed for good), leaving a sent marker
   * when `markSent` (see `OutboxEntry.markSent`).
   */
  complete(owner: OutboxOwner, id: string, markSent?: boolean, marker?: string): Promise<void>;
  /** Persists the thread of a `groupingKey` on the object (annotation name from `threadAnnotation`). */
  saveThread(owner: OutboxOwner, annotation: string, thread: ThreadRef): Promise<void>;
}

interface Batch {
  readonly owner: OutboxOwner;
  readonly annotations: Record<string, string | null>;
  readonly waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * The outbox on the objects themselves: entries and threads are annotations, changed with JSON merge patches
 * that only touch their own keys (no read-modify-write, no conflicts). Changes to one object within
 * `batchMs` go out as one patch. A deleted object has nothing left to clean up.
 */
export class KubeOutboxStore implements OutboxStore {
  private readonly batches = new Map<string, Batch>();

  constructor(
    private readonly client: KubeClient,
    private readonly logger: Logger,
    private readonly batchMs = 20,
  ) {}

  /** `marker`: the sent marker's value (`sentMarkerValue`); default the bare time. */
  complete(owner: OutboxOwner, id: string, markSent = false, marker?: string): Promise<void> {
    // same object, same batch: the marker and the removal go out in one patch
    if (markSent) this.change(owner, sentAnnotation(id), marker ?? String(Date.now())).catch(() => undefined);
    return this.change(owner, outboxAnnotation(id), null);
  }

  saveThread(owner: OutboxOwner, annotation: string, thread: ThreadRef): Promise<void> {
    return this.change(owner, annotation, JSON.stringify(thread));
  }

  private change(owner: OutboxOwner, annotation: string, value: string | null): Promise<void> {
    const key = `${owner.kind}/${owner.namespace}/${owner.name}`;
    let batch = this.batches.get(key);
    if (batch === undefined) {
      const created: Batch = { owner, annotations: {}, waiters: [] };
      batch = created;
      this.batches.set(key, created);
      setTimeout(() => {
        this.batches.delete(key);
        void this.flush(created);
      }, this.batchMs);
    }
    batch.annotations[annotation] = value;
    const b = batch;
    return new Promise<void>((resolve, reject) => b.waiters.push({ resolve, reject }));
  }

  private async flush(batch: Batch): Promise<void> {
    const { owner } = batch;
    try {
      await this.client.patch(
        { apiVersion: owner.apiVersion, kind: owner.kind, namespace: owner.namespace, name: owner.name },
        { metadata: { uid: owner.uid, annotations: batch.annotations } },
        { type: 'merge' },
      );
      for (const w of batch.waiters) w.resolve();
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) {
        // Gone, or replaced by a new object of the same name (uid precondition): nothing to clean up.
        for (const w of batch.waiters) w.resolve();
        return;
      }
      this.logger.debug({ err, object: owner.name }, 'outbox annotation update failed');
      for (const w of batch.waiters) w.reject(err);
    }
  }
}

/** An in-memory store, for the benchmark and unit tests only: it does not survive a restart. */
export class MemoryOutboxStore implements OutboxStore {
  readonly completed: string[] = [];
  readonly threads = new Map<string, ThreadRef>();

  async complete(_owner: OutboxOwner, id: string, _markSent?: boolean): Promise<void> {
    this.completed.push(id);
  }

  async saveThread(owner: OutboxOwner, annotation: string, thread: ThreadRef): Promise<void> {
    this.threads.set(`${owner.uid}|${annotation}`, thread);
  }
}
