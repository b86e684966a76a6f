import { type Controller, type Manager, type StatusWriter, specOrRequestChanged } from '../../core/index.js';
import { objectKey, type Reflector } from '../../kube/index.js';
import type { RepoCache } from '../../sync/index.js';
import type { GitRepositoryCredentials } from '../credentials.js';
import type { GitRepository } from '../types.js';
import type { ManifestReadLimits } from './manifest-files.js';
import { ImageUpdateAutomationReconciler } from './reconciler.js';
import {
  IMAGE_POLICY_GVK,
  IMAGE_UPDATE_AUTOMATION_GVK,
  type ImagePolicyView,
  type ImageUpdateAutomation,
} from './types.js';

export interface ImageAutomationRegistration {
  readonly scope: { readonly namespace?: string };
  readonly workers: number;
  readonly sources: Reflector<GitRepository>;
  readonly git: RepoCache;
  readonly credentials: GitRepositoryCredentials;
  readonly writer: StatusWriter;
  readonly scratchDir: string;
  readonly refreshSource?: (key: string) => void;
  readonly readLimits?: ManifestReadLimits;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Adds the ImageUpdateAutomation controller: an automation runs on its spec changes and `flux
 * reconcile` requests, when an ImagePolicy of its namespace picks another image, when its
 * GitRepository's spec changes, and every `spec.interval`.
 */
export function registerImageUpdateAutomations(manager: Manager, r: ImageAutomationRegistration): Controller {
  const automations = manager.informer<ImageUpdateAutomation>({
    gvk: IMAGE_UPDATE_AUTOMATION_GVK,
    ...r.scope,
  });
  const policies = manager.informer<ImagePolicyView>({ gvk: IMAGE_POLICY_GVK, ...r.scope });
  const controller = manager.addController({
    name: 'flux-imageupdateautomation',
    workers: r.workers,
    reconciler: new ImageUpdateAutomationReconciler({
      client: manager.client,
      automations,
      policies,
      sources: r.sources,
      git: r.git,
      credentials: r.credentials,
      writer: r.writer,
      events: manager.events,
      scratchDir: r.scratchDir,
      ...(r.refreshSource && { refreshSource: r.refreshSource }),
      ...(r.readLimits && { readLimits: r.readLimits }),
    }),
  });
  automations.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (specOrRequestChanged(cur, prev)) controller.enqueue(objectKey(obj));
  });
  policies.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj || sameJson(cur?.status?.latestRef, prev?.status?.latestRef)) return;
    for (const a of automations.store.list())
      if (a.metadata.namespace === obj.metadata.namespace) controller.enqueue(objectKey(a));
  });
  r.sources.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj || (cur && prev && sameJson(cur.spec, prev.spec))) return;
    for (const a of automations.store.list()) {
      const ns = a.spec.sourceRef.namespace || a.metadata.namespace;
      if (a.spec.sourceRef.name === obj.metadata.name && ns === obj.metadata.namespace)
        controller.enqueue(objectKey(a));
    }
  });
  return controller;
}
