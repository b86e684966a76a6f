import { type KeyShardingAlgorithm, ownerOf, sortedMembers } from './assignment.js';

/** What one list of the group's member Leases showed about one member. */
export interface MemberObservation {
  readonly identity: string;
  /** Changes whenever the member renews (renew time, claim): liveness is judged by seeing it change. */
  readonly fingerprint: string;
  /** The member list the member's Lease claims to work under (sorted). */
  readonly claim: readonly string[];
  /** The member's own lease duration. */
  readonly leaseDurationMs: number;
  /** The Lease's annotations (other claims written with this one). */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ShardCoordinatorOptions {
  readonly identity: string;
  readonly algorithm: KeyShardingAlgorithm;
  /**
   * How long a member must have been seen unchanged before it counts as gone. Only used for this
   * replica's own Lease (others say theirs).
   */
  readonly leaseDurationMs: number;
  /** This replica stops taking any unit when it could not renew for this long (< lease duration). */
  readonly renewDeadlineMs: number;
  /** Dead members' Leases are deleted after this long unseen changing. Default 4 lease durations. */
  readonly forgetAfterMs?: number;
}

/** A snapshot of what gates this replica's work (for metrics, logs and change detection). */
export interface ShardView {
  readonly self: string;
  /** Live members this replica wants to share with (sorted, self included); empty when fenced. */
  readonly desired: readonly string[];
  /** The member list this replica's Lease claims and that was persisted before the last list. */
  readonly claimed: readonly string[];
  /** Other live members and the member lists their Leases claim. */
  readonly others: ReadonlyMap<string, readonly string[]>;
  readonly fenced: boolean;
}

interface Seen {
  fingerprint: string;
  observedAt: number;
  observation: MemberObservation;
}

/**
 * The handover rule, pure (time comes in as `now`). Each replica publishes in its Lease a *claim*: the
 * member list it works under. It reconciles a unit only when
 *   1. the unit is its own under its claim, persisted before its latest list of the group's Leases,
 *   2. the unit is its own under the members it currently sees live (so lost units stop at once), and
 *   3. no other live member's claim gives that member the unit.
 * It changes its claim to the live members only when none of the units it is still reconciling would
 * belong to another member under the new list. Two replicas therefore never start one unit together:
 * each checks the other's claim in a list made after writing its own, so one of the two lists sees
 * the other's claim. A member that stops renewing is ignored once this replica has seen its Lease
 * unchanged for its lease duration; it fences itself earlier (renew deadline) by taking nothing.
 */
export class ShardCoordinator {
  private readonly seen = new Map<string, Seen>();
  private desired: readonly string[] = [];
  private claimedWritten: readonly string[] = [];
  private claimedListed: readonly string[] = [];
  private others = new Map<string, readonly string[]>();
  private lastWriteAt: number | undefined;
  private hasListedAfterWrite = false;
  /** Claims of writes whose outcome is unknown (a timeout): the Lease may hold any of them. */
  private uncertain: (readonly string[])[] = [];

  constructor(private readonly options: ShardCoordinatorOptions) {}

  get identity(): string {
    return this.options.identity;
  }

  /** True once a claim was written and the group listed after it: the gate reflects the world. */
  get isSettled(): boolean {
    return this.hasListedAfterWrite;
  }

  isFenced(now: number): boolean {
    return this.lastWriteAt === undefined || now - this.lastWriteAt > this.options.renewDeadlineMs;
  }

  /**
   * The claim to write at the next renew: the live members, unless a unit still being reconciled
   * would then belong to someone else (keep the current claim until it finishes). Fenced: empty,
   * once idle.
   */
  nextClaim(processing: Iterable<string>, now: number): readonly string[] {
    const target = this.isFenced(now) && this.lastWriteAt !== undefined ? [] : this.desired;
    if (sameList(target, this.claimedWritten)) return target;
    for (const unit of processing)
      if (ownerOf(unit, target, this.options.algorithm) !== this.options.identity) return this.claimedWritten;
    return target;
  }

  /** The Lease was written with `claim` at `now`. */
  written(claim: readonly string[], now: number): void {
    if (!sameList(claim, this.claimedWritten)) this.hasListedAfterWrite = false;
    this.claimedWritten = claim;
    this.lastWriteAt = now;
    this.uncertain = [];
  }

  /**
   * A write of `claim` failed without saying whether it was stored (a timeout, a 5xx): until the next
   * successful write, start only units that are this replica's under that claim too.
   */
  writeUncertain(claim: readonly string[]): void {
    if (!sameList(claim, this.claimedWritten)) this.uncertain.push(claim);
  }

  /** The group's Leases as one list read them at `now` (made after the last successful write). */
  listed(observations: readonly MemberObservation[], now: number): void {
    const present = new Set<string>();
    for (const o of observations) {
      present.add(o.identity);
      const s = this.seen.get(o.identity);
      if (!s || s.fingerprint !== o.fingerprint)
        this.seen.set(o.identity, { fingerprint: o.fingerprint, observedAt: now, observation: o });
      else s.observation = o;
    }
    for (const id of [...this.seen.keys()]) if (!present.has(id)) this.seen.delete(id);
    this.others = new Map();
    for (const [id, s] of this.seen) {
      if (id === this.options.identity) continue;
      if (s.observedAt + s.observation.leaseDurationMs > now) this.others.set(id, s.observation.claim);
    }
    this.claimedListed = this.claimedWritten;
    this.hasListedAfterWrite = this.lastWriteAt !== undefined;
    this.desired = this.isFenced(now) ? [] : sortedMembers([this.options.identity, ...this.others.keys()]);
  }

  /** Whether this replica may start reconciling `unit` now (the three rules above). */
  mayProcess(unit: string, now: number): boolean {
    if (!this.hasListedAfterWrite || this.isFenced(now)) return false;
    const self = this.options.identity;
    const { algorithm } = this.options;
    if (ownerOf(unit, this.claimedListed, algorithm) !== self) return false;
    if (ownerOf(unit, this.desired, algorithm) !== self) return false;
    for (const claim of this.uncertain) if (ownerOf(unit, claim, algorithm) !== self) return false;
    for (const [id, claim] of this.others) if (ownerOf(unit, claim, algorithm) === id) return false;
    return true;
  }

  /** Members whose Leases nobody renewed for `forgetAfterMs`: safe to delete. */
  forgotten(now: number): readonly string[] {
    const after = this.options.forgetAfterMs ?? 4 * this.options.leaseDurationMs;
    return [...this.seen.entries()]
      .filter(([id, s]) => id !== this.options.identity && now - s.observedAt > after)
      .map(([id]) => id);
  }

  view(now: number): ShardView {
    return {
      self: this.options.identity,
      desired: this.desired,
      claimed: this.claimedListed,
      others: this.others,
      fenced: this.isFenced(now),
    };
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A stable string for a view: equal strings, equal gates. */
export function viewFingerprint(view: ShardView): string {
  const others = [...view.others.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([view.desired, view.claimed, others, view.fenced]);
}
