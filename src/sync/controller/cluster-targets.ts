/**
 * Where an Application's objects live: the destination cluster's client, live-state caches, resource
 * manager, sync runner and dry-run cache. The in-cluster target is the controller's own; a remote
 * target is built on demand from its cluster Secret, probed (GET /version) before each use with a
 * short cache and every probe period while it lives, rebuilt when its Secret changes, and stopped
 * once no Application targets it. When a probe's answer changes (the cluster went away, or answers
 * again) its Applications look again: a cluster that stops answering turns its apps Unknown within
 * a probe period, not at their next periodic reconcile, while its caches still hold the last state.
 */
import type { Logger } from 'pino';
import {
  type Cluster,
  ClusterError,
  ClusterErrorCode,
  type ClusterRegistry,
  type ConnectionState,
  connectionFingerprint,
  type DestinationResolution,
  isInCluster,
  probeConnection,
} from '../../clusters/index.js';
import type { Manager } from '../../core/index.js';
import { KubeClient } from '../../kube/index.js';
import { ResourceManager } from '../apply/index.js';
import type { Application } from '../types.js';
import { PredictionCache } from './comparison.js';
import { LiveState } from './live-state.js';
import { SyncRunner } from './sync-runner.js';

export interface ClusterTarget {
  readonly server: string;
  readonly name: string;
  /** The destination cluster's client (the controller's own for the in-cluster). */
  readonly client: KubeClient;
  readonly live: LiveState;
  readonly rm: ResourceManager;
  readonly runner: SyncRunner;
  readonly predictions: PredictionCache;
}

interface RemoteTarget extends ClusterTarget {
  readonly fingerprint: string;
  /** The last probe's answer, trusted for probeTtlMs; cleared when a request found the cluster unreachable. */
  state?: ConnectionState;
  /** The last probe's status, kept when `state` is cleared: what the next answer is compared with. */
  lastStatus?: ConnectionState['status'];
  probing?: Promise<ConnectionState>;
  /** Probes the cluster every probeTtlMs while the target lives. */
  heartbeat?: NodeJS.Timeout;
}

export interface ClusterTargetsOptions {
  readonly manager: Manager;
  readonly registry: ClusterRegistry;
  /** The in-cluster target (the caches the controller has always had). */
  readonly local: ClusterTarget;
  readonly logger: Logger;
  /** Called with the app name a changed remote object is tracked by. */
  readonly onChange: (appName: string) => void;
  /**
   * Called with a cluster's server when its connection state changes (it stopped answering, or
   * answers again) or RBAC allows its caches again: the cluster's apps look again.
   */
  readonly onConnectionChange: (server: string) => void;
  /** How long a connection probe's answer is trusted, and the period every remote cluster is probed at. Default 10 s. */
  readonly probeTtlMs?: number;
  /** The clock (epoch ms). Default Date.now. */
  readonly now?: () => number;
}

export class ClusterTargets {
  private readonly remote = new Map<string, RemoteTarget>();

  constructor(private readonly options: ClusterTargetsOptions) {}

  /** The cluster an Application's destination names, or Argo CD's message why none. */
  resolve(app: Application): DestinationResolution {
    return this.options.registry.resolve(app.spec.destination);
  }

  /**
   * The target of a resolved cluster, connected: throws CLUSTER_UNREACHABLE with the connection error
   * (Argo CD's "Failed to load live state") while its API server cannot be reached.
   */
  async connect(cluster: Cluster, nowMs: number): Promise<ClusterTarget> {
    if (isInCluster(cluster)) return this.options.local;
    const target = this.targetFor(cluster);
    const state = await this.probe(target, nowMs);
    if (state.status !== 'Successful')
      throw new ClusterError(
        ClusterErrorCode.Unreachable,
        `Failed to load live state: failed to sync cluster ${cluster.server}: ${state.message}`,
      );
    return target;
  }

  /**
   * A request to the cluster failed as unreachable (a dry run, an apply): the next use probes again
   * instead of trusting the last answer.
   */
  noteUnavailable(server: string): void {
    const t = this.remote.get(server);
    if (t?.state?.status === 'Successful') t.state = undefined;
  }

  /** The last connection state of every remote target (servers without one were never used). */
  connectionStates(): ReadonlyMap<string, ConnectionState> {
    const out = new Map<string, ConnectionState>();
    for (const [server, t] of this.remote) if (t.state) out.set(server, t.state);
    return out;
  }

