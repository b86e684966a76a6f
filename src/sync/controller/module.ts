import { mkdirSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import { type Controller, type Manager, StatusWriter } from '../../core/index.js';
import { type KubeObject, objectKey } from '../../kube/index.js';
import { ResourceManager } from '../apply/index.js';
import { type RenderLimits, renderLimitsFromEnv } from '../render/index.js';
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
import type { Application } from '../types.js';
import { openWorkspace, useScratchRoot } from '../workspace/index.js';
import { PredictionCache } from './comparison.js';
import { DesiredStateCache } from './desired-state.js';
import { LiveState } from './live-state.js';
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
   * Default $SLIPWAY_SYNC_DIR, else <tmp>/slipway-sync-<owner>-XXXXXX, removed on stop. Either way, what
   * dead controllers left behind is removed on start.
   */
  readonly workDir?: string;
  /** ls-remote period per repository. Default 180 s ($SLIPWAY_REPO_POLL_SECONDS). */
  readonly pollIntervalMs?: number;
  /** Periodic re-comparison of every app. Default 180 s. */
  readonly reconciliationMs?: number;
  readonly webhookSecrets?: WebhookSecrets;
  /** Where repository Secrets live. Default: the namespace option, else "argocd". */
  readonly credentialsNamespace?: string;
  readonly credentials?: CredentialSource;
  /** Concurrent reconciles. Default 8. */
  readonly workers?: number;
  /**
   * Size limits on repository files and renders. Default $SLIPWAY_MAX_MANIFEST_FILE_BYTES (10 MiB)
   * and $SLIPWAY_MAX_RENDER_BYTES (20 MiB).
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
  const configuredDir = options.workDir ?? process.env.SLIPWAY_SYNC_DIR;
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
  const pollIntervalMs =
    options.pollIntervalMs ?? Number(process.env.SLIPWAY_REPO_POLL_SECONDS ?? 180) * 1000;
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
  let renderLimits = options.renderLimits;
  if (!renderLimits) {
    const fromEnv = renderLimitsFromEnv(process.env);
    for (const variable of fromEnv.invalid) {
      logger.warn({ variable }, 'ignoring a size limit that is not a positive number of bytes');
    }
    renderLimits = fromEnv.limits;
  }
  let controller: Controller | undefined;
  const enqueueByName = (name: string) => {
    for (const a of apps.store.list()) if (a.metadata.name === name) controller?.enqueue(objectKey(a));
  };
  const live = new LiveState(manager, {
    ...(options.namespace !== undefined && { namespace: options.namespace }),
    ...(options.destinationNamespaces !== undefined && { namespaces: options.destinationNamespaces }),
    onChange: enqueueByName,
  });
  const rm = new ResourceManager(manager.client);
  const reconciler = new ApplicationReconciler({
    client: manager.client,
    apps,
    live,
    desired: new DesiredStateCache({ client: manager.client, repos, workDir, renderLimits }),
    repos,
    rm,
    predictions: new PredictionCache(),
    runner: new SyncRunner(rm, live, logger),
    writer: new ApplicationStatusWriter(manager.client, reconciliationMs / 2, new StatusWriter()),
    events: manager.events,
    revisionMaxAgeMs: pollIntervalMs,
    reconciliationMs,
  });
  controller = manager.addController({ name: 'sync', reconciler, workers: options.workers ?? 8 });
  const appsForRepo = (url: string) =>
    apps.store
      .list()
      .filter((a) => a.spec.source && normalizeRepoURL(a.spec.source.repoURL) === normalizeRepoURL(url));
  const poller = new RepoPoller({
    cache: repos,
    logger,
    intervalMs: pollIntervalMs,
    onChange: (url) => {
      for (const a of appsForRepo(url)) controller?.enqueue(objectKey(a));
    },
  });
  const trackRepos = () =>
    poller.track(new Set(apps.store.list().flatMap((a) => (a.spec.source ? [a.spec.source.repoURL] : []))));
  apps.onChange((cur, prev) => {
    if (appChanged(cur, prev)) controller?.enqueue(objectKey((cur ?? prev) as KubeObject));
    if (!prev || !cur) trackRepos();
  });
  const refreshForPush = (event: PushEvent): number => {
    let n = 0;
    const wanted = new Set(event.repoURLs.map(normalizeRepoURL));
    const seen = new Set<string>();
    for (const a of apps.store.list()) {
      const url = a.spec.source?.repoURL;
      if (!url || !wanted.has(normalizeRepoURL(url))) continue;
      if (!seen.has(url)) repos.invalidate(url);
      seen.add(url);
      controller?.enqueue(objectKey(a));
      n++;
    }
    logger.info({ provider: event.provider, ref: event.ref, apps: n }, 'webhook push received');
    return n;
  };
  const secrets = () =>
    options.webhookSecrets ?? {
      ...(process.env.SLIPWAY_WEBHOOK_GITHUB_SECRET && { github: process.env.SLIPWAY_WEBHOOK_GITHUB_SECRET }),
      ...(process.env.SLIPWAY_WEBHOOK_GITLAB_SECRET && { gitlab: process.env.SLIPWAY_WEBHOOK_GITLAB_SECRET }),
    };
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

/** The `sync` entry of `slipway controller`'s module list. */
export const syncControllerModule = {
  name: 'sync',
  register(
    manager: Manager,
    options: { readonly namespace?: string; readonly syncNamespaces?: readonly string[] },
  ): void {
    const handle = registerSyncController(manager, {
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.syncNamespaces !== undefined && { destinationNamespaces: options.syncNamespaces }),
    });
    manager.addRoute('/api/webhook', handle.webhook);
    manager.onStop(() => handle.stop());
  },
} as const;
