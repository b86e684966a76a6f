import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CommonModuleOptions,
  type Controller,
  type ControllerModule,
  type Manager,
  StatusWriter,
  specOrRequestChanged,
} from '../core/index.js';
import { objectKey } from '../kube/index.js';
import {
  openWorkspace,
  type RenderLimits,
  RepoCache,
  ResourceManager,
  useScratchRoot,
} from '../sync/index.js';
import { ArtifactStore } from './artifact-store.js';
import { DefaultChartArchiveLimits } from './chart-archive.js';
import { ChartIndexCache } from './chart-index-cache.js';
import { ChartStore } from './chart-store.js';
import { GitRepositoryCredentials } from './credentials.js';
import { ExtractedArtifacts } from './extracted-artifacts.js';
import { GitRepositoryReconciler } from './git-repository-reconciler.js';
import { HelmChartReconciler } from './helm-chart-reconciler.js';
import { helmChartRef, releaseChartSource } from './helm-release-chart.js';
import { HelmReleaseReconciler } from './helm-release-reconciler.js';
import { HelmRepositoryReconciler } from './helm-repository-reconciler.js';
import {
  HELM_CHART_GVK,
  HELM_RELEASE_GVK,
  HELM_REPOSITORY_GVK,
  type HelmChart,
  type HelmRelease,
  type HelmRepository,
} from './helm-types.js';
import { registerImageUpdateAutomations } from './image-automation/index.js';
import { registerImageControllers } from './image-controllers.js';
import type { ImageScanLimits } from './image-scanner.js';
import type { ImageTagStore } from './image-tag-store.js';
import { KustomizationReconciler } from './kustomization-reconciler.js';
import { OCIRepositoryReconciler } from './oci-repository-reconciler.js';
import { OCI_REPOSITORY_GVK, type OCIRepository } from './oci-types.js';
import { ReleaseStorage } from './release-storage.js';
import { GIT_REPOSITORY_GVK, type GitRepository, KUSTOMIZATION_GVK, type Kustomization } from './types.js';

export interface FluxControllerOptions {
  /** Watch GitRepositories and Kustomizations in one namespace only. Default: all. */
  readonly namespace?: string;
  /** Git caches (a `flux/` folder inside; kept across restarts). Default: a temp dir removed on stop. */
  readonly workDir?: string;
  /** Size limits on repository files and renders (the sync engine's). */
  readonly renderLimits?: RenderLimits;
  /** Re-check of a missing artifact or unready dependencies. Default 30 s (Flux's --requeue-dependency). */
  readonly dependencyRequeueMs?: number;
  /** Poll period of pending health checks. Default 5 s (Flux's). */
  readonly healthPollMs?: number;
  /**
   * The ServiceAccount (in each object's namespace) impersonated by Kustomizations and HelmReleases
   * without `serviceAccountName` (kustomize- and helm-controller's --default-service-account).
   * Default: none (the controller's own identity).
   */
  readonly defaultServiceAccount?: string;
  /** Concurrent reconciles per kind. Default 4 (Flux's --concurrent). */
  readonly workers?: number;
  /** Bounds on an ImageRepository's tag listing and the tags kept for it. Default 50,000 tags, 8 MiB. */
  readonly imageScanLimits?: ImageScanLimits;
}

export interface FluxControllerHandle {
  readonly gitRepositories: Controller;
  readonly kustomizations: Controller;
  readonly helmRepositories: Controller;
  readonly helmCharts: Controller;
  readonly helmReleases: Controller;
  readonly ociRepositories: Controller;
  readonly imageUpdateAutomations: Controller;
  readonly imageRepositories: Controller;
  readonly imagePolicies: Controller;
  /** The tags of each ImageRepository's last scan in this process. */
  readonly imageTags: ImageTagStore;
  stop(): void;
}

/**
 * Adds Flux's controllers (GitRepository, Kustomization, HelmRepository, HelmChart, HelmRelease,
 * OCIRepository, ImageUpdateAutomation: Flux's dialect on the sync engine; ImageRepository and ImagePolicy) to a manager.
 */
