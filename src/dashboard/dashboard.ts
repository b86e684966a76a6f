/**
 * Wires the dashboard onto a Manager: its informer caches (shared with the controllers), the access
 * reviewer, the API and the HTTP server, started with the manager and stopped with it.
 */
import type { Manager } from '../core/index.js';
import type { Viewer } from './access.js';
import { DashboardApi } from './api.js';
import { ApplicationGit } from './application-git.js';
import { DashboardCaches } from './caches.js';
import { KubeconfigAccessReviewer, type ReviewCacheOptions, TokenAccessReviewer } from './reviews.js';
import { type DashboardServer, startDashboardServer } from './server.js';
import type { StreamHubOptions } from './streams.js';
import { loadDashboardAssets } from './ui-bundle.js';

export interface DashboardOptions {
  readonly port: number;
  readonly host?: string;
  /** 'token' (the controller): bearer tokens; 'kubeconfig' (`slipway dashboard`): the local user. */
  readonly mode: 'token' | 'kubeconfig';
  /** Refuse every action. Default false. */
  readonly readOnly?: boolean;
  /** Watch one namespace. Default: all. */
  readonly namespace?: string;
  /** The Argo kinds' label selector (the controller's instance-id selector, to share its informers). */
  readonly argoSelector?: string;
  /** Where the notification ConfigMaps are (`$SLIPWAY_NOTIFICATIONS_NAMESPACE`). Default: argocd / argo-rollouts. */
  readonly notificationsNamespace?: string;
  /** Where repository Secrets are, for the diff against Git. Default: the namespace option, else argocd. */
  readonly credentialsNamespace?: string;
  readonly reviews?: ReviewCacheOptions;
  readonly streams?: StreamHubOptions;
}

const APPLICATION_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' };

/**
 * Registers the dashboard's informers now (call after the controllers registered theirs, so shared
 * informers keep the controllers' indexers) and starts its server; resolves with the server.
 */
export async function startDashboard(manager: Manager, options: DashboardOptions): Promise<DashboardServer> {
  const logger = manager.logger.child({ component: 'dashboard' });
  const hasApplications = await manager.client.discovery
    .resolve(APPLICATION_GVK)
    .then(() => true)
    .catch(() => false);
  const caches = new DashboardCaches(manager, {
    ...(options.namespace !== undefined && { namespace: options.namespace }),
    ...(options.argoSelector !== undefined && { argoSelector: options.argoSelector }),
    applications: hasApplications,
    ...(options.notificationsNamespace !== undefined && {
      notificationsNamespace: options.notificationsNamespace,
    }),
  });
  const reviewer =
    options.mode === 'token'
      ? new TokenAccessReviewer(manager.client, manager.clock, options.reviews)
      : new KubeconfigAccessReviewer(manager.client, manager.clock, options.reviews);
  // the diff against Git and history commits: the dashboard's own Git cache, opened on first use
  const git = hasApplications
    ? new ApplicationGit({
        client: manager.client,
        credentialsNamespace: options.credentialsNamespace ?? options.namespace ?? 'argocd',
        logger,
      })
    : undefined;
  if (git !== undefined) manager.onStop(() => git.close());
  const api = new DashboardApi({
    ...(git !== undefined && { git }),
    stores: caches.stores,
    reviewer,
    client: manager.client,
    // the controller acts as the viewer (needs `impersonate`: deploy/dashboard/rbac.yaml)
    // user, uid and groups; extras are not forwarded (they would need one `impersonate` grant per key)
    ...(options.mode === 'token' && {
      actAs: (viewer: Viewer) =>
        manager.client.impersonating({
          username: viewer.username,
          ...(viewer.uid !== undefined && { uid: viewer.uid }),
          groups: viewer.groups ?? [],
        }),
    }),
    readOnly: options.readOnly ?? false,
    now: () => manager.clock.now(),
    logger,
  });
  const server = await startDashboardServer({
    api,
    reviewer,
    assets: await loadDashboardAssets(),
    mode: options.mode,
    port: options.port,
    ...(options.host !== undefined && { host: options.host }),
    logger,
    ...(options.streams !== undefined && { streams: options.streams }),
  });
  caches.onChange(() => server.changed());
  manager.onStop(() => server.close());
  logger.info(
    { port: server.port, mode: options.mode, readOnly: options.readOnly ?? false },
    'dashboard started',
  );
  return server;
}
