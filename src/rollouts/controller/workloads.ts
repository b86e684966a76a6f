/**
 * The workloads Rollouts reference with `spec.workloadRef`, read from informers started on first use
 * (as Argo starts one per kind on demand), so a cluster without workloadRef Rollouts never lists
 * Deployments. Also the two writes workloadRef needs: the Rollout's workload-generation annotation
 * and the referenced Deployment's replicas (`scaleDown`).
 */
import type { StatusWriter } from '../../core/index.js';
import {
  describeForbidden,
  type GroupVersionKind,
  type KubeClient,
  type KubeObject,
  type Reflector,
} from '../../kube/index.js';
import type { Logger } from '../../observability/index.js';
import { type ReplicaSet, revisionOf, specReplicas } from '../replica-sets/replica-sets.js';
import {
  planWorkloadScaleDown,
  WORKLOAD_GENERATION_ANNOTATION,
  workloadKindOf,
} from '../spec/workload-ref.js';
import { actionsOf, type RolloutAction } from '../strategies/actions.js';
import type { Rollout, RolloutStatus } from '../types.js';
import { FIELD_MANAGER } from './executor.js';

/** The referenced workload as the cache has it. */
export type WorkloadLookup =
  | { readonly state: 'none' }
  | { readonly state: 'syncing' }
  /** The informer cannot list the kind (RBAC): the message names the missing permission. */
  | { readonly state: 'unavailable'; readonly message: string }
  | { readonly state: 'cached'; readonly workload: KubeObject | undefined };

export interface RolloutWorkloadsOptions {
  /** Starts (or returns) the shared informer of a kind; called once per kind, on first use. */
  readonly informer: (gvk: GroupVersionKind) => Reflector<KubeObject>;
  /** Called with each informer this creates (the controller maps its changes to Rollouts). */
  readonly onInformer: (reflector: Reflector<KubeObject>) => void;
  readonly client: KubeClient;
  readonly written: StatusWriter;
  readonly logger: Logger;
}

export class RolloutWorkloads {
  private readonly reflectors = new Map<string, Reflector<KubeObject>>();

  constructor(private readonly options: RolloutWorkloadsOptions) {}

  /** The workload `spec.workloadRef` names ('none' without a supported reference). */
  lookup(rollout: Rollout): WorkloadLookup {
    const ref = rollout.spec?.workloadRef;
    if (ref === undefined || ref === null) return { state: 'none' };
    const kind = workloadKindOf(ref);
    if (typeof kind === 'string') return { state: 'none' };
    const apiVersion = kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
    const reflector = this.reflectorFor({ apiVersion, kind: kind.kind });
    const denied = reflector.forbidden;
    if (denied !== undefined) return { state: 'unavailable', message: describeForbidden(denied) };
    if (!reflector.hasSynced) return { state: 'syncing' };
    const key = `${rollout.metadata?.namespace ?? ''}/${ref.name ?? ''}`;
    return { state: 'cached', workload: reflector.store.get(key) };
  }

  private reflectorFor(gvk: GroupVersionKind): Reflector<KubeObject> {
    const key = `${gvk.apiVersion}/${gvk.kind}`;
    let reflector = this.reflectors.get(key);
    if (reflector === undefined) {
      reflector = this.options.informer(gvk);
      this.reflectors.set(key, reflector);
      this.options.onInformer(reflector);
    }
    return reflector;
  }

  /** Sets (or, with undefined, removes) `rollout.argoproj.io/workload-generation` when it differs. */
  async syncGenerationAnnotation<R extends Rollout & KubeObject>(
    rollout: R,
    generation: string | undefined,
  ): Promise<R> {
    const current = rollout.metadata.annotations?.[WORKLOAD_GENERATION_ANNOTATION];
    if (current === generation) return rollout;
    const patched = await this.options.client.patch<R>(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        namespace: rollout.metadata.namespace ?? '',
        name: rollout.metadata.name ?? '',
      },
      { metadata: { annotations: { [WORKLOAD_GENERATION_ANNOTATION]: generation ?? null } } },
      { type: 'merge', fieldManager: FIELD_MANAGER },
    );
    this.options.written.remember(patched, rollout);
    return patched;
  }

  /**
   * `spec.workloadRef.scaleDown`: scales the referenced Deployment as Argo does after this reconcile's
   * decision (`rollout` carries the status the reconcile started from, `status` the one it wrote).
   */
  async scaleDown(
    rollout: Rollout,
    workload: KubeObject | undefined,
    newRS: ReplicaSet,
    actions: readonly RolloutAction[],
    status: RolloutStatus,
  ): Promise<void> {
    if (workload === undefined || workload.kind !== 'Deployment') return;
    const before = specReplicas(newRS);
    const scaled = actionsOf(actions, 'scaleReplicaSet').find(
      (a) => a.params.replicaSet.metadata.name === newRS.metadata.name,
    );
    const spec = workload.spec as { readonly replicas?: number } | undefined;
    const target = planWorkloadScaleDown({
      rollout,
      newRSRevision: revisionOf(newRS),
      newRSReplicasBefore: before,
      newRSReplicasAfter: scaled?.params.to ?? before,
      isFullyPromoted:
        status.stableRS !== undefined && status.stableRS === status.currentPodHash && status.abort !== true,
      deploymentReplicas: spec?.replicas ?? 1,
    });
    if (target !== undefined) await this.scaleDeployment(rollout, target);
  }

  /** Scales the referenced Deployment (Argo's `scaleDeployment`); failures are logged, not thrown. */
  private async scaleDeployment(rollout: Rollout, replicas: number): Promise<void> {
    const namespace = rollout.metadata?.namespace ?? '';
    const name = rollout.spec?.workloadRef?.name ?? '';
    const logger = this.options.logger.child({ deployment: `${namespace}/${name}`, replicas });
    try {
      await this.options.client.patch(
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
        { spec: { replicas } },
        { type: 'merge', fieldManager: FIELD_MANAGER },
      );
      logger.info('scaled referenced deployment');
    } catch (err) {
      logger.warn({ err }, 'cannot scale referenced deployment');
    }
  }
}
