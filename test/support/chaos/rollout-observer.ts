// Ground truth for step notifications: a watch on the run's Rollouts (in the harness, which is never
// killed) records, per Rollout and pod-template hash, the highest `status.currentStepIndex` ever written.
// Steps are monotonic within a revision, so steps 1..max of that revision completed. The first revision of
// each Rollout is its initial deploy (no steps run, no notifications expected).
import { type KubeClient, KubeError, KubeErrorCode, type KubeObject } from '../../../src/kube/index.js';
import { ROLLOUT } from './manifests.js';

interface RolloutStatusView {
  readonly currentPodHash?: string;
  readonly currentStepIndex?: number;
}

export interface RevisionTruth {
  readonly hash: string;
  /** The image of the spec when this hash was first seen with a matching observedGeneration. */
  image?: string;
  maxStep: number;
  readonly initial: boolean;
  /** When the harness first saw each completed step (1-based) in status, ms since the epoch. */
  readonly completedAt: Map<number, number>;
}

export class RolloutObserver {
  /** rollout name → hash → truth, in the order the hashes appeared. */
  private readonly byRollout = new Map<string, Map<string, RevisionTruth>>();
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  /** Relists after the watch could not resume (a gap in which intermediate statuses may be unseen). */
  relists = 0;
  events = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
  ) {}

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  truth(): ReadonlyMap<string, ReadonlyMap<string, RevisionTruth>> {
    return this.byRollout;
  }

  private observe(r: KubeObject): void {
    const name = r.metadata.name ?? '';
    const status = (r as { status?: RolloutStatusView }).status;
    const hash = status?.currentPodHash;
    if (!hash) return;
    let revisions = this.byRollout.get(name);
    if (revisions === undefined) {
      revisions = new Map();
      this.byRollout.set(name, revisions);
    }
    let truth = revisions.get(hash);
    if (truth === undefined) {
      truth = { hash, maxStep: 0, initial: revisions.size === 0, completedAt: new Map() };
      revisions.set(hash, truth);
    }
    const step = Number(status?.currentStepIndex ?? 0);
    for (let s = truth.maxStep + 1; s <= step; s++) truth.completedAt.set(s, Date.now());
    truth.maxStep = Math.max(truth.maxStep, step);
    const observed = (r as { status?: { observedGeneration?: string | number } }).status?.observedGeneration;
    if (truth.image === undefined && String(observed) === String(r.metadata.generation)) {
      const spec = (r as { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }).spec;
      truth.image = spec?.template?.spec?.containers?.[0]?.image;
    }
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    let resourceVersion: string | undefined;
    while (!signal.aborted) {
      try {
        if (resourceVersion === undefined) {
          const list = await this.client.listAll(ROLLOUT, { namespace: this.namespace, signal });
          for (const r of list.items) this.observe(r);
          resourceVersion = list.resourceVersion;
        }
        for await (const e of this.client.watch(ROLLOUT, {
          namespace: this.namespace,
          resourceVersion,
          signal,
        })) {
          resourceVersion = e.object.metadata.resourceVersion ?? resourceVersion;
          if (e.type === 'BOOKMARK') continue;
          this.events += 1;
          this.observe(e.object);
        }
      } catch (err) {
        if (signal.aborted) return;
        // 410 Gone: the resourceVersion is too old to resume from; relist
        if (err instanceof KubeError && err.code === KubeErrorCode.Gone) {
          resourceVersion = undefined;
          this.relists += 1;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}
