/**
 * The handover rule of docs/decisions/011 for units that are not keys: an Application's unit is its
 * destination cluster, and which replica owns a cluster depends on every cluster (round-robin, bounded
 * loads), so replicas cannot compute each other's share from a member list. Each replica therefore
 * writes in its Lease the clusters it claims, explicitly, plus the keys it is still reconciling under
 * a cluster they no longer belong to (`moving`). Pure: time comes in as `now`.
 *
 * A replica starts a key whose unit is `u` only when
 *   1. `u` is in its own claim, persisted before its latest list of the group's Leases,
 *   2. `u` is its own under its current view (members, clusters, counts),
 *   3. no other live member claims `u` or lists the key as moving, and
 *   4. the key's unit has not changed for `moveWaitMs` as this replica saw it (a moved Application
 *      waits for the replica that may still be reconciling it under its old cluster to say so).
 * The claim keeps the cluster of every key in flight until that reconcile finishes (finish, then
 * release), so a cluster changes hands only between reconciles.
 */

export interface ClusterClaim {
  /** Cluster units (servers; '' for Applications whose destination resolves to no cluster), sorted. */
  readonly units: readonly string[];
  /** Keys in flight under a unit that is no longer theirs, sorted. */
  readonly moving: readonly string[];
}

export const EMPTY_CLUSTER_CLAIM: ClusterClaim = { units: [], moving: [] };

export function encodeClusterClaim(claim: ClusterClaim): string {
  return JSON.stringify({ u: claim.units, k: claim.moving });
}

/** A claim as written by `encodeClusterClaim`; anything unreadable claims nothing. */
export function decodeClusterClaim(text: string | undefined): ClusterClaim {
  if (!text) return EMPTY_CLUSTER_CLAIM;
  try {
    const v = JSON.parse(text) as { u?: unknown; k?: unknown };
    const strings = (x: unknown) =>
      Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : [];
    return { units: strings(v.u), moving: strings(v.k) };
  } catch {
    return EMPTY_CLUSTER_CLAIM;
  }
}

export function sameClusterClaim(a: ClusterClaim, b: ClusterClaim): boolean {
  return encodeClusterClaim(a) === encodeClusterClaim(b);
}

interface Seen {
  unit: string;
  since: number;
}

export class ClusterClaims {
  private desired = new Set<string>();
  private writtenClaim: ClusterClaim = EMPTY_CLUSTER_CLAIM;
  private listedUnits = new Set<string>();
  private hasListedAfterWrite = false;
  private hasWritten = false;
  private uncertain: Set<string>[] = [];
  private others = new Map<string, { units: Set<string>; moving: Set<string> }>();
  /** The unit each key in flight was started under. */
  private readonly admitted = new Map<string, string>();
  private readonly seen = new Map<string, Seen>();
  /** Keys whose unit changed and whose wait has not ended yet at the last list: key → change time. */
  private readonly moves = new Map<string, number>();

  constructor(private readonly moveWaitMs: number) {}

  get isSettled(): boolean {
    return this.hasListedAfterWrite;
  }

  /** The units this replica wants under its current view. */
  get desiredUnits(): ReadonlySet<string> {
    return this.desired;
  }

  /** The claim to write now: the wanted units (none when fenced) plus those of keys in flight. */
  nextClaim(
    processing: Iterable<string>,
    unitOf: (key: string) => string | undefined,
    fenced: boolean,
  ): ClusterClaim {
    const units = new Set(fenced ? [] : this.desired);
    const moving = new Set<string>();
    const inFlight = new Set<string>();
    for (const key of processing) {
      const unit = this.admitted.get(key);
      if (unit === undefined) continue;
      inFlight.add(key);
      units.add(unit);
      if (unitOf(key) !== unit) moving.add(key);
    }
    for (const key of [...this.admitted.keys()]) if (!inFlight.has(key)) this.admitted.delete(key);
    return { units: [...units].sort(), moving: [...moving].sort() };
  }

  written(claim: ClusterClaim): void {
    if (!sameClusterClaim(claim, this.writtenClaim)) this.hasListedAfterWrite = false;
    this.writtenClaim = claim;
    this.hasWritten = true;
    this.uncertain = [];
  }

  /** A write whose outcome is unknown: until the next successful one, start only units in it too. */
  writeUncertain(claim: ClusterClaim): void {
    if (!sameClusterClaim(claim, this.writtenClaim)) this.uncertain.push(new Set(claim.units));
  }

  /**
   * A list of the group made after the last write: `others` are the live members' claims, `desired`
   * the units this replica should own under the members and clusters it sees now. Returns whether the
   * gate may answer differently (also when a moved key's wait ended).
   */
  listed(others: ReadonlyMap<string, ClusterClaim>, desired: ReadonlySet<string>, now: number): boolean {
    const before = this.fingerprint();
    let waitEnded = false;
    for (const [key, since] of [...this.moves])
      if (now - since >= this.moveWaitMs) {
        this.moves.delete(key);
        waitEnded = true;
      }
    this.others = new Map(
      [...others].map(([id, c]) => [id, { units: new Set(c.units), moving: new Set(c.moving) }]),
    );
    this.desired = new Set(desired);
    this.listedUnits = new Set(this.writtenClaim.units);
    this.hasListedAfterWrite = this.hasWritten;
    return waitEnded || before !== this.fingerprint();
  }

  /** Rules 1–4 for `key`, whose unit is `unit` now. */
  mayProcess(key: string, unit: string, now: number, fenced: boolean): boolean {
    const seen = this.observe(key, unit, now);
    if (!this.hasListedAfterWrite || fenced) return false;
    if (!this.listedUnits.has(unit) || !this.desired.has(unit)) return false;
    for (const u of this.uncertain) if (!u.has(unit)) return false;
    for (const o of this.others.values()) if (o.units.has(unit) || o.moving.has(key)) return false;
    return now - seen.since >= this.moveWaitMs;
  }

  /** mayProcess, and when true, remember the unit the key starts under (a worker is about to run it). */
  admit(key: string, unit: string, now: number, fenced: boolean): boolean {
    if (!this.mayProcess(key, unit, now, fenced)) return false;
    this.admitted.set(key, unit);
    return true;
  }

  /** Keys that no longer exist are forgotten. */
  forget(exists: (key: string) => boolean): void {
    for (const key of [...this.seen.keys()])
      if (!exists(key)) {
        this.seen.delete(key);
        this.moves.delete(key);
      }
  }

  /** Other live members that claim `unit` (for `slipway cluster shards` and logs). */
  claimedBy(unit: string): readonly string[] {
    return [...this.others].filter(([, o]) => o.units.has(unit)).map(([id]) => id);
  }

  /** A key seen for the first time needs no wait; a key whose unit changed waits from the change. */
  private observe(key: string, unit: string, now: number): Seen {
    const s = this.seen.get(key);
    if (!s) {
      const first = { unit, since: Number.NEGATIVE_INFINITY };
      this.seen.set(key, first);
      return first;
    }
    if (s.unit !== unit) {
      s.unit = unit;
      s.since = now;
      this.moves.set(key, now);
    }
    return s;
  }

  private fingerprint(): string {
    const others = [...this.others]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, o]) => [id, [...o.units].sort(), [...o.moving].sort()]);
    return JSON.stringify([[...this.desired].sort(), [...this.listedUnits].sort(), others]);
  }
}
