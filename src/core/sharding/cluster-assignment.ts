import { createHash } from 'node:crypto';
import { fnv32a } from '../../go/index.js';

/**
 * Argo CD's application-controller sharding with clusters as the unit (`controller/sharding`): each
 * cluster gets a shard number in [0, replicas); every Application goes with its destination cluster.
 * Pure: clusters, replica count and application counts in, shard numbers out.
 */
export type ClusterShardingAlgorithm = 'legacy' | 'round-robin' | 'consistent-hashing';

export interface ShardCluster {
  /**
   * Argo CD's cluster ID: the cluster Secret's uid; '' for the implicit in-cluster (no Secret).
   * Clusters are ranked by it (round-robin) and hashed by it (legacy, consistent-hashing).
   */
  readonly id: string;
  /** The key of the result (Argo keys its shard table by server URL). */
  readonly server: string;
  /** The Secret's `shard` field, when it holds a whole number. */
  readonly shard?: number;
}

export interface ClusterShardTable {
  /** Shard number per cluster server. */
  readonly shards: ReadonlyMap<string, number>;
  /** Clusters whose pinned `shard` is not below the replica count (they go to shard 0, as in Argo CD). */
  readonly outOfRange: readonly string[];
}

/**
 * Argo CD's `ClusterSharding.updateDistribution`: a pinned `shard` below `replicas` wins; a pinned one
 * at or above it means shard 0; the others follow the algorithm. Pinned clusters still count in the
 * round-robin ranking and keep their place in the consistent-hashing walk, as upstream.
 */
export function clusterShards(
  clusters: readonly ShardCluster[],
  replicas: number,
  algorithm: ClusterShardingAlgorithm,
  appsPerServer: ReadonlyMap<string, number> = new Map(),
): ClusterShardTable {
  const shards = new Map<string, number>();
  const outOfRange: string[] = [];
  if (replicas < 1) return { shards, outOfRange };
  const computed = distribute(clusters, replicas, algorithm, appsPerServer);
  for (const c of clusters) {
    if (c.shard !== undefined && c.shard >= 0 && c.shard < replicas) shards.set(c.server, c.shard);
    else if (c.shard !== undefined) {
      outOfRange.push(c.server);
      shards.set(c.server, 0);
    } else shards.set(c.server, computed.get(c.id) ?? 0);
  }
  return { shards, outOfRange };
}

/** The algorithm's shard per cluster id (pins ignored). One replica: everything is shard 0. */
function distribute(
  clusters: readonly ShardCluster[],
  replicas: number,
  algorithm: ClusterShardingAlgorithm,
  appsPerServer: ReadonlyMap<string, number>,
): ReadonlyMap<string, number> {
  const out = new Map<string, number>();
  if (replicas === 1) {
    for (const c of clusters) out.set(c.id, 0);
    return out;
  }
  const sorted = [...clusters].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  switch (algorithm) {
    case 'legacy':
      // FNV-32a of the id modulo replicas; the in-cluster (empty id) is shard 0
      for (const c of clusters) out.set(c.id, c.id === '' ? 0 : fnv32a(c.id) % replicas);
      return out;
    case 'round-robin':
      // rank in the list sorted by id, modulo replicas (equal ids: the last rank, as Argo's map)
      sorted.forEach((c, i) => {
        out.set(c.id, i % replicas);
      });
      return out;
    case 'consistent-hashing':
      return boundedLoads(sorted, replicas, appsPerServer);
  }
}

const REPLICATION_FACTOR = 1000;
const EXTRA_CAPACITY = 1.25;

/** First 8 bytes of BLAKE2b-512, little-endian (the ring's hash). */
function ringHash(text: string): bigint {
  return createHash('blake2b512').update(text, 'utf8').digest().readBigUInt64LE(0);
}

interface Ring {
  readonly points: readonly bigint[];
  readonly owner: ReadonlyMap<bigint, number>;
}

const rings = new Map<number, Ring>();

/** Shards "0".."n-1", each at 1,000 points `hash(<shard><i>)`; a later shard overwrites an equal point. */
function ringFor(replicas: number): Ring {
  const cached = rings.get(replicas);
  if (cached) return cached;
  const owner = new Map<bigint, number>();
  for (let s = 0; s < replicas; s++)
    for (let i = 0; i < REPLICATION_FACTOR; i++) owner.set(ringHash(`${s}${i}`), s);
  const points = [...owner.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const ring = { points, owner };
  if (rings.size > 16) rings.clear();
  rings.set(replicas, ring);
  return ring;
}

/** Index of the first point strictly above `h`, wrapping to 0. */
function nextPoint(points: readonly bigint[], h: bigint): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid] as bigint) <= h) lo = mid + 1;
    else hi = mid;
  }
  return lo === points.length ? 0 : lo;
}

/**
 * Consistent hashing with bounded loads (Argo CD's `createConsistentHashingWithBoundLoads`): clusters in
 * id order walk the ring from their hash to the first shard whose load (Applications of the clusters it
 * already got) is below ceil(floor((total + 1) / n) × 1.25), at least 2; then that shard's load grows by
 * the cluster's Application count.
 */
function boundedLoads(
  sorted: readonly ShardCluster[],
  replicas: number,
  appsPerServer: ReadonlyMap<string, number>,
): ReadonlyMap<string, number> {
  const ring = ringFor(replicas);
  const loads = new Array<number>(replicas).fill(0);
  let total = 0;
  const out = new Map<string, number>();
  const loadOK = (shard: number) => {
    let avg = Math.floor((total + 1) / replicas);
    if (avg === 0) avg = 1;
    return (loads[shard] as number) < Math.ceil(avg * EXTRA_CAPACITY);
  };
  for (const c of sorted) {
    let i = nextPoint(ring.points, ringHash(c.id));
    let shard = ring.owner.get(ring.points[i] as bigint) as number;
    // some shard is always below the bound, so the walk ends within one turn
    for (let steps = 0; !loadOK(shard) && steps < ring.points.length; steps++) {
      i = (i + 1) % ring.points.length;
      shard = ring.owner.get(ring.points[i] as bigint) as number;
    }
    out.set(c.id, shard);
    const apps = appsPerServer.get(c.server) ?? 0;
    loads[shard] = (loads[shard] as number) + apps;
    total += apps;
  }
  return out;
}

/** The `shard` field of a cluster Secret as Argo CD reads it (strconv.Atoi); undefined when absent or not a number. */
export function parseShardField(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
