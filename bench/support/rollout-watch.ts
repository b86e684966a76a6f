// The benchmark's view of the cluster, the same whichever controller runs: Rollouts and ReplicaSets of
// one namespace kept by list + watch, how many Rollouts are Healthy on a given image, and the
// controller's added latency per step (a trigger — the Rollout's ReplicaSets ready at their target, a
// pause expiring — to the controller's next write, as a watcher sees it).
//
// The cluster is read by the controllers' own Reflector (every list page, watch resumed from its last
// resourceVersion, relist only on 410 Gone). The bench used to list one page (`list` stops at 500
// objects) and relist after every watch end, so with 2,000 idle Rollouts the relist after the
// watch's server timeout (300 s) or idle timeout (90 s) refreshed 500 of them and left the rest as
// they were: all-Healthy was never seen although all were Healthy.
import { type KubeClient, type KubeObject, Reflector } from '../../src/kube/index.js';
import type { ReplicaSet, Rollout } from '../../src/rollouts/index.js';

export type RolloutObject = Rollout & KubeObject;
export const ROLLOUT_KIND = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' } as const;
const REPLICA_SET_KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

export type TriggerKind = 'ready' | 'pause' | 'update';

/** One Rollout's update, split into the controller's reactions and everyone else's work. */
export interface RolloutPath {
  /** Its spec change seen by the watcher → Healthy on the new image. */
  readonly totalMs: number;
  /** The sum of the controller's reactions on the way (update, ReplicaSets ready, pause expired). */
  readonly controllerMs: number;
}

export class RolloutWatch {
  /** Watch restarts by reason (server timeout, idle, error, 410 Gone). */
  readonly restarts: Record<string, number> = {};
  readonly latencies: number[] = [];
  readonly byTrigger: Record<TriggerKind, number[]> = { ready: [], pause: [], update: [] };
  /** While measuring: per Rollout, when its update was seen and the controller's reaction time so far. */
  private readonly paths = new Map<string, { updatedAt: number; controllerMs: number; totalMs?: number }>();
  measuring = false;
  /** ReplicaSets by owning Rollout name, then by ReplicaSet name. */
  private readonly setsByOwner = new Map<string, Map<string, ReplicaSet>>();
  private readonly pending = new Map<string, { at: number; kind: TriggerKind }>();
  private readonly healthy = new Set<string>();
  private image = '';
  private readonly rollouts: Reflector<RolloutObject>;
  private readonly sets: Reflector<ReplicaSet & KubeObject>;

  constructor(client: KubeClient, namespace: string) {
    const onWatchRestart = (reason: string) => {
      this.restarts[reason] = (this.restarts[reason] ?? 0) + 1;
    };
    this.rollouts = new Reflector<RolloutObject>(client, { gvk: ROLLOUT_KIND, namespace, onWatchRestart });
    this.sets = new Reflector<ReplicaSet & KubeObject>(client, {
      gvk: REPLICA_SET_KIND,
      namespace,
      onWatchRestart,
    });
    this.rollouts.onChange((r, prev) => {
      if (r !== undefined) this.onRollout(r, prev);
    });
    this.sets.onChange((rs, prev) => {
      if (rs !== undefined) this.onReplicaSet(rs, prev);
    });
  }

  async start(): Promise<void> {
    this.rollouts.start();
    this.sets.start();
    await Promise.all([this.rollouts.waitForSync(), this.sets.waitForSync()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.rollouts.stop(), this.sets.stop()]);
  }

  /** From now on, count Rollouts Healthy on `image`. */
  expectImage(image: string): void {
    this.image = image;
    this.healthy.clear();
    this.paths.clear();
    for (const r of this.rollouts.store.list()) this.classify(r);
  }

  /** The measured Rollouts' update paths (those that reached Healthy on the expected image). */
  updatePaths(): RolloutPath[] {
    const out: RolloutPath[] = [];
    for (const p of this.paths.values())
      if (p.totalMs !== undefined) out.push({ totalMs: p.totalMs, controllerMs: p.controllerMs });
    return out;
  }

  healthyCount(): number {
    return this.healthy.size;
  }