export function registerFluxControllers(
  manager: Manager,
  options: FluxControllerOptions = {},
): FluxControllerHandle {
  const logger = manager.logger.child({ controller: 'flux' });
  const dir = options.workDir !== undefined ? join(options.workDir, 'flux') : undefined;
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  const workspace = openWorkspace({
    ...(dir !== undefined && { dir }),
    onReapError: (path, err) => logger.warn({ err, path }, 'cannot remove a dead controller work dir'),
  });
  const releaseScratch = useScratchRoot(workspace.scratchDir);
  const credentials = new GitRepositoryCredentials(manager.client);
  const git = new RepoCache({
    dir: workspace.cacheDir,
    checkoutDir: join(workspace.runDir, 'checkouts'),
    credentials,
  });
  const artifacts = new ArtifactStore(git);
  const trees = new ExtractedArtifacts(join(workspace.runDir, 'flux-artifacts'));
  const scope = options.namespace !== undefined ? { namespace: options.namespace } : {};
  const sources = manager.informer<GitRepository>({ gvk: GIT_REPOSITORY_GVK, ...scope });
  const kustomizations = manager.informer<Kustomization>({ gvk: KUSTOMIZATION_GVK, ...scope });
  const writer = new StatusWriter();
  const workers = options.workers ?? 4;
  const charts = new ChartStore(join(workspace.cacheDir, 'artifacts'));
  const ociInformer = manager.informer<OCIRepository>({ gvk: OCI_REPOSITORY_GVK, ...scope });
  const gitRepositories = manager.addController({
    name: 'flux-gitrepository',
    workers,
    reconciler: new GitRepositoryReconciler({
      client: manager.client,
      repos: sources,
      git,
      credentials,
      artifacts,
      writer,
      events: manager.events,
    }),
  });
  const kustomizationController = manager.addController({
    name: 'flux-kustomization',
    workers,
    reconciler: new KustomizationReconciler({
      client: manager.client,
      kustomizations,
      sources,
      ociSources: ociInformer,
      store: charts,
      artifacts,
      trees,
      rm: new ResourceManager(manager.client),
      writer,
      events: manager.events,
      dependencyRequeueMs: options.dependencyRequeueMs ?? 30_000,
      healthPollMs: options.healthPollMs ?? 5_000,
      ...(options.renderLimits && { renderLimits: options.renderLimits }),
      ...(options.defaultServiceAccount && { defaultServiceAccount: options.defaultServiceAccount }),
    }),
  });
  const helmRepoInformer = manager.informer<HelmRepository>({ gvk: HELM_REPOSITORY_GVK, ...scope });
  const chartInformer = manager.informer<HelmChart>({ gvk: HELM_CHART_GVK, ...scope });
  const releaseInformer = manager.informer<HelmRelease>({ gvk: HELM_RELEASE_GVK, ...scope });
  const indexes = new ChartIndexCache();
  const revisionChanged = (cur: KubeObjectLike | undefined, prev: KubeObjectLike | undefined) =>
    cur?.status?.artifact?.revision !== prev?.status?.artifact?.revision ||
    cur?.status?.artifact?.digest !== prev?.status?.artifact?.digest;
  const ociRepositories = manager.addController({
    name: 'flux-ocirepository',
    workers,
    reconciler: new OCIRepositoryReconciler({
      client: manager.client,
      repos: ociInformer,
      store: charts,
      limits: DefaultChartArchiveLimits,
      writer,
      events: manager.events,
    }),
  });
  ociInformer.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (specOrRequestChanged(cur, prev)) ociRepositories.enqueue(objectKey(obj));
    if (!revisionChanged(cur, prev)) return;
    for (const k of kustomizations.store.list())
      if (
        k.spec.sourceRef.kind === 'OCIRepository' &&
        k.spec.sourceRef.name === obj.metadata.name &&
        (k.spec.sourceRef.namespace || k.metadata.namespace) === obj.metadata.namespace
      )
        kustomizationController.enqueue(objectKey(k));
  });
  const helmRepositories = manager.addController({
    name: 'flux-helmrepository',
    workers,
    reconciler: new HelmRepositoryReconciler({
      client: manager.client,
      repos: helmRepoInformer,
      indexes,
      writer,
      events: manager.events,
    }),
  });
  const helmCharts = manager.addController({
    name: 'flux-helmchart',
    workers,
    reconciler: new HelmChartReconciler({
      client: manager.client,
      charts: chartInformer,
      helmRepos: helmRepoInformer,
      gitRepos: sources,
      indexes,
      artifacts,
      store: charts,
      limits: DefaultChartArchiveLimits,
      writer,
      events: manager.events,
      dependencyRequeueMs: options.dependencyRequeueMs ?? 30_000,
    }),
  });
  const helmReleases = manager.addController({
    name: 'flux-helmrelease',
    workers,
    reconciler: new HelmReleaseReconciler({
      client: manager.client,
      releases: releaseInformer,
      charts: chartInformer,
      store: charts,
      storage: new ReleaseStorage(manager.client),
      rm: new ResourceManager(manager.client),
      writer,
      events: manager.events,
      refreshChart: (key) => helmCharts.enqueue(key),
      ociRepos: ociInformer,
      refreshOciRepository: (key) => ociRepositories.enqueue(key),
      dependencyRequeueMs: options.dependencyRequeueMs ?? 30_000,
      healthPollMs: options.healthPollMs ?? 5_000,
      ...(options.renderLimits && { renderLimits: options.renderLimits }),
      ...(options.defaultServiceAccount && { defaultServiceAccount: options.defaultServiceAccount }),
    }),
  });
  const chartsOf = (kind: string, obj: KubeObjectLike) => {
    for (const c of chartInformer.store.list())
      if (
        c.spec.sourceRef.kind === kind &&
        c.spec.sourceRef.name === obj.metadata.name &&
        c.metadata.namespace === obj.metadata.namespace
      )
        helmCharts.enqueue(objectKey(c));
  };
  helmRepoInformer.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (specOrRequestChanged(cur, prev)) helmRepositories.enqueue(objectKey(obj));
    if (revisionChanged(cur, prev)) chartsOf('HelmRepository', obj);
  });
  chartInformer.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (specOrRequestChanged(cur, prev)) helmCharts.enqueue(objectKey(obj));
    if (!revisionChanged(cur, prev) && cur?.status?.observedGeneration === prev?.status?.observedGeneration)
      return;
    for (const r of releaseInformer.store.list()) {
      const ref = helmChartRef(r);
      if (ref && ref.namespace === obj.metadata.namespace && ref.name === obj.metadata.name)
        helmReleases.enqueue(objectKey(r));
    }
  });
  // a HelmRelease with `chartRef` OCIRepository runs again when that artifact (or readiness) changes
  ociInformer.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (!revisionChanged(cur, prev) && cur?.status?.observedGeneration === prev?.status?.observedGeneration)
      return;
    for (const r of releaseInformer.store.list()) {
      const src = releaseChartSource(r);
      if (
        src?.kind === 'OCIRepository' &&
        src.namespace === obj.metadata.namespace &&
        src.name === obj.metadata.name
      )
        helmReleases.enqueue(objectKey(r));
    }
  });
  releaseInformer.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (specOrRequestChanged(cur, prev)) helmReleases.enqueue(objectKey(obj));
    if (cur?.status?.observedGeneration === prev?.status?.observedGeneration) return;
    for (const r of releaseInformer.store.list())
      if (
        (r.spec.dependsOn ?? []).some(
          (d) =>
            d.name === obj.metadata.name && (d.namespace || r.metadata.namespace) === obj.metadata.namespace,
        )
      )
        helmReleases.enqueue(objectKey(r));
  });
  // a spec change (not our own status writes) runs the object; a new artifact runs its Kustomizations;
  // a Kustomization becoming ready runs those that depend on it
  sources.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (specOrRequestChanged(cur, prev)) gitRepositories.enqueue(objectKey(obj));
    if (cur?.status?.artifact?.revision === prev?.status?.artifact?.revision) return;
    chartsOf('GitRepository', obj);
    for (const k of kustomizations.store.list()) {
      const ns = k.spec.sourceRef.namespace || k.metadata.namespace;
      if (
        k.spec.sourceRef.kind === 'GitRepository' &&
        k.spec.sourceRef.name === obj.metadata.name &&
        ns === obj.metadata.namespace
      )
        kustomizationController.enqueue(objectKey(k));
    }
  });
  kustomizations.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (specOrRequestChanged(cur, prev)) kustomizationController.enqueue(objectKey(obj));
    if (
      cur?.status?.lastAppliedRevision === prev?.status?.lastAppliedRevision &&
      cur?.status?.observedGeneration === prev?.status?.observedGeneration
    )
      return;
    for (const k of kustomizations.store.list()) {
      const depends = (k.spec.dependsOn ?? []).some(
        (d) =>
          d.name === obj.metadata.name && (d.namespace || k.metadata.namespace) === obj.metadata.namespace,
      );
      if (depends) kustomizationController.enqueue(objectKey(k));
    }
  });
  const imageUpdateAutomations = registerImageUpdateAutomations(manager, {
    scope,
    workers,
    sources,
    git,
    credentials,
    writer,
    scratchDir: workspace.scratchDir,
    refreshSource: (key) => gitRepositories.enqueue(key),
  });
  const images = registerImageControllers(manager, {
    scope,
    workers,
    writer,
    dependencyRequeueMs: options.dependencyRequeueMs ?? 30_000,
    ...(options.imageScanLimits && { limits: options.imageScanLimits }),
  });
  return {
    ...images,
    gitRepositories,
    imageUpdateAutomations,
    kustomizations: kustomizationController,
    helmRepositories,
    helmCharts,
    helmReleases,
    ociRepositories,
    stop: () => {
      releaseScratch();
      workspace.close();
    },
  };
}

interface KubeObjectLike {
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly generation?: number;
    readonly deletionTimestamp?: string;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly artifact?: { readonly revision?: string; readonly digest?: string };
  };
}

/** What `slipway controller` passes the `flux` module. */
export interface FluxModuleOptions
  extends CommonModuleOptions,
    Pick<FluxControllerOptions, 'workDir' | 'renderLimits' | 'defaultServiceAccount'> {}

/** The `flux` entry of `slipway controller`'s module list (off by default: `--controllers …,flux`). */
export const fluxControllerModule: ControllerModule<FluxModuleOptions> = {
  name: 'flux',
  register(manager, options) {
    const handle = registerFluxControllers(manager, {
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.workDir !== undefined && { workDir: options.workDir }),
      ...(options.renderLimits !== undefined && { renderLimits: options.renderLimits }),
      ...(options.defaultServiceAccount !== undefined && {
        defaultServiceAccount: options.defaultServiceAccount,
      }),
    });
    manager.onStop(() => handle.stop());
  },
};
