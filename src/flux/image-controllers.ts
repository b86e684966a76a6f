import { type Manager, type StatusWriter, specOrRequestChanged } from '../core/index.js';
import { objectKey } from '../kube/index.js';
import { ImagePolicyReconciler, imageRepositoryKeyOf } from './image-policy-reconciler.js';
import { ImageRepositoryReconciler } from './image-repository-reconciler.js';
import { DefaultImageScanLimits, type ImageScanLimits } from './image-scanner.js';
import { ImageTagStore } from './image-tag-store.js';
import {
  IMAGE_POLICY_GVK,
  IMAGE_REPOSITORY_GVK,
  type ImagePolicy,
  type ImageRepository,
} from './image-types.js';

/** What the Flux module shares with its image controllers. */
export interface ImageControllerOptions {
  readonly scope: { readonly namespace?: string };
  readonly workers: number;
  readonly writer: StatusWriter;
  /** Re-check of a policy whose repository has no tags yet. */
  readonly dependencyRequeueMs: number;
  /** Default 50,000 tags and 8 MiB of listing per scan. */
  readonly limits?: ImageScanLimits;
}

/** ImageRepository and ImagePolicy (image-reflector-controller) with the triggers between them. */
export function registerImageControllers(manager: Manager, shared: ImageControllerOptions) {
  const imageTags = new ImageTagStore();
  const limits = shared.limits ?? DefaultImageScanLimits;
  const repoInformer = manager.informer<ImageRepository>({ gvk: IMAGE_REPOSITORY_GVK, ...shared.scope });
  const policyInformer = manager.informer<ImagePolicy>({ gvk: IMAGE_POLICY_GVK, ...shared.scope });
  const imageRepositories = manager.addController({
    name: 'flux-imagerepository',
    workers: shared.workers,
    reconciler: new ImageRepositoryReconciler({
      client: manager.client,
      repos: repoInformer,
      tags: imageTags,
      limits,
      writer: shared.writer,
      events: manager.events,
    }),
  });
  const imagePolicies = manager.addController({
    name: 'flux-imagepolicy',
    workers: shared.workers,
    reconciler: new ImagePolicyReconciler({
      client: manager.client,
      policies: policyInformer,
      repos: repoInformer,
      tags: imageTags,
      limits,
      writer: shared.writer,
      events: manager.events,
      dependencyRequeueMs: shared.dependencyRequeueMs,
    }),
  });
  const policiesOf = (repoKey: string) => {
    for (const p of policyInformer.store.list())
      if (imageRepositoryKeyOf(p) === repoKey) imagePolicies.enqueue(objectKey(p));
  };
  // a new scan (another revision, a first scan, a new image) re-evaluates the repository's policies,
  // and so does a change of the tags this process holds (a scan after a restart)
  imageTags.onChange(policiesOf);
  repoInformer.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (specOrRequestChanged(cur, prev)) imageRepositories.enqueue(objectKey(obj));
    if (
      !cur ||
      !prev ||
      cur.status?.lastScanResult?.revision !== prev.status?.lastScanResult?.revision ||
      cur.status?.canonicalImageName !== prev.status?.canonicalImageName ||
      JSON.stringify(cur.spec.accessFrom ?? null) !== JSON.stringify(prev.spec.accessFrom ?? null)
    )
      policiesOf(objectKey(obj));
  });
  policyInformer.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (specOrRequestChanged(cur, prev)) imagePolicies.enqueue(objectKey(obj));
  });
  return { imageRepositories, imagePolicies, imageTags };
}
