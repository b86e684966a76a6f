/**
 * The `rollouts` controller module: shared informers for Rollouts and what they own or point at,
 * watch mappings (a ReplicaSet, AnalysisRun, Experiment or Pod change enqueues its Rollout) and the reconciler.
 */

import { instanceIdSelector } from '../../analysis/index.js';
import {
  type CommonModuleOptions,
  type ControllerModule,
  controllerKeyOf,
  EchoFilter,
  enqueueMapped,
  enqueueOwner,
  enqueueSelf,
  type Manager,
  StatusWriter,
} from '../../core/index.js';
import type { Experiment } from '../../experiments/index.js';
import { Index, type KubeObject } from '../../kube/index.js';
import type { AnalysisRun } from '../analysis/analysis-runs.js';
import { referencesAnalysisTemplates } from '../analysis/analysis-template-check.js';
import type { ReplicaSet } from '../replica-sets/replica-sets.js';
import { POD_TEMPLATE_HASH_LABEL } from '../spec/pod-template-hash.js';
import { workloadKey, workloadRefKey } from '../spec/workload-ref.js';
import { strategyFor } from '../strategies/registry.js';
import { RoutedObjects } from '../traffic/routed-objects.js';
import { RolloutExecutor } from './executor.js';
import { type RolloutInformers, type RolloutObject, RolloutReconciler } from './reconciler.js';
import { RolloutWorkloads } from './workloads.js';

/** Rollouts by the workload their `spec.workloadRef` names (group/kind/namespace/name). */
const WORKLOAD_REF_INDEX = 'workloadRef';

export interface RegisterRolloutsOptions {
  /** Watch one namespace only. */
  readonly namespace?: string;
  /** Run only the Rollouts of this controller instance (`--instance-id`). Default: the unlabelled ones. */
  readonly instanceId?: string;
  /** Concurrent reconciles. Default DEFAULT_ROLLOUT_THREADS. */
  readonly workers?: number;
  /** The replica ceiling (`--max-replicas`). Default DEFAULT_MAX_REPLICAS. */
  readonly maxReplicas?: number;
}

/**
 * Reconciles are I/O-bound (API round trips dominate): bench/rollouts at N=500 had a queue-wait p99
 * of 5 s with 32 workers, 1 s with 64, and no better with 128.
 */
export const DEFAULT_ROLLOUT_THREADS = 64;

const ARGO = 'argoproj.io/v1alpha1';

