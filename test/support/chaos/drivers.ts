// What users do while the controller keeps dying: new Rollout images, Git commits (config, replicas,
// image, an extra object added or removed for prune) and live drift (a Deployment scaled, a ConfigMap
// edited). Every choice comes from the run's seeded random source.
import type { KubeClient } from '../../../src/kube/index.js';
import type { TestRepo } from '../git/repo.js';
import { seededRandom } from '../seeded-random.js';
import { type AppDesired, appFiles, CONFIG_MAP, DEPLOYMENT, ROLLOUT, rolloutImage } from './manifests.js';

export { seededRandom };

export const between = (random: () => number, [min, max]: readonly [number, number]) =>
  Math.round(min + random() * (max - min));

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export class RolloutUpdater {
  /** rollout → last image set. */
  readonly lastImages = new Map<string, string>();
  private readonly versions = new Map<string, number>();
  updates = 0;
  failures = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    names: readonly string[],
  ) {
    for (const n of names) {
      this.versions.set(n, 0);
      this.lastImages.set(n, rolloutImage(n, 0));
    }
  }

  /** Sets a new, never used image on one Rollout (what `slipway rollout set-image` does). */
  async update(name: string): Promise<void> {
    const version = (this.versions.get(name) ?? 0) + 1;
    const image = rolloutImage(name, version);
    try {
      await this.client.patch(
        { ...ROLLOUT, namespace: this.namespace, name },
        { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } },
        { type: 'merge' },
      );
      this.versions.set(name, version);
      this.lastImages.set(name, image);
      this.updates += 1;
    } catch {
      this.failures += 1;
    }
  }
}

const EXTRAS = ['extra-a', 'extra-b'] as const;

export class GitDriver {
  readonly desired = new Map<string, AppDesired>();
  /** Every extra object an app ever had in Git (to check that removed ones were pruned). */
  readonly everExtras = new Map<string, Set<string>>();
  commits = 0;
  private seq = 0;

  constructor(
    private readonly repo: TestRepo,
    names: readonly string[],
  ) {
    for (const n of names) {
      this.desired.set(n, { replicas: 1, image: `chaos/${n}-web:v0`, config: 'v0', extras: new Set() });
      this.everExtras.set(n, new Set());
    }
  }

  /** Files of every app (the initial commit). */
  allFiles(): Record<string, string> {
    return Object.assign({}, ...[...this.desired].map(([n, d]) => appFiles(n, d)));
  }

  /** One commit changing one app; returns what changed. */
  commit(random: () => number, name: string): string {
    const d = this.desired.get(name);
    if (d === undefined) throw new Error(`unknown app ${name}`);
    const n = ++this.seq;
    const kind = pick(random, ['config', 'replicas', 'image', 'extra'] as const);
    let what: string = kind;
    if (kind === 'config') d.config = `v${n}`;
    else if (kind === 'replicas') d.replicas = d.replicas === 1 ? 2 : 1;
    else if (kind === 'image') d.image = `chaos/${name}-web:v${n}`;
    else {
      const extra = pick(random, EXTRAS);
      if (d.extras.has(extra)) {
        d.extras.delete(extra);
        what = `remove ${extra}`;
      } else {
        d.extras.add(extra);
        this.everExtras.get(name)?.add(extra);
        what = `add ${extra}`;
      }
    }
    this.repo.remove(`apps/${name}`);
    this.repo.write(appFiles(name, d));
    this.repo.commit(`${name}: ${what}`);
    this.commits += 1;
    return what;
  }
}

export class DriftDriver {
  drifts = 0;
  /** Drifts whose target did not exist yet (not counted as drifts). */
  skipped = 0;
  private seq = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly desired: ReadonlyMap<string, AppDesired>,
  ) {}

  /** Scales the app's Deployment away from Git, or edits its ConfigMap. */
  async drift(random: () => number, name: string): Promise<void> {
    const d = this.desired.get(name);
    if (d === undefined) return;
    const n = ++this.seq;
    try {
      if (random() < 0.5)
        await this.client.patch(
          { ...DEPLOYMENT, namespace: this.namespace, name: `${name}-web` },
          { spec: { replicas: d.replicas + 2 } },
          { type: 'merge' },
        );
      else
        await this.client.patch(
          { ...CONFIG_MAP, namespace: this.namespace, name: `${name}-config` },
          { data: { config: `drifted-${n}` } },
          { type: 'merge' },
        );
      this.drifts += 1;
    } catch {
      this.skipped += 1;
    }
  }
}
