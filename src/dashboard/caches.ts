/**
 * The informer caches the dashboard reads: Rollouts, Applications, their ReplicaSets and
 * AnalysisRuns. In the controller they are the controllers' own shared informers (same kind and
 * selectors), so the dashboard adds no watch; every page is computed from them, never from the API.
 */
import type { NamespaceObjects, RolloutObject } from '../cli/rollout-view/index.js';
import type { Experiment } from '../experiments/index.js';
import type { KubeObject, ObjectStore, Reflector, ReflectorOptions } from '../kube/index.js';
import {
  argocdConfigMapName,
  type NotificationKindName,
  rolloutsConfigMapName,
} from '../notifications/index.js';
import type { ReplicaSet } from '../rollouts/index.js';
import type { Application } from '../sync/index.js';
import type { FailureEvent } from './notifications-view.js';
import type { AnalysisRunLike } from './rollout-detail.js';

type PodObject = NamespaceObjects['pods'][number];

/** Where informers come from: the Manager (shared, started with it). */
export interface InformerSource {
  informer<T extends KubeObject>(
    options: Omit<ReflectorOptions<T>, 'logger' | 'onWatchRestart' | 'onForbidden'>,
  ): Reflector<T>;
}

export interface DashboardCachesOptions {
  /** Watch one namespace. Default: all. */
  readonly namespace?: string;
  /**
   * Label selector of the Argo Rollouts kinds: the controller passes its instance-id selector so the
   * informers are the ones its Rollout controller already runs. Default: none (every object).
   */
  readonly argoSelector?: string;
  /** Watch Applications (false when their CRD is not installed). Default true. */
  readonly applications?: boolean;
  /**
   * Where the notification ConfigMaps live, per configuration: the notification controller's own
   * namespaces (watched by name, so these informers are the ones it already runs). Default: as the
   * notification controller, `argocd` (Applications) and `argo-rollouts` (Rollouts and AnalysisRuns).
   */
  readonly notificationsNamespace?: string;
}

/** Must match the Rollout controller's ReplicaSet informer to share it. */
const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** The caches' stores: what the API reads (tests fill them directly). */
export interface DashboardStores {
  readonly rollouts: ObjectStore<RolloutObject>;
  readonly applications: ObjectStore<Application> | undefined;
  readonly replicaSets: ObjectStore<ReplicaSet>;
  readonly analysisRuns: ObjectStore<AnalysisRunLike>;
  /** Experiments (of Rollouts' `experiment` steps). */
  readonly experiments?: ObjectStore<Experiment>;
  /** Pods of Rollouts (trimmed to what the pod rows show). */
  readonly pods?: ObjectStore<PodObject>;
  /** The notification ConfigMaps (never a Secret). */
  readonly notificationConfigs?: readonly NotificationConfigSource[];
  /** `NotificationFailed` Warning Events. */
  readonly notificationFailures?: ObjectStore<FailureEvent>;
}

/** One watched notification ConfigMap name in one namespace, and the kinds its configuration serves. */
export interface NotificationConfigSource {
  readonly namespace: string;
  readonly name: string;
  readonly kinds: readonly NotificationKindName[];
  readonly store: ObjectStore<KubeObject & { readonly data?: Readonly<Record<string, string>> }>;
}

/**
 * What a pod row shows (the plugin's STATUS, READY and RESTARTS columns): everything else of a pod is
 * dropped before caching, so watching the Rollouts' pods costs little memory.
 */
export function trimPod(pod: KubeObject): PodObject {
  const p = pod as PodObject;
  const m = p.metadata;
  type ContainerStatus = NonNullable<NonNullable<PodObject['status']>['containerStatuses']>[number];
  const containerState = (c: ContainerStatus) => ({
    ready: c.ready,
    restartCount: c.restartCount,
    state: c.state,
  });
  return {
    apiVersion: p.apiVersion,
    kind: p.kind,
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
      ...(m.deletionTimestamp !== undefined && { deletionTimestamp: m.deletionTimestamp }),
      ...(m.ownerReferences !== undefined && { ownerReferences: m.ownerReferences }),
    },
    spec: {
      containers: (p.spec?.containers ?? []).map(() => ({})),
      initContainers: (p.spec?.initContainers ?? []).map((c) => ({
        ...(c.name !== undefined && { name: c.name }),
        ...(c.restartPolicy !== undefined && { restartPolicy: c.restartPolicy }),
      })),
    },
    status: {
      ...(p.status?.phase !== undefined && { phase: p.status.phase }),
      ...(p.status?.reason !== undefined && { reason: p.status.reason }),
      containerStatuses: (p.status?.containerStatuses ?? []).map(containerState),
      initContainerStatuses: (p.status?.initContainerStatuses ?? []).map(containerState),
    },
  } as PodObject;
}

