import { mkdirSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import {
  CLUSTER_SECRET_SELECTOR,
  ClusterRegistry,
  IN_CLUSTER_NAME,
  IN_CLUSTER_SERVER,
  type SecretObject,
} from '../../clusters/index.js';
import {
  type CommonModuleOptions,
  type Controller,
  type ControllerModule,
  type Manager,
  StatusWriter,
} from '../../core/index.js';
import { type KubeObject, objectKey } from '../../kube/index.js';
import { ResourceManager } from '../apply/index.js';
import type { RenderLimits } from '../render/index.js';
import {
  type CredentialSource,
  normalizeRepoURL,
  type PushEvent,
  RepoCache,
  RepoPoller,
  SecretCredentialSource,
  type WebhookSecrets,
  webhookHandler,
} from '../source/index.js';
import type { Application, AppProject } from '../types.js';
import { openWorkspace, useScratchRoot } from '../workspace/index.js';
import { appSources } from './app-sources.js';
import { clusterShardSource } from './cluster-shard-source.js';
import { ClusterTargets } from './cluster-targets.js';
import { PredictionCache } from './comparison.js';
import { DesiredStateCache } from './desired-state.js';
import { LiveState } from './live-state.js';
import { InformerProjectWindows } from './project-windows.js';
import { ApplicationReconciler } from './reconciler.js';
import { ApplicationStatusWriter } from './status-writer.js';
import { SyncRunner } from './sync-runner.js';

export interface SyncControllerOptions {
  /** Watch Applications (and managed objects) in one namespace only. Default: all. */
  readonly namespace?: string;
  /**
   * Destination namespaces (`--sync-namespaces`): live state is watched per namespace and objects
   * elsewhere are refused, so per-namespace RoleBindings suffice. Default: all (cluster-wide rights).
   */
  readonly destinationNamespaces?: readonly string[];
  /**
   * Git caches (kept across restarts) and, in a per-process run dir inside, checkouts and scratch files.
   * `slipway controller` passes $SLIPWAY_SYNC_DIR. Default <tmp>/slipway-sync-<owner>-XXXXXX, removed on
   * stop. Either way, what dead controllers left behind is removed on start.
   */
  readonly workDir?: string;
  /** ls-remote period per repository. Default 180 s (`slipway controller`: $SLIPWAY_REPO_POLL_SECONDS). */
  readonly pollIntervalMs?: number;
  /** Periodic re-comparison of every app. Default 180 s. */
  readonly reconciliationMs?: number;
  /** Secrets push webhooks must be signed with ($SLIPWAY_WEBHOOK_*_SECRET). Default none. */
  readonly webhookSecrets?: WebhookSecrets;
  /** Where repository Secrets live. Default: the namespace option, else "argocd". */
  readonly credentialsNamespace?: string;
  /** Where cluster Secrets live. Default: credentialsNamespace, else the namespace option, else "argocd". */
  readonly clustersNamespace?: string;
  /** How often caches of clusters no Application targets are stopped. Default 60 s. */
  readonly clusterReleaseIntervalMs?: number;
  readonly credentials?: CredentialSource;
  /** Concurrent reconciles. Default 8. */
  readonly workers?: number;
  /**
   * Size limits on repository files and renders. Default 10 MiB per file and 20 MiB per render
   * (`slipway controller`: $SLIPWAY_MAX_MANIFEST_FILE_BYTES and $SLIPWAY_MAX_RENDER_BYTES).
   */
  readonly renderLimits?: RenderLimits;
}

export interface SyncControllerHandle {
  readonly controller: Controller;
  /** Mount at `/api/webhook` on the probe server (`routes`). */
  readonly webhook: RequestListener;
  /** Refreshes every app whose repo a push names; returns how many. */
  refreshForPush(event: PushEvent): number;
  stop(): void;
}

const APP_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
const PROJECT_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject' } as const;

function appChanged(cur: Application | undefined, prev: Application | undefined): boolean {
  if (!cur || !prev || cur === prev) return true;
  return (
    cur.metadata.generation !== prev.metadata.generation ||
    JSON.stringify(cur.metadata.annotations ?? {}) !== JSON.stringify(prev.metadata.annotations ?? {}) ||
    JSON.stringify(cur.operation ?? null) !== JSON.stringify(prev.operation ?? null) ||
    cur.metadata.deletionTimestamp !== prev.metadata.deletionTimestamp
  );
}

/** Adds the Application controller, its informers, the repo poller and the webhook to a manager. */
export function registerSyncController(
  manager: Manager,
  options: SyncControllerOptions = {},
): SyncControllerHandle {
  const logger = manager.logger.child({ controller: 'sync' });
  const configuredDir = options.workDir;
  if (configuredDir !== undefined) mkdirSync(configuredDir, { recursive: true });
  // A directory we make for ourselves is ours to remove on stop; a configured one is kept (a warm
  // cache) except for our run dir. Directories of killed controllers are removed here.
  const workspace = openWorkspace({
    ...(configuredDir !== undefined && { dir: configuredDir }),
    onReapError: (path, err) => logger.warn({ err, path }, 'cannot remove a dead controller work dir'),
  });
  if (workspace.reaped.length > 0)
    logger.info({ removed: workspace.reaped.length }, 'removed work dirs of stopped controllers');
  const releaseScratch = useScratchRoot(workspace.scratchDir);
  const workDir = workspace.cacheDir;
  const pollIntervalMs = options.pollIntervalMs ?? 180_000;
  const reconciliationMs = options.reconciliationMs ?? 180_000;
  const credentials =
    options.credentials ??
    new SecretCredentialSource(manager.client, options.credentialsNamespace ?? options.namespace ?? 'argocd');
  const repos = new RepoCache({
    dir: workDir,
    checkoutDir: join(workspace.runDir, 'checkouts'),
    credentials,
  });
  const apps = manager.informer<Application>({
    gvk: APP_GVK,
    ...(options.namespace !== undefined && { namespace: options.namespace }),
  });
  // AppProjects for their sync windows: a change re-evaluates the project's apps.
  const projects = manager.informer<AppProject>({
    gvk: PROJECT_GVK,
    ...(options.namespace !== undefined && { namespace: options.namespace }),
  });
  const renderLimits = options.renderLimits;
  let controller: Controller | undefined;
  // A live object of an app changed: a refresh (the refresh lane, so a queue of first syncs does not
  // hold back the status of apps already synced).
  const enqueueByName = (name: string) => {
    for (const a of apps.store.list())
      if (a.metadata.name === name) controller?.enqueue(objectKey(a), 'refresh');
  };
  const live = new LiveState(manager, {
    ...(options.namespace !== undefined && { namespace: options.namespace }),
    ...(options.destinationNamespaces !== undefined && { namespaces: options.destinationNamespaces }),
    onChange: enqueueByName,
  });
  const rm = new ResourceManager(manager.client);
  // Destination clusters: Argo CD cluster Secrets in the Argo CD namespace (the informer the
  // ApplicationSet controller's clusters generator shares); the in-cluster target is the one above.
  const clusterSecrets = manager.informer<SecretObject>({
    gvk: { apiVersion: 'v1', kind: 'Secret' },
    namespace: options.clustersNamespace ?? options.credentialsNamespace ?? options.namespace ?? 'argocd',
    labelSelector: CLUSTER_SECRET_SELECTOR,
  });
  const registry = new ClusterRegistry(clusterSecrets);
  const targets = new ClusterTargets({
    manager,
    registry,
    local: {
      server: IN_CLUSTER_SERVER,
      name: IN_CLUSTER_NAME,
      client: manager.client,
      live,
      rm,
      runner: new SyncRunner(rm, live, logger),
      predictions: new PredictionCache(),
    },
    logger,
    onChange: enqueueByName,
    onConnectionChange: (server) => {
      for (const a of apps.store.list()) {
        const r = targets.resolve(a);
        if (r.kind === 'resolved' && r.cluster.server === server) controller?.enqueue(objectKey(a));
      }
    },
  });
  const reconciler = new ApplicationReconciler({
    client: manager.client,
    apps,
    targets,
    desired: new DesiredStateCache({
      client: manager.client,
      repos,
      workDir,
      ...(renderLimits !== undefined && { renderLimits }),
    }),
    repos,
    writer: new ApplicationStatusWriter(manager.client, reconciliationMs / 2, new StatusWriter()),
    events: manager.events,
    projects: new InformerProjectWindows(projects),
    revisionMaxAgeMs: pollIntervalMs,
    reconciliationMs,
  });
  // Sharded with an Argo CD algorithm: Applications go with their destination cluster.
  const gate = manager.clusterGate('sync', clusterShardSource(apps, registry));
  controller = manager.addController({
    name: 'sync',
    reconciler,
    workers: options.workers ?? 8,
    ...(gate !== undefined && { shard: gate }),
  });
  controller.addKeySource(() => apps.store.list().map(objectKey));
  projects.onChange((cur, prev) => {
    const project = (cur ?? prev) as AppProject;
    for (const a of apps.store.list()) {
      if (a.metadata.namespace !== project.metadata.namespace) continue;
      if ((a.spec.project || 'default') === project.metadata.name) controller?.enqueue(objectKey(a));
    }
  });
  const appsForRepo = (url: string) =>
    apps.store
      .list()
      .filter((a) => appSources(a).some((s) => normalizeRepoURL(s.repoURL) === normalizeRepoURL(url)));
  const poller = new RepoPoller({
    cache: repos,
    logger,
    intervalMs: pollIntervalMs,
    onChange: (url) => {
      for (const a of appsForRepo(url)) controller?.enqueue(objectKey(a));
    },
  });
  const trackRepos = () =>
    poller.track(new Set(apps.store.list().flatMap((a) => appSources(a).map((s) => s.repoURL))));
  apps.onChange((cur, prev) => {
    if (appChanged(cur, prev)) controller?.enqueue(objectKey((cur ?? prev) as KubeObject));
    if (!prev || !cur || cur.metadata.generation !== prev.metadata.generation) trackRepos();
  });
  const refreshForPush = (event: PushEvent): number => {
    let n = 0;
    const wanted = new Set(event.repoURLs.map(normalizeRepoURL));
    const seen = new Set<string>();
    for (const a of apps.store.list()) {
      const urls = appSources(a)
        .map((s) => s.repoURL)
        .filter((url) => wanted.has(normalizeRepoURL(url)));
      if (urls.length === 0) continue;
      for (const url of urls) if (!seen.has(url)) repos.invalidate(url);
      for (const url of urls) seen.add(url);
      controller?.enqueue(objectKey(a));
      n++;
    }
    logger.info({ provider: event.provider, ref: event.ref, apps: n }, 'webhook push received');
    return n;
  };
  // A cluster Secret changed: apps deploying there look again (a new token, a cluster added or gone).
  clusterSecrets.onChange(() => {
    for (const a of apps.store.list()) controller?.enqueue(objectKey(a));
  });
  // caches of clusters no Application targets any more are stopped
  const release = setInterval(() => {
    targets
      .releaseUnused(apps.store.list())
      .catch((err: unknown) => logger.warn({ err }, 'cannot stop unused cluster caches'));
  }, options.clusterReleaseIntervalMs ?? 60_000);
  release.unref();
  manager.onStop(async () => {
    clearInterval(release);
    await targets.stop();
  });
  const webhookSecrets = options.webhookSecrets ?? {};
  const secrets = () => webhookSecrets;
  return {
    controller,
    webhook: webhookHandler(secrets, refreshForPush),
    refreshForPush,
    stop: () => {
      poller.stop();
      releaseScratch();
      workspace.close();
    },
  };
}

/** What `slipway controller` passes the `sync` module (flags and environment, parsed). */
export interface SyncModuleOptions
  extends CommonModuleOptions,
    Pick<SyncControllerOptions, 'workDir' | 'pollIntervalMs' | 'webhookSecrets' | 'renderLimits'> {
  /** Namespaces Applications may deploy into (`--sync-namespaces`). Default: all. */
  readonly syncNamespaces?: readonly string[];
}

/** The `sync` entry of `slipway controller`'s module list. */
export const syncControllerModule: ControllerModule<SyncModuleOptions> = {
  name: 'sync',
  register(manager, options) {
    const handle = registerSyncController(manager, {
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.syncNamespaces !== undefined && { destinationNamespaces: options.syncNamespaces }),
      ...(options.workDir !== undefined && { workDir: options.workDir }),
      ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
      ...(options.webhookSecrets !== undefined && { webhookSecrets: options.webhookSecrets }),
      ...(options.renderLimits !== undefined && { renderLimits: options.renderLimits }),
    });
    manager.addRoute('/api/webhook', handle.webhook);
    manager.onStop(() => handle.stop());
  },
};
