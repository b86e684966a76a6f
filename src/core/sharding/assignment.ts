import { fnv32a } from '../../go/index.js';

/**
 * How a unit of work (an object's `namespace/name` key) maps to one of the live members. Names follow
 * Argo CD's `controller.sharding.algorithm` (`ARGOCD_CONTROLLER_SHARDING_ALGORITHM`):
 * - `legacy`: FNV-32a of the unit modulo the member count, Argo CD's default. Cheap; uneven for few
 *   units; most units move when a member joins or leaves.
 * - `consistent-hashing`: rendezvous (highest random weight) hashing: each unit goes to the member
 *   with the highest score for it. Balanced within a few percent for many units, and minimal movement:
 *   a departing member's units spread over the others, nothing else moves; a joining member takes
 *   about 1/n of each other member's units.
 * - `round-robin`: Argo CD's rank-in-the-sorted-list rule. It needs the whole list of units, which
 *   replicas do not agree on while caches differ, so it is only offered as `assignRoundRobin` over a
 *   given list (see docs/decisions/011-sharding.md); `slipway controller` refuses it.
 */
export type ShardingAlgorithm = 'legacy' | 'consistent-hashing' | 'round-robin';

export const SHARDING_ALGORITHMS: readonly ShardingAlgorithm[] = [
  'legacy',
  'consistent-hashing',
  'round-robin',
];

/** The algorithms that map a unit to a member from the unit and the members alone. */
export type KeyShardingAlgorithm = Exclude<ShardingAlgorithm, 'round-robin'>;

/**
 * The member that owns `unit` among `members` (sorted, distinct; as published in the shard Leases).
 * Undefined when there are no members. Pure and stable: same inputs, same answer, on every replica.
 */
export function ownerOf(
  unit: string,
  members: readonly string[],
  algorithm: KeyShardingAlgorithm,
): string | undefined {
  if (members.length === 0) return undefined;
  if (members.length === 1) return members[0];
  switch (algorithm) {
    case 'legacy':
      // Argo CD: an empty cluster id (in-cluster) is shard 0.
      return members[unit === '' ? 0 : fnv32a(unit) % members.length];
    case 'consistent-hashing':
      return highestScore(unit, members);
  }
}

/** Rendezvous hashing: the member with the highest mixed FNV score for (member, unit); ties: the first. */
function highestScore(unit: string, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const member of members) {
    const score = mix32(fnv32a(`${member}\u0000${unit}`));
    if (score > bestScore) {
      best = member;
      bestScore = score;
    }
  }
  return best;
}

/** MurmurHash3's 32-bit finaliser: spreads FNV's weak low bits so scores compare fairly. */
function mix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Argo CD's `round-robin`: units sorted, the i-th goes to member i mod n (members sorted). Balanced to
 * ±1, but adding or removing one unit reshuffles the ones after it.
 */
export function assignRoundRobin(
  units: readonly string[],
  members: readonly string[],
): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  if (members.length === 0) return out;
  const sorted = [...new Set(units)].sort();
  sorted.forEach((unit, i) => {
    out.set(unit, members[i % members.length] as string);
  });
  return out;
}

/** Member identities as every replica orders them: distinct, sorted by code unit. */
export function sortedMembers(identities: Iterable<string>): readonly string[] {
  return [...new Set(identities)].sort();
}
