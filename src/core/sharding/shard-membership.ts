import { hostname } from 'node:os';
import { isAlreadyExists, isConflict, isNotFound, type KubeClient } from '../../kube/index.js';
import type { Logger, Metrics } from '../../observability/index.js';
import { type Clock, systemClock } from '../clock.js';
import type { KeyShardingAlgorithm } from './assignment.js';
import { ShardCoordinator, type ShardView, viewFingerprint } from './shard-coordinator.js';
import {
  LEASE_GVK,
  memberIdentity,
  observeShardLease,
  SHARD_GROUP_LABEL,
  type ShardLease,
  shardLease,
  shardLeaseName,
} from './shard-lease.js';

export interface ShardingOptions {
  /** Namespace of the member Leases (the controller's namespace). */
  readonly namespace: string;
  /** Replicas with the same group share the work (label `slipway.io/shard-group`). */
  readonly group: string;
  readonly algorithm: KeyShardingAlgorithm;
  /** Default `<hostname>-<random>`, made safe for a Lease name. */
  readonly identity?: string;
  /** Others take a silent member's share after seeing its Lease unchanged this long. Default 15 s. */
  readonly leaseDurationMs?: number;
  /** A replica that could not renew this long takes no new work. Default 10 s. */
  readonly renewDeadlineMs?: number;
  /** Renew and list this often. Default 2 s. */
  readonly retryPeriodMs?: number;
}

/** What a controller asks before it queues or starts a key. */
export interface ShardGate {
  /** Whether this replica may reconcile `key` now. */
  mayProcess(key: string): boolean;
  /** Called after every renew; `changed` when the gate may answer differently than before. */
  onUpdate(listener: (changed: boolean) => void): void;
  /**
   * Like mayProcess, when a worker is about to start `key` (a gate that must remember what was
   * started under which unit implements it). Default: mayProcess.
   */
  admit?(key: string): boolean;
}

/**
 * A second claim written in the same Lease at every renew and read back from the other members' Leases
 * at every list (the clusters an Application gate claims). Its handover rule is its own.
 */
export interface ClaimChannel {
  /** The Lease annotation holding this claim. */
  readonly annotation: string;
  /** The value to write at this renew (`fenced`: this replica takes no new work). */
  next(fenced: boolean): string;
  written(value: string): void;
  /** A write that may or may not have been stored. */
  uncertain(value: string): void;
  /**
   * After a list: this replica's view and the other live members' values (undefined: none written).
   * Returns whether its gate may answer differently.
   */
  listed(view: ShardView, others: ReadonlyMap<string, string | undefined>, now: number): boolean;
  /** Whether the value to write differs from the last one listed (write again at once). */
  wantsWrite(fenced: boolean): boolean;
}

/**
 * This replica's membership in a shard group: one Lease per replica, renewed every retry period; the
 * group listed right after each renew; the handover rule in ShardCoordinator. Stopping deletes the
 * Lease, so the others take over at the next renew instead of after the lease duration.
 */
