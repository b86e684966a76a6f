import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CommonModuleOptions,
  type Controller,
  type ControllerModule,
  type Manager,
  StatusWriter,
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
import { GitRepositoryCredentials } from './credentials.js';
import { GitRepositoryReconciler } from './git-repository-reconciler.js';
import { KustomizationReconciler } from './kustomization-reconciler.js';
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
  /** Concurrent reconciles per kind. Default 4 (Flux's --concurrent). */
  readonly workers?: number;
}

export interface FluxControllerHandle {
  readonly gitRepositories: Controller;
  readonly kustomizations: Controller;
  stop(): void;
}

/** Adds the GitRepository and Kustomization controllers (Flux's dialect on the sync engine) to a manager. */
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
  const scope = options.namespace !== undefined ? { namespace: options.namespace } : {};
  const sources = manager.informer<GitRepository>({ gvk: GIT_REPOSITORY_GVK, ...scope });
  const kustomizations = manager.informer<Kustomization>({ gvk: KUSTOMIZATION_GVK, ...scope });
  const writer = new StatusWriter();
  const workers = options.workers ?? 4;
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
      artifacts,
      rm: new ResourceManager(manager.client),
      writer,
      events: manager.events,
      dependencyRequeueMs: options.dependencyRequeueMs ?? 30_000,
      healthPollMs: options.healthPollMs ?? 5_000,
      ...(options.renderLimits && { renderLimits: options.renderLimits }),
    }),
  });
  // a spec change (not our own status writes) runs the object; a new artifact runs its Kustomizations;
  // a Kustomization becoming ready runs those that depend on it
  sources.onChange((cur, prev) => {
    const obj = cur ?? prev;
    if (!obj) return;
    if (
      !cur ||
      !prev ||
      cur.metadata.generation !== prev.metadata.generation ||
      JSON.stringify(cur.metadata.annotations ?? {}) !== JSON.stringify(prev.metadata.annotations ?? {})
    )
      gitRepositories.enqueue(objectKey(obj));
    if (cur?.status?.artifact?.revision === prev?.status?.artifact?.revision) return;
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
    if (
      !cur ||
      !prev ||
      cur.metadata.generation !== prev.metadata.generation ||
      cur.metadata.deletionTimestamp !== prev.metadata.deletionTimestamp ||
      JSON.stringify(cur.metadata.annotations ?? {}) !== JSON.stringify(prev.metadata.annotations ?? {})
    )
      kustomizationController.enqueue(objectKey(obj));
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
  return {
    gitRepositories,
    kustomizations: kustomizationController,
    stop: () => {
      releaseScratch();
      workspace.close();
    },
  };
}

/** What `slipway controller` passes the `flux` module. */
export interface FluxModuleOptions
  extends CommonModuleOptions,
    Pick<FluxControllerOptions, 'workDir' | 'renderLimits'> {}

/** The `flux` entry of `slipway controller`'s module list (off by default: `--controllers …,flux`). */
export const fluxControllerModule: ControllerModule<FluxModuleOptions> = {
  name: 'flux',
  register(manager, options) {
    const handle = registerFluxControllers(manager, {
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.workDir !== undefined && { workDir: options.workDir }),
      ...(options.renderLimits !== undefined && { renderLimits: options.renderLimits }),
    });
    manager.onStop(() => handle.stop());
  },
};
