/**
 * The Notifications page for one viewer: a configuration where they may `get` its ConfigMap, the
 * Rollouts and Applications where they may list them (the Fleet's rule), and delivery failures where
 * they may list Events. Everything comes from the informer caches; no Secret is ever read.
 */
import { Index, type KubeObject } from '../kube/index.js';
import { configMapReadAccess, eventsReadAccess, type Viewer } from './access.js';
import type { ApiResult, DashboardApiOptions } from './api.js';
import type { Visibility } from './fleet-view.js';
import {
  type FailureEvent,
  type NotificationConfigMap,
  type NotificationsView,
  type NotifiedObject,
  notificationsView,
} from './notifications-view.js';

export interface VisibilitySource {
  visibility(
    viewer: Viewer,
    rollouts: readonly KubeObject[],
    applications: readonly KubeObject[],
  ): Promise<Visibility>;
}

export class NotificationsApi {
  constructor(
    private readonly options: DashboardApiOptions,
    private readonly fleet: VisibilitySource,
  ) {}

  async page(viewer: Viewer): Promise<ApiResult<NotificationsView>> {
    const { reviewer, stores } = this.options;
    const configs: NotificationConfigMap[] = [];
    for (const source of stores.notificationConfigs ?? []) {
      if (!(await reviewer.can(viewer, configMapReadAccess(source.namespace, source.name)))) continue;
      const cm = source.store.get(`${source.namespace}/${source.name}`);
      if (cm !== undefined)
        configs.push({
          namespace: source.namespace,
          name: source.name,
          data: cm.data ?? {},
          kinds: source.kinds,
        });
    }
    const rollouts = stores.rollouts.list();
    const applications = stores.applications?.list() ?? [];
    const visible = await this.fleet.visibility(viewer, rollouts, applications);
    const objects: NotifiedObject[] = [
      ...rollouts
        .filter((o) => visible('Rollout', o.metadata.namespace ?? ''))
        .map((object) => ({ kind: 'Rollout' as const, object })),
      ...applications
        .filter((o) => visible('Application', o.metadata.namespace ?? ''))
        .map((object) => ({ kind: 'Application' as const, object })),
    ];
    const failureStore = stores.notificationFailures;
    const failures: FailureEvent[] = [];
    if (failureStore !== undefined) {
      const namespaces = new Set(objects.map((o) => o.object.metadata.namespace ?? ''));
      await Promise.all(
        [...namespaces].map(async (ns) => {
          if (await reviewer.can(viewer, eventsReadAccess(ns)))
            failures.push(...failureStore.byIndex(Index.Namespace, ns));
        }),
      );
    }
    return { status: 200, body: notificationsView(configs, objects, failures) };
  }
}
