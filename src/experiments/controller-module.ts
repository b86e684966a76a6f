/**
 * The `experiments` controller module: informers for Experiments and what they own or read (shared
 * with the rollouts module where both watch the same kind), watch mappings (a ReplicaSet, Service or
 * AnalysisRun change enqueues its Experiment; a template change enqueues the Experiments of its
 * namespace that have not started their runs) and the reconciler.
 */
import {
  type CommonModuleOptions,
  type ControllerModule,
  enqueueMapped,
  enqueueOwner,
  enqueueSelf,
  type Manager,
  StatusWriter,
} from '../core/index.js';
import { Index, type KubeObject } from '../kube/index.js';
import { type AnalysisRun, POD_TEMPLATE_HASH_LABEL, type ReplicaSet } from '../rollouts/index.js';
import { ExperimentExecutor } from './executor.js';
import { type ExperimentInformers, type ExperimentObject, ExperimentReconciler } from './reconciler.js';
import { EXPERIMENT_KIND } from './template-objects.js';

export interface RegisterExperimentsOptions {
  /** Watch one namespace only. Default: all. */
  readonly namespace?: string;
  /** Concurrent reconciles. Default DEFAULT_EXPERIMENT_THREADS. */
  readonly workers?: number;
}

/** Argo's `--experiment-threads` default. */
export const DEFAULT_EXPERIMENT_THREADS = 10;

const ARGO = 'argoproj.io/v1alpha1';

export function registerExperimentController(manager: Manager, options: RegisterExperimentsOptions = {}) {
  const ns = options.namespace !== undefined ? { namespace: options.namespace } : {};
  const informers: ExperimentInformers = {
    experiments: manager.informer<ExperimentObject>({
      gvk: { apiVersion: ARGO, kind: EXPERIMENT_KIND },
      ...ns,
    }),
    // the same selectors as the rollouts module's: one shared informer per kind
    replicaSets: manager.informer<ReplicaSet>({
      gvk: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      labelSelector: POD_TEMPLATE_HASH_LABEL,
      ...ns,
    }),
    services: manager.informer<KubeObject>({ gvk: { apiVersion: 'v1', kind: 'Service' }, ...ns }),
    analysisRuns: manager.informer<AnalysisRun>({ gvk: { apiVersion: ARGO, kind: 'AnalysisRun' }, ...ns }),
    analysisTemplates: manager.informer<KubeObject>({
      gvk: { apiVersion: ARGO, kind: 'AnalysisTemplate' },
      ...ns,
    }),
    clusterAnalysisTemplates: manager.informer<KubeObject>({
      gvk: { apiVersion: ARGO, kind: 'ClusterAnalysisTemplate' },
    }),
  };
  const written = new StatusWriter();
  const executor = new ExperimentExecutor({ client: manager.client, events: manager.events, written });
  const controller = manager.addController({
    name: 'experiments',
    reconciler: new ExperimentReconciler({
      informers,
      client: manager.client,
      executor,
      events: manager.events,
      written,
    }),
    workers: options.workers ?? DEFAULT_EXPERIMENT_THREADS,
  });
  enqueueSelf(informers.experiments, controller);
  enqueueMapped(informers.replicaSets, controller, ownerKey, replicaCountsChanged);
  enqueueOwner(informers.services, controller, EXPERIMENT_KIND);
  enqueueMapped(informers.analysisRuns, controller, ownerKey, (current, previous) => {
    return (
      current === undefined || previous === undefined || current.status?.phase !== previous.status?.phase
    );
  });
  // an analysis template appearing can clear a verification error of an experiment still coming up
  const waiting = (namespace?: string) =>
    (namespace === undefined
      ? informers.experiments.store.list()
      : informers.experiments.store.byIndex(Index.Namespace, namespace)
    )
      .filter((e) => (e.spec?.analyses?.length ?? 0) > 0 && e.status?.availableAt === undefined)
      .map((e) => `${e.metadata.namespace ?? ''}/${e.metadata.name ?? ''}`);
  enqueueMapped(informers.analysisTemplates, controller, (t) => waiting(t.metadata.namespace ?? ''));
  enqueueMapped(informers.clusterAnalysisTemplates, controller, () => waiting());
  return controller;
}

function ownerKey(obj: KubeObject): string[] {
  const owner = obj.metadata.ownerReferences?.find((r) => r.controller && r.kind === EXPERIMENT_KIND);
  return owner === undefined ? [] : [`${obj.metadata.namespace ?? ''}/${owner.name}`];
}

/** Argo's ReplicaSet update filter: only replica counters (and creation, deletion) matter. */
function replicaCountsChanged(current: ReplicaSet | undefined, previous: ReplicaSet | undefined): boolean {
  if (current === undefined || previous === undefined) return true;
  const counts = (rs: ReplicaSet) =>
    [
      rs.spec?.replicas ?? 1,
      rs.status?.replicas,
      rs.status?.readyReplicas,
      rs.status?.availableReplicas,
    ].join('/');
  return counts(current) !== counts(previous);
}

/** What `slipway controller` passes the `experiments` module. */
export interface ExperimentsModuleOptions extends CommonModuleOptions {
  /** Concurrent Experiment reconciles (`--experiment-threads`). Default DEFAULT_EXPERIMENT_THREADS. */
  readonly experimentThreads?: number;
}

/** The `experiments` module of `slipway controller`. */
export const experimentsControllerModule: ControllerModule<ExperimentsModuleOptions> = {
  name: 'experiments',
  register(manager, options) {
    registerExperimentController(manager, {
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.experimentThreads !== undefined && { workers: options.experimentThreads }),
    });
  },
};
