import {
  type CommonModuleOptions,
  type ControllerModule,
  enqueueOwner,
  enqueueSelf,
  type Manager,
} from '../core/index.js';
import type { KubeObject } from '../kube/index.js';
import { instanceIdSelector } from './controller-instance.js';
import { ANALYSIS_RUN_UID_LABEL, JOB_GVK, ProviderRegistry } from './providers/index.js';
import { ANALYSIS_RUN_GVK, type AnalysisRunObject, AnalysisRunReconciler } from './run-reconciler.js';

export interface AnalysisControllerOptions {
  /** Watch one namespace only. Default: all. */
  readonly namespace?: string;
  /** Run only the AnalysisRuns of this controller instance (`--instance-id`). Default: the unlabelled ones. */
  readonly instanceId?: string;
  /** Concurrent reconciles. Default DEFAULT_ANALYSIS_THREADS. */
  readonly workers?: number;
  /** Observes scheduling lag: (due time, actual measurement start), epoch ms. */
  readonly onScheduled?: (dueAt: number, startedAt: number) => void;
}

/** Argo's `--analysis-threads` default; measurements are I/O bound. */
export const DEFAULT_ANALYSIS_THREADS = 30;

/** Adds the AnalysisRun controller, its informers (AnalysisRuns, the provider's Jobs) and watches. */
export function registerAnalysisController(manager: Manager, options: AnalysisControllerOptions = {}): void {
  const ns = options.namespace !== undefined ? { namespace: options.namespace } : {};
  const runs = manager.informer<AnalysisRunObject>({
    gvk: ANALYSIS_RUN_GVK,
    labelSelector: instanceIdSelector(options.instanceId),
    ...ns,
  });
  const jobs = manager.informer<KubeObject>({ gvk: JOB_GVK, labelSelector: ANALYSIS_RUN_UID_LABEL, ...ns });
  const reconciler = new AnalysisRunReconciler({
    client: manager.client,
    store: runs.store,
    events: manager.events,
    providers: new ProviderRegistry(manager.client),
    ...(options.onScheduled !== undefined && { onScheduled: options.onScheduled }),
  });
  const controller = manager.addController({
    name: 'analysis',
    reconciler,
    workers: options.workers ?? DEFAULT_ANALYSIS_THREADS,
  });
  enqueueSelf(runs, controller);
  enqueueOwner(jobs, controller, 'AnalysisRun');
}

/** What `slipway controller` passes the `analysis` module. */
export interface AnalysisModuleOptions extends CommonModuleOptions {
  /** Concurrent AnalysisRun reconciles (`--analysis-threads`). Default DEFAULT_ANALYSIS_THREADS. */
  readonly analysisThreads?: number;
}

/** The `analysis` module of `slipway controller`. */
export const analysisControllerModule: ControllerModule<AnalysisModuleOptions> = {
  name: 'analysis',
  register(manager, options) {
    registerAnalysisController(manager, {
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.instanceId !== undefined && { instanceId: options.instanceId }),
      ...(options.analysisThreads !== undefined && { workers: options.analysisThreads }),
    });
  },
};