export class ShardMembership implements ShardGate {
  readonly identity: string;
  private readonly coordinator: ShardCoordinator;
  private readonly leaseMs: number;
  private readonly retryMs: number;
  private readonly listeners: ((changed: boolean) => void)[] = [];
  private readonly channels: ClaimChannel[] = [];
  private lease: ShardLease | undefined;
  private fingerprint = '';
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly options: ShardingOptions,
    private readonly processing: () => Iterable<string>,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly clock: Clock = systemClock,
  ) {
    this.identity = options.identity ?? memberIdentity(hostname(), Math.random().toString(36).slice(2, 8));
    this.leaseMs = options.leaseDurationMs ?? 15_000;
    this.retryMs = options.retryPeriodMs ?? 2_000;
    this.coordinator = new ShardCoordinator({
      identity: this.identity,
      algorithm: options.algorithm,
      leaseDurationMs: this.leaseMs,
      renewDeadlineMs: options.renewDeadlineMs ?? 10_000,
    });
  }

  /** True once this replica's claim is written and the group listed after it. */
  get isSettled(): boolean {
    return this.coordinator.isSettled;
  }

  view(): ShardView {
    return this.coordinator.view(this.clock.now());
  }

  mayProcess(key: string): boolean {
    return this.coordinator.mayProcess(key, this.clock.now());
  }

  onUpdate(listener: (changed: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Writes and reads another claim with this replica's Lease (call before start). */
  addChannel(channel: ClaimChannel): void {
    this.channels.push(channel);
  }

  /** Whether this replica takes no new work now (never renewed, or not for the renew deadline). */
  get isFenced(): boolean {
    return this.coordinator.isFenced(this.clock.now());
  }

  /** The member identities this replica sees live (sorted, itself included; empty while fenced). */
  get members(): readonly string[] {
    return this.coordinator.view(this.clock.now()).desired;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops renewing and deletes this replica's Lease (call after the controllers stopped). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    try {
      await this.client.delete({ ...LEASE_GVK, namespace: this.options.namespace, name: this.leaseName });
      this.logger.info({ identity: this.identity }, 'released shard membership');
    } catch (err) {
      if (!isNotFound(err)) this.logger.warn({ err }, 'could not delete the shard lease');
    }
  }

  private get leaseName(): string {
    return shardLeaseName(this.identity);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const again = await this.tick();
      if (this.stopped) break;
      // A claim that can change now (members changed, nothing in the way) is written at once.
      if (!again) await this.sleep(this.retryMs * (1 + Math.random() * 0.1));
    }
  }

  /** One renew + list; true when the claim should be written again right away. */
  private async tick(): Promise<boolean> {
    const claim = this.coordinator.nextClaim(this.processing(), this.clock.now());
    const before = this.coordinator.view(this.clock.now()).claimed;
    const fencedBefore = this.isFenced;
    const extra = this.channels.map((c) => [c, c.next(fencedBefore)] as const);
    const outcome = await this.write(
      claim,
      Object.fromEntries(extra.map(([c, value]) => [c.annotation, value])),
    );
    if (outcome === 'written') this.coordinator.written(claim, this.clock.now());
    else if (outcome === 'unknown') this.coordinator.writeUncertain(claim);
    for (const [c, value] of extra)
      if (outcome === 'written') c.written(value);
      else if (outcome === 'unknown') c.uncertain(value);
    // undefined when the list failed: the channels keep their last view (never an empty one)
    let annotations: Map<string, Readonly<Record<string, string>>> | undefined;
    try {
      const list = await this.client.list<ShardLease>(LEASE_GVK, {
        namespace: this.options.namespace,
        labelSelector: `${SHARD_GROUP_LABEL}=${this.options.group}`,
      });
      const observations = list.items.flatMap((l) => {
        const o = observeShardLease(l);
        return o ? [o] : [];
      });
      this.coordinator.listed(observations, this.clock.now());
      annotations = new Map(observations.map((o) => [o.identity, o.annotations ?? {}]));
    } catch (err) {
      this.logger.warn({ err }, 'cannot list the shard leases');
    }
    const now = this.clock.now();
    const view = this.coordinator.view(now);
    if (!sameList(before, view.claimed)) {
      this.metrics.shardHandovers.inc({ group: this.options.group });
      this.logger.info({ identity: this.identity, members: view.claimed }, 'shard claim changed');
    }
    this.metrics.shardMembers.set({ group: this.options.group }, view.desired.length);
    this.metrics.shardIndex.set({ group: this.options.group }, view.desired.indexOf(this.identity));
    await this.forgetDeadMembers(view, now);
    const fingerprint = viewFingerprint(view);
    const changed = fingerprint !== this.fingerprint;
    this.fingerprint = fingerprint;
    let channelWrites = false;
    for (const c of annotations === undefined ? [] : this.channels) {
      const others = new Map([...view.others.keys()].map((id) => [id, annotations?.get(id)?.[c.annotation]]));
      const channelChanged = c.listed(view, others, now);
      channelWrites ||= channelChanged && c.wantsWrite(view.fenced);
    }
    for (const l of this.listeners) l(changed);
    return (
      (!sameList(this.coordinator.nextClaim(this.processing(), now), view.claimed) && changed) ||
      channelWrites
    );
  }

  /** Creates or renews this replica's Lease; `unknown` when the API server may or may not have stored it. */
  private async write(
    claim: readonly string[],
    extraAnnotations: Readonly<Record<string, string>>,
  ): Promise<'written' | 'refused' | 'unknown'> {
    const { namespace, group } = this.options;
    const build = () =>
      shardLease({
        namespace,
        group,
        identity: this.identity,
        leaseDurationMs: this.leaseMs,
        claim,
        now: this.clock.now(),
        extraAnnotations,
        ...(this.lease !== undefined && { current: this.lease }),
      });
    try {
      if (this.lease === undefined) {
        try {
          this.lease = await this.client.create<ShardLease>(build());
          return 'written';
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          this.lease = await this.client.get<ShardLease>({ ...LEASE_GVK, namespace, name: this.leaseName });
        }
      }
      this.lease = await this.client.replace<ShardLease>(build());
      return 'written';
    } catch (err) {
      // Read it again (or create it) at the next renew.
      this.lease = undefined;
      if (isConflict(err) || isNotFound(err) || isAlreadyExists(err)) return 'refused';
      this.logger.warn({ err }, 'cannot renew the shard lease');
      return 'unknown';
    }
  }

  /** The first live member deletes Leases nobody renewed for a long time (replicas SIGKILLed for good). */
  private async forgetDeadMembers(view: ShardView, now: number): Promise<void> {
    if (view.desired[0] !== this.identity) return;
    for (const id of this.coordinator.forgotten(now)) {
      try {
        await this.client.delete({
          ...LEASE_GVK,
          namespace: this.options.namespace,
          name: shardLeaseName(id),
        });
        this.logger.info({ member: id }, 'deleted the lease of a departed shard member');
      } catch (err) {
        if (!isNotFound(err)) this.logger.warn({ err, member: id }, 'cannot delete a departed member lease');
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
