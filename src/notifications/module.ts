import { instanceIdSelector } from '../analysis/index.js';
import {
  type CommonModuleOptions,
  type ControllerModule,
  enqueueSelf,
  type Manager,
  transitionOf,
} from '../core/index.js';
import { type KubeObject, objectKey, type Reflector } from '../kube/index.js';
import { ConfigSource } from './config-source.js';
import { DeliveryEngine } from './delivery.js';
import { EventTriggers } from './event-triggers.js';
import {
  argoNotificationKinds,
  fluxNotificationKinds,
  type NotificationKind,
  type NotificationKindName,
  notificationKinds,
} from './kinds.js';
import { NotificationMetrics } from './metrics.js';
import { ObservedStates } from './observed-states.js';
import { type OutboxEntry, outboxAnnotation } from './outbox-entry.js';
import { KubeOutboxStore } from './outbox-store.js';
import type { BackoffOptions, PacingOptions } from './pacer.js';
import { ProblemReporter } from './problem-reporter.js';
import { NotificationReconciler } from './reconciler.js';
import { type RenderPoolOptions, WorkerRenderPool } from './render-pool.js';
import { TriggerEvaluator } from './triggers.js';

export interface NotificationsModuleOptions {
  /**
   * Namespace of the shared configuration. Default: the module option (`$SLIPWAY_NOTIFICATIONS_NAMESPACE`),
   * else the upstream install namespaces (`argocd` for Applications, `argo-rollouts` for Rollouts and
   * AnalysisRuns).
   */
  readonly configNamespace?: string;
  /**
   * Also read the configuration in each object's own namespace (Argo's
   * `--self-service-notification-enabled`). Default: the controller option, else false.
   */
  readonly selfService?: boolean;
  /** ConfigMap name for every kind. Default `argocd-notifications-cm` / `argo-rollouts-notification-configmap`. */
  readonly configMapName?: string;
  /** Secret name for every kind. Default `argocd-notifications-secret` / `argo-rollouts-notification-secret`. */
  readonly secretName?: string;
  /** Slack API URL when a service sets no `apiURL`. Default the module option (`$SLIPWAY_SLACK_API_URL`), else Slack's. */
  readonly slackApiUrl?: string;
  /** Kinds to watch. Default Application, Rollout, AnalysisRun, plus Kustomization and HelmRelease with `fluxKinds`. */
  readonly kinds?: readonly NotificationKindName[];
  readonly pacing?: PacingOptions | false;
  readonly backoff?: BackoffOptions;
  /** Template rendering budgets (worker threads, time and memory per render). */
  readonly render?: RenderPoolOptions;
  /** The same problem of one object is reported (Event + log) at most once per this. Default 10 min. */
  readonly problemIntervalMs?: number;
  /** Observation hooks around each send (tests crash the process there). */
  readonly beforeSend?: (entry: OutboxEntry) => void;
  readonly afterSend?: (entry: OutboxEntry) => void;
  /**
   * Stops delivery when aborted (in-process tests). Delivery timers never keep the process alive, and
   * undelivered entries stay in their outbox for the next process.
   */
  readonly signal?: AbortSignal;
}

/** What `slipway controller` passes the `notifications` module (flags and environment, parsed). */
export interface NotificationsControllerModuleOptions extends CommonModuleOptions {
  /** `--self-service-notification-enabled`. Default false. */
  readonly selfServiceNotification?: boolean;
  /** `$SLIPWAY_NOTIFICATIONS_NAMESPACE`: namespace of the shared configuration. */
  readonly configNamespace?: string;
  /** `$SLIPWAY_SLACK_API_URL`: Slack API URL when a service sets no `apiURL`. */
  readonly slackApiUrl?: string;
  /** Also notify about Kustomizations and HelmReleases (the flux module runs in this process). Default false. */
  readonly fluxKinds?: boolean;
}

const upstreamNamespace = (kind: NotificationKind): string => kind.upstreamNamespace;

