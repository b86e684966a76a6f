/**
 * What a sync of an Application would change, resource by resource, computed as the sync loop's
 * comparison does (`compareApp`): the desired objects rendered at the resolved revision, each
 * predicted by a server-side-apply dry run and compared with the live object after normalisation,
 * projection onto the manifest's fields and ignoreDifferences. Secret values are hidden on both sides
 * (gitops-engine's HideSecretData). Shared by `slipway app diff` and the dashboard's Application page.
 */
import type { KubeClient, KubeObject } from '../../kube/index.js';
import type { ResourceManager } from '../apply/index.js';
import { compareResource, hideSecretData } from '../diff/index.js';
import { hookTypes } from '../operation/index.js';
import type { RepoCache } from '../source/index.js';
import type { Application } from '../types.js';
import { appSources } from './app-sources.js';
import type { DesiredStateCache } from './desired-state.js';
import { resourceKey } from './tracking.js';

export interface AppDiffDeps {
  /** Reads the live objects. */
  readonly client: KubeClient;
  readonly repos: RepoCache;
  readonly desired: DesiredStateCache;
  /** Dry runs; an object it cannot predict is compared as rendered. */
  readonly rm: ResourceManager;
}

export interface ResourceDiffEntry {
  readonly key: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly inSync: boolean;
  /** Normalised live object (Secret values hidden); undefined when it does not exist. */
  readonly live?: KubeObject;
  /** Normalised object as a sync would leave it (Secret values hidden). */
  readonly desired: KubeObject;
}

export interface ApplicationDiff {
  /** The commit compared (one per source, comma-joined, for a multi-source app). */
  readonly revision: string;
  readonly resources: readonly ResourceDiffEntry[];
}

export interface AppDiffOptions {
  /** How old a ls-remote answer may be (0: ask the remote). Default 0. */
  readonly revisionMaxAgeMs?: number;
  /** Live reads and dry runs at once. Default 8. */
  readonly concurrency?: number;
}

export async function diffApplication(
  deps: AppDiffDeps,
  app: Application,
  options: AppDiffOptions = {},
): Promise<ApplicationDiff> {
  const maxAge = options.revisionMaxAgeMs ?? 0;
  const shas = await Promise.all(
    appSources(app).map((s) => deps.repos.resolve(s.repoURL, s.targetRevision, maxAge)),
  );
  const state = await deps.desired.load(app, shas);
  const objects = state.objects.filter((d) => hookTypes(d).length === 0);
  const resources: ResourceDiffEntry[] = [];
  const width = Math.max(1, options.concurrency ?? 8);
  for (let i = 0; i < objects.length; i += width) {
    const batch = await Promise.all(
      objects.slice(i, i + width).map(async (d) => {
        const live = await deps.client.getIfExists(d);
        const predicted = await deps.rm.predict(d).catch(() => d);
        const diff = compareResource(predicted, live, app.spec.ignoreDifferences, d);
        const [desired, shownLive] = hideSecretData(diff.predicted ?? d, diff.live);
        return {
          key: resourceKey(d),
          apiVersion: d.apiVersion ?? '',
          kind: d.kind ?? '',
          namespace: d.metadata.namespace ?? '',
          name: d.metadata.name ?? '',
          inSync: diff.inSync,
          ...(shownLive !== undefined && { live: shownLive }),
          desired,
        };
      }),
    );
    resources.push(...batch);
  }
  return { revision: state.revision, resources };
}