export function registerRolloutController(manager: Manager, options: RegisterRolloutsOptions = {}) {
  const ns = options.namespace !== undefined ? { namespace: options.namespace } : {};
  // Argo filters its own kinds by instance id, the templates included
  const instance = { labelSelector: instanceIdSelector(options.instanceId) };
  const informers: RolloutInformers = {
    rollouts: manager.informer<RolloutObject>({
      gvk: { apiVersion: ARGO, kind: 'Rollout' },
      ...instance,
      indexers: {
        [WORKLOAD_REF_INDEX]: (r) => {
          const ref = r.spec?.workloadRef;
          return ref ? [workloadRefKey(ref, r.metadata.namespace ?? '')] : [];
        },
      },
      ...ns,
    }),
    replicaSets: manager.informer<ReplicaSet>({
      gvk: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      labelSelector: POD_TEMPLATE_HASH_LABEL,
      ...ns,
    }),
    analysisRuns: manager.informer<AnalysisRun>({
      gvk: { apiVersion: ARGO, kind: 'AnalysisRun' },
      ...instance,
      ...ns,
    }),
    experiments: manager.informer<Experiment>({
      gvk: { apiVersion: ARGO, kind: 'Experiment' },
      ...instance,
      ...ns,
    }),
    services: manager.informer<KubeObject>({ gvk: { apiVersion: 'v1', kind: 'Service' }, ...ns }),
    // metadata is all the reconciler reads from pods (owner, labels, creation, deletion)
    pods: manager.informer<KubeObject>({
      gvk: { apiVersion: 'v1', kind: 'Pod' },
      labelSelector: POD_TEMPLATE_HASH_LABEL,
      metadataOnly: true,
      ...ns,
    }),
    analysisTemplates: manager.informer<KubeObject>({
      gvk: { apiVersion: ARGO, kind: 'AnalysisTemplate' },
      ...instance,
      ...ns,
    }),
    clusterAnalysisTemplates: manager.informer<KubeObject>({
      gvk: { apiVersion: ARGO, kind: 'ClusterAnalysisTemplate' },
      ...instance,
    }),
  };
  const written = new StatusWriter();
  // the watch events of a settled reconcile's own writes enqueue nothing (see core/echo-filter.ts)
  const echoes = new EchoFilter(written);
  // a routed object changing (a VirtualService edited by hand) enqueues the Rollouts whose routers read it
  let enqueueRouted: (key: string) => void = () => {};
  const routedObjects = new RoutedObjects({
    client: manager.client,
    ...ns,
    written,
    logger: manager.logger.child({ controller: 'rollouts' }),
    enqueue: (key) => enqueueRouted(key),
  });
  manager.onStop(() => routedObjects.stop());
  const executor = new RolloutExecutor({
    client: manager.client,
    events: manager.events,
    written,
    logger: manager.logger.child({ controller: 'rollouts' }),
    routedObjects,
  });
  // a referenced workload appearing, going or changing its spec (generation) enqueues its Rollouts
  const workloads = new RolloutWorkloads({
    informer: (gvk) => manager.informer<KubeObject>({ gvk, ...ns }),
    onInformer: (reflector) =>
      enqueueMapped(
        reflector,
        controller,
        (workload) =>
          informers.rollouts.store
            .byIndex(WORKLOAD_REF_INDEX, workloadKey(workload))
            .map((r) => `${r.metadata.namespace ?? ''}/${r.metadata.name ?? ''}`),
        (current, previous) => current?.metadata.generation !== previous?.metadata.generation,
      ),
    client: manager.client,
    written,
    logger: manager.logger.child({ controller: 'rollouts' }),
  });
  const controller = manager.addController({
    name: 'rollouts',
    reconciler: new RolloutReconciler({
      informers,
      executor,
      written,
      workloads,
      echoes,
      ...(options.maxReplicas !== undefined && { maxReplicas: options.maxReplicas }),
    }),
    workers: options.workers ?? DEFAULT_ROLLOUT_THREADS,
    // every reconcile asks for all the wake-ups it needs (pause end, deadlines): a Rollout that became
    // Healthy has no use for the progress-deadline timer of its last Progressing reconcile
    latestRequeueWins: true,
  });
  enqueueSelf(informers.rollouts, controller, (current, previous) => {
    const obj = current ?? previous;
    const key = `${obj?.metadata.namespace ?? ''}/${obj?.metadata.name ?? ''}`;
    // this controller never changes a Rollout's spec: a new generation is someone else's, even inside a
    // version of ours (a relist after a lost watch shows only the last version)
    const sameSpec = current?.metadata.generation === previous?.metadata.generation;
    return !(sameSpec && echoes.isEcho('Rollout', key, current, previous));
  });
  enqueueRouted = (key) => controller.enqueue(key);
  informers.rollouts.onChange((current, previous) => {
    if (current !== undefined || previous === undefined) return;
    const key = `${previous.metadata.namespace ?? ''}/${previous.metadata.name ?? ''}`;
    routedObjects.forget(key);
    echoes.forget(key);
  });
  enqueueOwner(informers.replicaSets, controller, 'Rollout', (current, previous) => {
    const obj = current ?? previous;
    const owner = obj === undefined ? undefined : controllerKeyOf(obj, 'Rollout');
    return owner === undefined || !echoes.isEcho('ReplicaSet', owner, current, previous);
  });
  // after the echo checks above: our copy of a written Rollout or ReplicaSet goes once the cache holds it
  informers.rollouts.onChange((current) => written.observe('Rollout', current));
  informers.replicaSets.onChange((current) => written.observe('ReplicaSet', current));
  enqueueOwner(informers.analysisRuns, controller, 'Rollout');
  // an experiment step waits for its Experiment's phase
  enqueueOwner(informers.experiments, controller, 'Rollout');
  // a pod appearing, going or relabelled matters for restarts and ephemeral metadata (readiness
  // reaches the Rollout through its ReplicaSet's status): map pod → RS → Rollout, for the Rollouts
  // that read pods (as Argo, which does not watch pods, the others never hear of them)
  enqueueMapped(
    informers.pods,
    controller,
    (pod) => {
      const owner = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'ReplicaSet');
      if (owner === undefined) return [];
      const rs = informers.replicaSets.store.get(`${pod.metadata.namespace ?? ''}/${owner.name}`);
      const rollout = rs?.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Rollout');
      if (rollout === undefined) return [];
      const key = `${pod.metadata.namespace ?? ''}/${rollout.name}`;
      const r = informers.rollouts.store.get(key);
      return r !== undefined && readsPods(r) ? [key] : [];
    },
    podMetadataChanged,
  );
  // a Service named by a Rollout: re-point it when it appears or changes
  enqueueMapped(informers.services, controller, (service) =>
    informers.rollouts.store
      .byIndex(Index.Namespace, service.metadata.namespace ?? '')
      .filter(
        (r) =>
          strategyFor(r)
            ?.serviceNames(r)
            .includes(service.metadata.name ?? '') === true,
      )
      .map((r) => `${r.metadata.namespace ?? ''}/${r.metadata.name ?? ''}`),
  );
  // an analysis template changing can make a Rollout that references templates valid or invalid
  const referencing = (namespace?: string) =>
    (namespace === undefined
      ? informers.rollouts.store.list()
      : informers.rollouts.store.byIndex(Index.Namespace, namespace)
    )
      .filter(referencesAnalysisTemplates)
      .map((r) => `${r.metadata.namespace ?? ''}/${r.metadata.name ?? ''}`);
  enqueueMapped(informers.analysisTemplates, controller, (t) => referencing(t.metadata.namespace ?? ''));
  enqueueMapped(informers.clusterAnalysisTemplates, controller, () => referencing());
  return controller;
}

