import type { OutboxEntry } from './outbox-entry.js';

/** How long an entry may wait for the transition it belongs to before it is dropped. Default 10 minutes. */
export const maxUncommittedMs = 10 * 60_000;

/**
 * What the sender sees of the entry's object, all from ONE object version (one informer object, never two
 * reads): whether the entry is still in its outbox and the hash of its status (`transitionOf`).
 */
export interface CommitView {
  readonly hasEntry: boolean;
  readonly transition: string;
}

export type CommitVerdict =
  | { readonly kind: 'deliver' }
  | { readonly kind: 'wait' }
  | {
      readonly kind: 'drop';
      readonly reason: 'object-gone' | 'obsolete' | 'uncommitted';
      /** The entry is still on the object and must be removed. */
      readonly remove: boolean;
    };

export interface CommitInput {
  readonly entry: Pick<OutboxEntry, 'from' | 'createdAt'>;
  /** The object as last observed; `undefined` when it is gone (or replaced by another of the same name). */
  readonly view: CommitView | undefined;
  /** The entry was seen in an observed version of its object before (so its absence now means removed). */
  readonly seen: boolean;
  readonly now: number;
  readonly maxWaitMs?: number;
}

/**
 * Whether an outbox entry may be sent. An event-trigger entry is written BEFORE the status write that commits
 * its transition; `from` is the hash of the status that transition starts from. While the object's status still
 * hashes to `from`, the transition is not committed: wait (bounded). Once the status moved on, the entry was
 * committed if it is still there: the controller removes the entries of an attempt it decided differently in
 * the same patch that records the new decision, before that decision's status write. An entry seen once and
 * gone since was removed (obsolete, or finished by someone else): drop it. Entries without `from` (state
 * triggers, best-effort events) are committed when written.
 */
export function decideCommit(input: CommitInput): CommitVerdict {
  const { entry, view, seen, now } = input;
  if (entry.from === undefined) return { kind: 'deliver' };
  if (view === undefined) return { kind: 'drop', reason: 'object-gone', remove: false };
  if (!view.hasEntry) {
    // not seen yet: the observed version may predate the write of the entry
    if (seen) return { kind: 'drop', reason: 'obsolete', remove: false };
  } else if (view.transition !== entry.from) return { kind: 'deliver' };
  if (now - entry.createdAt > (input.maxWaitMs ?? maxUncommittedMs))
    return { kind: 'drop', reason: 'uncommitted', remove: view.hasEntry };
  return { kind: 'wait' };
}