/** The `notifications` controller module: one controller per kind sharing config, outbox and delivery. */
export function notificationsModule(
  options: NotificationsModuleOptions = {},
): ControllerModule<NotificationsControllerModuleOptions> {
  return {
    name: 'notifications',
    register(manager: Manager, moduleOptions: NotificationsControllerModuleOptions): void {
      const logger = manager.logger.child({ component: 'notifications' });
      const metrics = new NotificationMetrics(manager.metrics.registry);
      const names =
        options.kinds ??
        (moduleOptions.fluxKinds === true
          ? [...argoNotificationKinds, ...fluxNotificationKinds]
          : argoNotificationKinds);
      const kinds = names.map((k) => notificationKinds[k]);
      const configNamespace = options.configNamespace ?? moduleOptions.configNamespace;
      const slackApiUrl = options.slackApiUrl ?? moduleOptions.slackApiUrl;
      const configs = new ConfigSource(
        manager,
        {
          controllerNamespace: (kind) => configNamespace ?? upstreamNamespace(kind),
          ...(options.configMapName !== undefined && { configMapName: options.configMapName }),
          ...(options.secretName !== undefined && { secretName: options.secretName }),
          ...(moduleOptions.namespace !== undefined && { watchNamespace: moduleOptions.namespace }),
          selfService: options.selfService ?? moduleOptions.selfServiceNotification ?? false,
          kinds,
          serviceDefaults: slackApiUrl !== undefined ? { slackApiUrl } : {},
        },
        manager.events,
        logger,
        metrics,
      );
      const watched = new Map<string, { kind: NotificationKind; informer: Reflector<KubeObject> }>();
      const delivery = new DeliveryEngine({
        // annotations and status from the same cached object version (see decideCommit)
        observe: (owner, id) => {
          const object = watched.get(owner.kind)?.informer.store.get(`${owner.namespace}/${owner.name}`);
          if (object === undefined || object.metadata.uid !== owner.uid) return undefined;
          return {
            hasEntry: object.metadata.annotations?.[outboxAnnotation(id)] !== undefined,
            transition: transitionOf(object.status),
          };
        },
        services: (config, service) => configs.service(config, service),
        store: new KubeOutboxStore(manager.client, logger),
        logger,
        metrics,
        ...(options.pacing !== undefined && { pacing: options.pacing }),
        ...(options.backoff !== undefined && { backoff: options.backoff }),
        ...(options.beforeSend !== undefined && { beforeSend: options.beforeSend }),
        ...(options.afterSend !== undefined && { afterSend: options.afterSend }),
        onPermanentFailure: (owner, entry, reason) =>
          manager.events.warning(
            {
              apiVersion: owner.apiVersion,
              kind: owner.kind,
              metadata: { name: owner.name, namespace: owner.namespace, uid: owner.uid },
            },
            'NotificationFailed',
            `trigger '${entry.trigger}' to ${entry.service}:${entry.recipient} failed: ${reason}; not retried`,
          ),
      });
      const evaluator = new TriggerEvaluator();
      const renderer = new WorkerRenderPool(options.render);
      const problems = {
        reporter: new ProblemReporter({
          events: manager.events,
          logger,
          now: () => manager.clock.now(),
          ...(options.problemIntervalMs !== undefined && { intervalMs: options.problemIntervalMs }),
        }),
        logger,
        metrics,
      };
      const now = () => new Date(manager.clock.now());
      for (const kind of kinds) {
        const informer = manager.informer<KubeObject>({
          gvk: kind.gvk,
          ...(moduleOptions.namespace !== undefined && { namespace: moduleOptions.namespace }),
          // Argo Rollouts notifies from its own, instance-filtered informers
          ...(kind.instanceFiltered && { labelSelector: instanceIdSelector(moduleOptions.instanceId) }),
        });
        const observed = new ObservedStates();
        // Only while reconciles run to consume them: a standby's warm cache keeps no old versions.
        informer.onChange((current) => {
          if (current && manager.isLeader) observed.record(objectKey(current), current);
        });
        const controller = manager.addController({
          name: `notifications-${kind.gvk.kind.toLowerCase()}`,
          reconciler: new NotificationReconciler({
            kind,
            informer,
            client: manager.client,
            configs,
            delivery,
            evaluator,
            renderer,
            problems,
            now,
            observed,
          }),
        });
        enqueueSelf(informer, controller);
        watched.set(kind.gvk.kind, { kind, informer });
        configs.onChange((namespace) => {
          for (const o of informer.store.list())
            if (
              namespace === configNamespace ||
              namespace === upstreamNamespace(kind) ||
              o.metadata.namespace === namespace
            )
              controller.enqueue(`${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`);
        });
      }
      // Event triggers are stored by the controller that records the events, before it commits.
      const eventTriggers = new EventTriggers({
        kinds: watched,
        client: manager.client,
        configs,
        delivery,
        evaluator,
        renderer,
        problems,
        ...(moduleOptions.namespace !== undefined && { namespace: moduleOptions.namespace }),
        now,
      });
      manager.events.onEventDurable(eventTriggers.listener);
      // stopped with the manager (its workers and the render thread must not keep a process alive), or earlier
      // by the caller's signal
      let closed: Promise<void> | undefined;
      const close = () => {
        if (closed === undefined) {
          delivery.stop();
          closed = renderer.close();
        }
        return closed;
      };
      manager.onStop(close);
      options.signal?.addEventListener('abort', () => void close(), { once: true });
    },
  };
}

/** The module `slipway controller` runs (configured through its module options). */
export const notificationsControllerModule = notificationsModule();
