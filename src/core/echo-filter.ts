import type { KubeObject } from '../kube/index.js';
import type { StatusWriter } from './status-writer.js';

/**
 * Tells the watch events that only echo a controller's own writes from the changes worth a reconcile.
 *
 * A reconcile that has decided declares, before it writes, whether its decision is settled: deciding again
 * from the world as it leaves it (its status written, its children scaled) would change nothing. The
 * watch events its writes cause (the Rollout's new status, a ReplicaSet's new size) then need no reconcile:
 * the one that made them already saw everything they show. An unsettled decision (the machine moves on
 * once it sees its own status) keeps them, and so does any change made by someone else, which `StatusWriter`
 * tells apart by resourceVersion (opaque: only versions it wrote or wrote against count as ours).
 *
 * Memory: one flag per owner key, dropped with `forget` when the owner is deleted.
 */
export class EchoFilter {
  private readonly settled = new Map<string, boolean>();

  constructor(private readonly written: StatusWriter) {}

  /** What the reconcile of `owner` writes next needs no reconcile when it comes back (`true`), or does. */
  settle(owner: string, isSettled: boolean): void {
    if (isSettled) this.settled.set(owner, true);
    else this.settled.delete(owner);
  }

  /** Whether this change of a `kind` object is only the echo of writes by a settled reconcile of `owner`. */
  isEcho(
    kind: string,
    owner: string,
    current: KubeObject | undefined,
    previous: KubeObject | undefined,
  ): boolean {
    return this.settled.get(owner) === true && this.written.isOwnChange(kind, current, previous);
  }

  forget(owner: string): void {
    this.settled.delete(owner);
  }
}