  /** Stops remote targets no Application resolves to any more. */
  async releaseUnused(apps: readonly Application[]): Promise<void> {
    const used = new Set<string>();
    for (const a of apps) {
      const r = this.resolve(a);
      if (r.kind === 'resolved') used.add(r.cluster.server);
    }
    for (const [server, t] of [...this.remote]) {
      if (used.has(server)) continue;
      this.remote.delete(server);
      this.options.logger.info({ server, cluster: t.name }, 'stopped the caches of an unused cluster');
      await this.close(t);
    }
  }

  async stop(): Promise<void> {
    const all = [...this.remote.values()];
    this.remote.clear();
    await Promise.all(all.map((t) => this.close(t)));
  }

  private targetFor(cluster: Cluster): RemoteTarget {
    const fingerprint = connectionFingerprint(cluster);
    const existing = this.remote.get(cluster.server);
    if (existing?.fingerprint === fingerprint) return existing;
    if (existing) {
      // the Secret changed (a rotated token, new namespaces): new client and caches
      this.remote.delete(cluster.server);
      void this.close(existing);
    }
    const { manager, logger } = this.options;
    const client = KubeClient.forCluster(cluster.name, cluster.server, cluster.config);
    const live = new LiveState(manager, {
      client,
      ...(cluster.namespaces.length > 0 && { namespaces: cluster.namespaces }),
      onChange: this.options.onChange,
      // a restarted API server refuses watches until its RBAC cache is warm: retry soon, and let the
      // cluster's apps look again once allowed
      forbiddenRetryMs: 10_000,
      onAllowed: () => this.options.onConnectionChange(cluster.server),
    });
    const rm = new ResourceManager(client);
    const target: RemoteTarget = {
      server: cluster.server,
      name: cluster.name,
      client,
      live,
      rm,
      runner: new SyncRunner(rm, live, logger.child({ cluster: cluster.name })),
      predictions: new PredictionCache(),
      fingerprint,
    };
    this.remote.set(cluster.server, target);
    this.startHeartbeat(target);
    logger.info({ server: cluster.server, cluster: cluster.name }, 'started the caches of a cluster');
    return target;
  }

  /** The last answer while younger than `maxAgeMs`, else a new probe (one at a time). */
  private async probe(
    target: RemoteTarget,
    nowMs: number,
    maxAgeMs = this.options.probeTtlMs ?? 10_000,
  ): Promise<ConnectionState> {
    if (target.state && nowMs - target.state.attemptedAt < maxAgeMs) return target.state;
    if (!target.probing) {
      target.probing = probeConnection(target.client, nowMs).then((state) => {
        const previous = target.lastStatus;
        target.state = state;
        target.lastStatus = state.status;
        target.probing = undefined;
        if (previous !== state.status) {
          const fields = { server: target.server, cluster: target.name, status: state.status };
          if (state.status === 'Successful')
            this.options.logger.info(fields, 'cluster connection state changed');
          else
            this.options.logger.warn({ ...fields, error: state.message }, 'cluster connection state changed');
          // the first answer is the one the connecting reconcile acts on; a change is news to every app
          if (previous !== undefined && this.remote.get(target.server) === target)
            this.options.onConnectionChange(target.server);
        }
        return state;
      });
    }
    return target.probing;
  }

  /**
   * Probes the cluster every probeTtlMs while the target lives, so a cluster that stops answering is
   * noticed within one period plus the probe's own answer (at once when connections are refused, at
   * most the probe timeout when nothing answers), without waiting for a reconcile to ask.
   */
  private startHeartbeat(target: RemoteTarget): void {
    const period = this.options.probeTtlMs ?? 10_000;
    const now = this.options.now ?? Date.now;
    target.heartbeat = setInterval(() => {
      if (this.remote.get(target.server) !== target) {
        clearInterval(target.heartbeat);
        return;
      }
      void this.probe(target, now(), 0);
    }, period);
    target.heartbeat.unref();
  }

  private async close(t: ClusterTarget): Promise<void> {
    if ((t as RemoteTarget).heartbeat) clearInterval((t as RemoteTarget).heartbeat);
    await t.live.stop();
    t.client.close();
  }
}
