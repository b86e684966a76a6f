/**
 * The informer caches the dashboard reads: Rollouts, Applications, their ReplicaSets and
 * AnalysisRuns. In the controller they are the controllers' own shared informers (same kind and
 * selectors), so the dashboard adds no watch; every page is computed from them, never from the API.
 */
import type { RolloutObject } from '../cli/rollout-view/index.js';
import type { KubeObject, ObjectStore, Reflector, ReflectorOptions } from '../kube/index.js';
import type { ReplicaSet } from '../rollouts/index.js';
import type { Application } from '../sync/index.js';
import type { AnalysisRunLike } from './rollout-detail.js';

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
}

/** Must match the Rollout controller's ReplicaSet informer to share it. */
const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** The caches' stores: what the API reads (tests fill them directly). */
export interface DashboardStores {
  readonly rollouts: ObjectStore<RolloutObject>;
  readonly applications: ObjectStore<Application> | undefined;
  readonly replicaSets: ObjectStore<ReplicaSet>;
  readonly analysisRuns: ObjectStore<AnalysisRunLike>;
}

export class DashboardCaches {
  readonly rollouts: Reflector<RolloutObject>;
  readonly applications: Reflector<Application> | undefined;
  readonly replicaSets: Reflector<ReplicaSet>;
  readonly analysisRuns: Reflector<AnalysisRunLike>;

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
  }

  get stores(): DashboardStores {
    return {
      rollouts: this.rollouts.store,
      applications: this.applications?.store,
      replicaSets: this.replicaSets.store,
      analysisRuns: this.analysisRuns.store,
    };
  }

  /** Calls `listener` after any change to any of the caches (the caller throttles). */
  onChange(listener: () => void): void {
    const notify = () => listener();
    this.rollouts.onChange(notify);
    this.applications?.onChange(notify);
    this.replicaSets.onChange(notify);
    this.analysisRuns.onChange(notify);
  }
}
