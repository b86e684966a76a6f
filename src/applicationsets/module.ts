/**
 * The `applicationsets` controller module: informers for ApplicationSets, their Applications and
 * the Argo CD cluster Secrets; an Application change enqueues its ApplicationSet (for
 * `status.resources` and drift), a cluster Secret change enqueues every ApplicationSet with a
 * clusters generator; Git is read through its own repository cache in the sync work dir.
 */
import { join } from 'node:path';
import {
  type CommonModuleOptions,
  type ControllerModule,
  enqueueMapped,
  type Manager,
  StatusWriter,
  specOrRequestChanged,
} from '../core/index.js';
import { type KubeObject, objectKey } from '../kube/index.js';
import {
  type Application,
  DefaultRenderLimits,
  openWorkspace,
  type RenderLimits,
  RepoCache,
  SecretCredentialSource,
} from '../sync/index.js';
import { usesClusters } from './generators/registry.js';
import { RepoContentReader } from './git-content.js';
import { ApplicationSetReconciler } from './reconciler.js';
import type { ApplicationSet } from './types.js';

export const CLUSTER_SECRET_LABEL = 'argocd.argoproj.io/secret-type';

export interface ApplicationSetControllerOptions {
  /** Watch ApplicationSets (and their Applications) in one namespace only. Default: all. */
  readonly namespace?: string;
  /** Where cluster and repository Secrets live (Argo CD's namespace). Default: `namespace`, else "argocd". */
  readonly argocdNamespace?: string;
  /** Git caches: `<workDir>/applicationsets` (kept across restarts). Default: a temp dir of this process. */
  readonly workDir?: string;
  /** Size limits on repository files the git generator reads. Default 10 MiB per file, 20 MiB in all. */
  readonly renderLimits?: RenderLimits;
  /** Concurrent reconciles. Default 4. */
  readonly workers?: number;
}

const ARGO = 'argoproj.io/v1alpha1';

export function registerApplicationSetController(
  manager: Manager,
  options: ApplicationSetControllerOptions = {},
) {
  const logger = manager.logger.child({ controller: 'applicationsets' });
  const ns = options.namespace !== undefined ? { namespace: options.namespace } : {};
  const argocdNamespace = options.argocdNamespace ?? options.namespace ?? 'argocd';
  const workspace = openWorkspace({
    ...(options.workDir !== undefined && { dir: join(options.workDir, 'applicationsets') }),
    onReapError: (path, err) => logger.warn({ err, path }, 'cannot remove a dead controller work dir'),
  });
  const repos = new RepoCache({
    dir: workspace.cacheDir,
    checkoutDir: join(workspace.runDir, 'checkouts'),
    credentials: new SecretCredentialSource(manager.client, argocdNamespace),
  });
  const appSets = manager.informer<ApplicationSet>({
    gvk: { apiVersion: ARGO, kind: 'ApplicationSet' },
    ...ns,
  });
  const apps = manager.informer<Application>({ gvk: { apiVersion: ARGO, kind: 'Application' }, ...ns });
  const clusterSecrets = manager.informer<KubeObject & { data?: Record<string, string> }>({
    gvk: { apiVersion: 'v1', kind: 'Secret' },
    namespace: argocdNamespace,
    labelSelector: `${CLUSTER_SECRET_LABEL}=cluster`,
  });
  const written = new StatusWriter();
  const controller = manager.addController({
    name: 'applicationsets',
    reconciler: new ApplicationSetReconciler({
      client: manager.client,
      appSets,
      apps,
      clusterSecrets,
      git: new RepoContentReader({ repos, limits: options.renderLimits ?? DefaultRenderLimits }),
      events: manager.events,
      written,
    }),
    workers: options.workers ?? 4,
  });
  controller.addKeySource(() => appSets.store.list().map(objectKey));
  enqueueMapped(appSets, controller, (s) => [objectKey(s)], specOrRequestChanged);
  // an Application's owned fields, or the sync and health status `status.resources` shows
  const appView = (a: Application) =>
    JSON.stringify([
      a.spec,
      a.metadata.labels,
      a.metadata.annotations,
      a.metadata.finalizers,
      a.metadata.ownerReferences,
      a.metadata.deletionTimestamp,
      a.status?.sync?.status,
      a.status?.health?.status,
      // what RollingSync decides on
      a.status?.sync?.revision,
      a.status?.sync?.comparedTo,
      a.status?.health?.message,
      a.operation !== undefined,
      a.status?.operationState?.phase,
      a.status?.operationState?.startedAt,
    ]);
  enqueueMapped(
    apps,
    controller,
    (app) => {
      const owner = app.metadata.ownerReferences?.find(
        (r) => r.controller === true && r.kind === 'ApplicationSet',
      );
      return owner === undefined ? [] : [`${app.metadata.namespace ?? ''}/${owner.name}`];
    },
    (cur, prev) => !cur || !prev || appView(cur) !== appView(prev),
  );
  enqueueMapped(clusterSecrets, controller, () =>
    appSets.store
      .list()
      .filter((s) => (s.spec?.generators ?? []).some(usesClusters))
      .map((s) => `${s.metadata.namespace ?? ''}/${s.metadata.name ?? ''}`),
  );
  manager.onStop(() => workspace.close());
  return controller;
}

/** What `slipway controller` passes the `applicationsets` module. */
export interface ApplicationSetsModuleOptions
  extends CommonModuleOptions,
    Pick<ApplicationSetControllerOptions, 'workDir' | 'renderLimits'> {}

/** The `applicationsets` module of `slipway controller`. */
export const applicationSetsControllerModule: ControllerModule<ApplicationSetsModuleOptions> = {
  name: 'applicationsets',
  register(manager, options) {
    registerApplicationSetController(manager, {
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.workDir !== undefined && { workDir: options.workDir }),
      ...(options.renderLimits !== undefined && { renderLimits: options.renderLimits }),
    });
  },
};