  /** Resolves once `n` Rollouts are Healthy on the expected image; calls `onWait` every 10 s. */
  async allHealthy(n: number, onWait?: (healthy: number) => void): Promise<void> {
    let last = Date.now();
    while (this.healthy.size < n) {
      await new Promise((r) => setTimeout(r, 100));
      if (onWait !== undefined && Date.now() - last >= 10_000) {
        last = Date.now();
        onWait(this.healthy.size);
      }
    }
  }

  private classify(r: RolloutObject): void {
    const name = r.metadata.name ?? '';
    const ok =
      r.status?.phase === 'Healthy' &&
      r.status.observedGeneration === String(r.metadata.generation) &&
      imagesOf(r).includes(this.image);
    if (ok) {
      this.healthy.add(name);
      const path = this.paths.get(name);
      if (path !== undefined && path.totalMs === undefined) path.totalMs = Date.now() - path.updatedAt;
    } else this.healthy.delete(name);
  }

  private onRollout(r: RolloutObject, prev: RolloutObject | undefined): void {
    const name = r.metadata.name ?? '';
    if (
      this.measuring &&
      prev !== undefined &&
      !imagesOf(prev).includes(this.image) &&
      imagesOf(r).includes(this.image) &&
      !this.paths.has(name)
    ) {
      // the update itself, as the watcher sees it: the controller's first reaction is its next write
      this.paths.set(name, { updatedAt: Date.now(), controllerMs: 0 });
      this.pending.set(name, { at: Date.now(), kind: 'update' });
    }
    this.classify(r);
    if (prev !== undefined && JSON.stringify(prev.status) !== JSON.stringify(r.status)) this.wrote(name);
    const pause = r.status?.pauseConditions?.[0];
    if (pause !== undefined && !this.pending.has(name))
      this.pending.set(name, { at: Date.parse(pause.startTime) + 2000, kind: 'pause' });
  }

  private onReplicaSet(rs: ReplicaSet, prev: ReplicaSet | undefined): void {
    const owner = rs.metadata.ownerReferences?.[0]?.name ?? '';
    const key = rs.metadata.name ?? '';
    let mine = this.setsByOwner.get(owner);
    if (mine === undefined) {
      mine = new Map();
      this.setsByOwner.set(owner, mine);
    }
    mine.set(key, rs);
    // a ReplicaSet created or scaled while measuring is the controller's reaction (no one else does either here)
    if (prev === undefined ? this.measuring : prev.spec?.replicas !== rs.spec?.replicas) this.wrote(owner);
    else if (
      this.readyAtTarget(mine) &&
      !this.pending.has(owner) &&
      this.rollouts.store.get(`${rs.metadata.namespace}/${owner}`)?.status?.phase === 'Progressing'
    )
      this.pending.set(owner, { at: Date.now(), kind: 'ready' });
  }

  private readyAtTarget(mine: ReadonlyMap<string, ReplicaSet>): boolean {
    if (mine.size === 0) return false;
    for (const rs of mine.values()) {
      const want = rs.spec?.replicas ?? 0;
      if (want !== (rs.status?.availableReplicas ?? 0) || (rs.status?.replicas ?? 0) !== want) return false;
    }
    return true;
  }

  private wrote(name: string): void {
    const t = this.pending.get(name);
    if (t !== undefined && this.measuring) {
      const ms = Math.max(0, Date.now() - t.at);
      // `latencies` stays what earlier runs measured (step reactions); the update reaction is its own row
      if (t.kind !== 'update') this.latencies.push(ms);
      this.byTrigger[t.kind].push(ms);
      const path = this.paths.get(name);
      if (path !== undefined && path.totalMs === undefined) path.controllerMs += ms;
    }
    this.pending.delete(name);
  }
}

/** The container images of a Rollout's pod template (passed through untyped). */
function imagesOf(r: RolloutObject): string[] {
  const spec = (r.spec?.template as { spec?: { containers?: { image?: string }[] } } | undefined)?.spec;
  return (spec?.containers ?? []).map((c) => c.image ?? '');
}

/** p-th percentile (nearest rank below) of unsorted samples; 0 when empty. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}
