import { hostname } from 'node:os';
import { isAlreadyExists, isConflict, isNotFound, type KubeClient, type KubeObject } from '../kube/index.js';
import type { Logger } from '../observability/index.js';
import { type Clock, systemClock } from './clock.js';

export interface LeaderElectionOptions {
  readonly namespace: string;
  /** Lease name. */
  readonly name: string;
  /** Default hostname_pid_random. */
  readonly identity?: string;
  /** A follower takes over this long after it last saw the lease change. Default 15 s. */
  readonly leaseDurationMs?: number;
  /** The leader gives up when it could not renew for this long. Default 10 s. */
  readonly renewDeadlineMs?: number;
  /** Attempts to acquire or renew this often. Default 2 s. */
  readonly retryPeriodMs?: number;
}

interface LeaseSpec {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}
type Lease = KubeObject & { spec?: LeaseSpec };

const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;

/** RFC 3339 with microseconds, as metav1.MicroTime serialises. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * client-go's Lease lock: acquire when the lease is free or expired (judged by when WE last saw it
 * change, so clock skew between holders does not matter), renew every retry period, give up after the
 * renew deadline, and release on stop so a successor need not wait.
 */
export class LeaderElector {
  readonly identity: string;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private observedSpec: string | undefined;
  private observedAt = 0;
  private leading = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly options: LeaderElectionOptions,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.identity =
      options.identity ?? `${hostname()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    this.leaseMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryMs = options.retryPeriodMs ?? 2_000;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Blocks until leading (or stopped), calls `onStarted`, then renews until the lease is lost or
   * `stop()` is called; calls `onStopped` when leadership ends.
   */
  run(callbacks: { onStarted: () => void; onStopped: () => void }): Promise<void> {
    this.loop ??= this.electionLoop(callbacks);
    return this.loop;
  }

  private async electionLoop(callbacks: { onStarted: () => void; onStopped: () => void }): Promise<void> {
    while (!this.stopped && !(await this.tryAcquireOrRenew())) await this.sleep(this.jitter(this.retryMs));
    if (this.stopped) return;
    this.leading = true;
    this.logger.info({ lease: this.options.name, identity: this.identity }, 'became leader');
    callbacks.onStarted();
    let lastRenew = this.clock.now();
    while (!this.stopped) {
      await this.sleep(this.retryMs);
      if (this.stopped) break;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = this.clock.now();
      } else if (this.clock.now() - lastRenew > this.renewDeadlineMs) {
        this.logger.error({ lease: this.options.name }, 'lost leadership: could not renew the lease in time');
        break;
      }
    }
    const wasLeading = this.leading;
    this.leading = false;
    if (wasLeading) callbacks.onStopped();
  }

  /**
   * Stops renewing and, when leading, releases the lease so another candidate takes over at once.
   * Waits for an in-flight renew first: releasing against a stale read would lose to it.
   */
  async stop(): Promise<void> {
    const wasLeading = this.leading;
    this.stopped = true;
    this.wake?.();
    await this.loop;
    if (!wasLeading) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const lease = await this.client.get<Lease>(this.ref());
        if (lease.spec?.holderIdentity !== this.identity) return;
        const now = microTime(this.clock.now());
        await this.client.replace({
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: '',
            leaseDurationSeconds: 1,
            renewTime: now,
            acquireTime: now,
          },
        });
        this.logger.info({ lease: this.options.name }, 'released leadership');
        return;
      } catch (err) {
        if (isConflict(err)) continue;
        this.logger.warn({ err, lease: this.options.name }, 'could not release the lease');
        return;
      }
    }
  }

  private ref() {
    return { ...LEASE, namespace: this.options.namespace, name: this.options.name };
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const spec: LeaseSpec = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.leaseMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    let lease: Lease;
    try {
      lease = await this.client.get<Lease>(this.ref());
    } catch (err) {
      if (!isNotFound(err)) {
        this.logger.warn({ err, lease: this.options.name }, 'cannot read the leader lease');
        return false;
      }
      try {
        await this.client.create({
          ...LEASE,
          metadata: { namespace: this.options.namespace, name: this.options.name },
          spec,
        });
        return true;
      } catch (createErr) {
        if (!isAlreadyExists(createErr))
          this.logger.warn({ err: createErr }, 'cannot create the leader lease');
        return false;
      }
    }
    const current = lease.spec ?? {};
    const fingerprint = JSON.stringify(current);
    if (fingerprint !== this.observedSpec) {
      this.observedSpec = fingerprint;
      this.observedAt = now;
    }
    const holder = current.holderIdentity ?? '';
    const isMine = holder === this.identity;
    const durationMs = (current.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== '' && !isMine && this.observedAt + durationMs > now) return false;
    const next: LeaseSpec = {
      ...spec,
      acquireTime: isMine && current.acquireTime ? current.acquireTime : spec.acquireTime,
      leaseTransitions: (current.leaseTransitions ?? 0) + (isMine ? 0 : 1),
    };
    try {
      const updated = await this.client.replace<Lease>({ ...lease, spec: next });
      this.observedSpec = JSON.stringify(updated.spec ?? {});
      this.observedAt = now;
      return true;
    } catch (err) {
      if (!isConflict(err))
        this.logger.warn({ err, lease: this.options.name }, 'cannot update the leader lease');
      return false;
    }
  }

  private jitter(ms: number): number {
    return ms * (1 + Math.random() * 0.2);
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