const ROLLOUT_KINDS: readonly NotificationKindName[] = ['Rollout', 'AnalysisRun'];

export class DashboardCaches {
  readonly rollouts: Reflector<RolloutObject>;
  readonly applications: Reflector<Application> | undefined;
  readonly replicaSets: Reflector<ReplicaSet>;
  readonly analysisRuns: Reflector<AnalysisRunLike>;
  readonly experiments: Reflector<Experiment>;
  readonly pods: Reflector<PodObject>;
  readonly notificationFailures: Reflector<FailureEvent>;
  readonly notificationConfigs: readonly (Omit<NotificationConfigSource, 'store'> & {
    readonly informer: Reflector<KubeObject & { readonly data?: Readonly<Record<string, string>> }>;
  })[];

  constructor(source: InformerSource, options: DashboardCachesOptions = {}) {
    const ns = options.namespace !== undefined ? { namespace: options.namespace } : {};
    const argo = {
      ...ns,
      ...(options.argoSelector !== undefined && { labelSelector: options.argoSelector }),
    };
    this.rollouts = source.informer<RolloutObject>({
      gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' },
      ...argo,
    });
    this.applications =
      options.applications === false
        ? undefined
        : source.informer<Application>({
            gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' },
            ...ns,
          });
    this.replicaSets = source.informer<ReplicaSet>({
      gvk: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      labelSelector: POD_TEMPLATE_HASH_LABEL,
      ...ns,
    });
    this.analysisRuns = source.informer<AnalysisRunLike>({
      gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' },
      ...argo,
    });
    // the experiments controller's informer (same namespace, no selector): shared
    this.experiments = source.informer<Experiment>({
      gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment' },
      ...ns,
    });
    // the Rollout controller watches these pods' metadata only; the pod rows need their status too
    this.pods = source.informer<PodObject>({
      gvk: { apiVersion: 'v1', kind: 'Pod' },
      labelSelector: POD_TEMPLATE_HASH_LABEL,
      transform: trimPod,
      ...ns,
    });
    this.notificationFailures = source.informer<FailureEvent>({
      gvk: { apiVersion: 'v1', kind: 'Event' },
      fieldSelector: 'reason=NotificationFailed',
      ...ns,
    });
    const configNamespace = (upstream: string) => options.notificationsNamespace ?? upstream;
    const configs = [
      { namespace: configNamespace('argocd'), name: argocdConfigMapName, kinds: ['Application'] as const },
      { namespace: configNamespace('argo-rollouts'), name: rolloutsConfigMapName, kinds: ROLLOUT_KINDS },
    ];
    this.notificationConfigs = configs.map((c) => ({
      ...c,
      informer: source.informer({
        gvk: { apiVersion: 'v1', kind: 'ConfigMap' },
        namespace: c.namespace,
        // the notification controller's own watch (same namespace and field selector): shared
        fieldSelector: `metadata.name=${c.name}`,
      }),
    }));
  }

  get stores(): DashboardStores {
    return {
      rollouts: this.rollouts.store,
      applications: this.applications?.store,
      replicaSets: this.replicaSets.store,
      analysisRuns: this.analysisRuns.store,
      experiments: this.experiments.store,
      pods: this.pods.store,
      notificationFailures: this.notificationFailures.store,
      notificationConfigs: this.notificationConfigs.map(({ informer, ...c }) => ({
        ...c,
        store: informer.store,
      })),
    };
  }

  /** Calls `listener` after any change to any of the caches (the caller throttles). */
  onChange(listener: () => void): void {
    const notify = () => listener();
    this.rollouts.onChange(notify);
    this.applications?.onChange(notify);
    this.replicaSets.onChange(notify);
    this.analysisRuns.onChange(notify);
    this.experiments.onChange(notify);
    this.pods.onChange(notify);
    this.notificationFailures.onChange(notify);
    for (const c of this.notificationConfigs) c.informer.onChange(notify);
  }
}
