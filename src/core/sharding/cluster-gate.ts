import type { Logger, Metrics } from '../../observability/index.js';
import { type Clock, systemClock } from '../clock.js';
import { type ClusterShardingAlgorithm, clusterShards, type ShardCluster } from './cluster-assignment.js';
import {
  type ClusterClaim,
  ClusterClaims,
  decodeClusterClaim,
  encodeClusterClaim,
} from './cluster-claims.js';
import type { ShardView } from './shard-coordinator.js';
import type { ClaimChannel, ShardGate } from './shard-membership.js';

/** Annotation of a member Lease holding the clusters it claims (see cluster-claims.ts). */
export const SHARD_CLUSTER_CLAIM_ANNOTATION = 'slipway.io/shard-cluster-claim';

/** What a cluster-sharded controller knows about its objects (read from its caches). */
export interface ClusterUnitSource {
  /** Every registered cluster (Argo CD's id: the Secret's uid, '' for the implicit in-cluster). */
  clusters(): readonly ShardCluster[];
  /**
   * The cluster (server) an object's key goes with: its destination; '' when that names no cluster
   * (such objects go to shard 0); undefined when the object is not in the cache.
   */
  unitOf(key: string): string | undefined;
  /** Objects per cluster server, for consistent-hashing's bounded loads. */
  appsPerServer(): ReadonlyMap<string, number>;
}

/** The membership facts a cluster gate needs (ShardMembership provides them). */
export interface MembershipView {
  readonly identity: string;
  readonly isFenced: boolean;
}

export interface ClusterShardGateOptions {
  readonly name: string;
  readonly algorithm: ClusterShardingAlgorithm;
  readonly source: ClusterUnitSource;
  /** How long a key whose cluster changed waits before its new owner starts it. Default 15 s (a lease duration). */
  readonly moveWaitMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/**
 * Shards a controller's keys by the cluster each object targets, with Argo CD's algorithms and the
 * Secret's `shard` pin (shard N = the N-th live member in identity order). Its claim rides in the same
 * Lease as the member claim (a ClaimChannel); its gate answers for one controller.
 */
export class ClusterShardGate implements ShardGate, ClaimChannel {
  readonly annotation = SHARD_CLUSTER_CLAIM_ANNOTATION;
  private readonly claims: ClusterClaims;
  private readonly clock: Clock;
  private readonly listeners: ((changed: boolean) => void)[] = [];
  private processing: () => Iterable<string> = () => [];
  private lastWritten: ClusterClaim = { units: [], moving: [] };
  private outOfRange = '';

  constructor(
    private readonly membership: MembershipView,
    private readonly options: ClusterShardGateOptions,
  ) {
    this.claims = new ClusterClaims(options.moveWaitMs ?? 15_000);
    this.clock = options.clock ?? systemClock;
  }

  /** The keys the gated controller is reconciling now (their clusters stay claimed until done). */
  track(processing: () => Iterable<string>): void {
    this.processing = processing;
  }

  /** The clusters this replica owns under its current view. */
  get ownedClusters(): ReadonlySet<string> {
    return this.claims.desiredUnits;
  }

  mayProcess(key: string): boolean {
    return this.claims.mayProcess(key, this.unitOf(key), this.clock.now(), this.membership.isFenced);
  }

  admit(key: string): boolean {
    return this.claims.admit(key, this.unitOf(key), this.clock.now(), this.membership.isFenced);
  }

  onUpdate(listener: (changed: boolean) => void): void {
    this.listeners.push(listener);
  }

  next(fenced: boolean): string {
    return encodeClusterClaim(this.nextClaim(fenced));
  }

  written(value: string): void {
    this.lastWritten = decodeClusterClaim(value);
    this.claims.written(this.lastWritten);
  }

  uncertain(value: string): void {
    this.claims.writeUncertain(decodeClusterClaim(value));
  }

  wantsWrite(fenced: boolean): boolean {
    return encodeClusterClaim(this.nextClaim(fenced)) !== encodeClusterClaim(this.lastWritten);
  }

  listed(view: ShardView, others: ReadonlyMap<string, string | undefined>, now: number): boolean {
    const members = view.desired;
    const { source, algorithm } = this.options;
    const table = clusterShards(source.clusters(), members.length, algorithm, source.appsPerServer());
    const desired = new Set<string>();
    for (const [server, shard] of table.shards)
      if (members[shard] === this.membership.identity) desired.add(server);
    // objects whose destination names no cluster go to shard 0
    if (members[0] === this.membership.identity) desired.add('');
    const outOfRange = table.outOfRange.join(' ');
    if (outOfRange !== this.outOfRange && outOfRange !== '')
      this.options.logger?.warn(
        { clusters: table.outOfRange, replicas: members.length },
        'cluster shard is not below the number of replicas; using shard 0',
      );
    this.outOfRange = outOfRange;
    const claims = new Map([...others].map(([id, text]) => [id, decodeClusterClaim(text)]));
    const changed = this.claims.listed(claims, desired, now);
    this.claims.forget((key) => source.unitOf(key) !== undefined);
    this.options.metrics?.shardOwnedClusters.set(
      { controller: this.options.name },
      desired.size - (desired.has('') ? 1 : 0),
    );
    for (const l of this.listeners) l(changed);
    return changed;
  }

  private nextClaim(fenced: boolean): ClusterClaim {
    return this.claims.nextClaim(this.processing(), (key) => this.unitOf(key), fenced);
  }

  private unitOf(key: string): string {
    return this.options.source.unitOf(key) ?? '';
  }
}