/**
 * Whether a Rollout's reconcile reads its pods: it has ephemeral metadata to keep on them, or a restart
 * (`spec.restartAt`) still to carry out. Pod changes of the other Rollouts reach them through their
 * ReplicaSets' status.
 */
export function readsPods(rollout: RolloutObject): boolean {
  const restartAt = rollout.spec?.restartAt;
  if (restartAt !== undefined && restartAt !== rollout.status?.restartedAt) return true;
  const roles = strategyFor(rollout)?.ephemeralMetadata(rollout);
  return roles !== undefined && (roles.new !== undefined || roles.stable !== undefined);
}

/** Creation, deletion, a deletion starting, or labels/annotations changing (not status updates). */
export function podMetadataChanged(
  current: KubeObject | undefined,
  previous: KubeObject | undefined,
): boolean {
  if (current === undefined || previous === undefined || current === previous) return true;
  const a = current.metadata;
  const b = previous.metadata;
  return (
    a.deletionTimestamp !== b.deletionTimestamp ||
    !sameStrings(a.labels, b.labels) ||
    !sameStrings(a.annotations, b.annotations)
  );
}

function sameStrings(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => a?.[k] === b?.[k]);
}

/** What `slipway controller` passes the `rollouts` module. */
export interface RolloutsModuleOptions extends CommonModuleOptions {
  /** Concurrent Rollout reconciles (`--rollout-threads`). Default DEFAULT_ROLLOUT_THREADS. */
  readonly rolloutThreads?: number;
  /** Most replicas a Rollout may ask for (`--max-replicas`). Default DEFAULT_MAX_REPLICAS. */
  readonly maxReplicas?: number;
}

/** The `rollouts` module of `slipway controller`. */
export const rolloutsModule: ControllerModule<RolloutsModuleOptions> = {
  name: 'rollouts',
  register(manager, options) {
    registerRolloutController(manager, {
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.instanceId !== undefined && { instanceId: options.instanceId }),
      ...(options.rolloutThreads !== undefined && { workers: options.rolloutThreads }),
      ...(options.maxReplicas !== undefined && { maxReplicas: options.maxReplicas }),
    });
  },
};
