/**
 * The Istio router's I/O: reads each VirtualService (and the DestinationRule), asks the pure planners
 * for the desired object, and replaces it only when it differs (optimistic concurrency through the
 * read's resourceVersion, so a concurrent edit makes the reconcile retry instead of being lost).
 */
import { isNotFound, type KubeObject } from '../../../kube/index.js';
import { isControlledBy, type ReplicaSet } from '../../replica-sets/replica-sets.js';
import type { IstioVirtualService, Rollout, SetHeaderRoute, SetMirrorRoute } from '../../types.js';
import type { AdditionalDestination, TrafficClient, TrafficRouter, TrafficRouterContext } from '../router.js';
import { IstioErrorCode, IstioRouterError } from './errors.js';
import { destinationRuleDelay, planDestinationRule } from './plan-destination-rule.js';
import {
  type CanaryTarget,
  canaryTargetOf,
  planHeaderRoute,
  planMirrorRoute,
  planRemoveManagedRoutes,
} from './plan-managed-routes.js';
import { planVirtualServiceWeights, type VirtualServicePlan } from './plan-weights.js';
import {
  DESTINATION_RULE,
  type JsonObject,
  VIRTUAL_SERVICE,
  virtualServiceRef,
  virtualServicesOf,
} from './virtual-service.js';

export const ISTIO_ROUTER_TYPE = 'Istio';

export class IstioRouter implements TrafficRouter {
  readonly type = ISTIO_ROUTER_TYPE;
  private readonly rollout: Rollout;
  private readonly client: TrafficClient;
  private readonly fieldManager: string;
  private readonly signal: AbortSignal | undefined;
  private readonly recordChange: TrafficRouterContext['recordChange'];

  constructor(ctx: TrafficRouterContext) {
    this.rollout = ctx.rollout;
    this.client = ctx.client;
    this.fieldManager = ctx.fieldManager;
    this.signal = ctx.signal;
    this.recordChange = ctx.recordChange;
  }

  private get namespace(): string {
    return this.rollout.metadata?.namespace ?? '';
  }

  private get destinationRuleSpec() {
    return this.rollout.spec?.strategy?.canary?.trafficRouting?.istio?.destinationRule;
  }

  private async getVirtualService(entry: IstioVirtualService): Promise<KubeObject> {
    const ref = virtualServiceRef(entry.name, this.namespace);
    return this.client.get({ ...VIRTUAL_SERVICE, ...ref }, { signal: this.signal });
  }

  /** Writes a planned VirtualService (replace at the read's resourceVersion); an invalid plan throws. */
  private async write(plan: VirtualServicePlan): Promise<void> {
    if (plan.kind === 'unchanged') return;
    if (plan.kind === 'invalid') throw new IstioRouterError(IstioErrorCode.InvalidRoutes, plan.message);
    await this.client.replace(plan.virtualService as KubeObject, {
      fieldManager: this.fieldManager,
      signal: this.signal,
    });
  }

  /** Applies `plan` to every VirtualService the Rollout names, in order. */
  private async eachVirtualService(
    plan: (entry: IstioVirtualService, vs: JsonObject) => VirtualServicePlan,
    options: { readonly skipMissing?: boolean } = {},
  ): Promise<void> {
    for (const entry of virtualServicesOf(this.rollout)) {
      let vs: KubeObject;
      try {
        vs = await this.getVirtualService(entry);
      } catch (err) {
        if (options.skipMissing === true && isNotFound(err)) continue;
        throw err;
      }
      await this.write(plan(entry, vs as JsonObject));
    }
  }

  /** The canary Service (or the DestinationRule's host) and canary subset header / mirror routes use. */
  private async canaryTarget(): Promise<CanaryTarget> {
    const rule = this.destinationRuleSpec;
    if (rule === undefined) return canaryTargetOf(this.rollout, undefined);
    const dr = await this.client.get(
      { ...DESTINATION_RULE, namespace: this.namespace, name: rule.name },
      { signal: this.signal },
    );
    return canaryTargetOf(this.rollout, (dr.spec as { host?: string } | undefined)?.host);
  }

  async setWeight(desiredWeight: number, additional: readonly AdditionalDestination[]): Promise<void> {
    await this.eachVirtualService((entry, virtualService) =>
      planVirtualServiceWeights({ rollout: this.rollout, entry, virtualService, desiredWeight, additional }),
    );
  }

  async setHeaderRoute(route: SetHeaderRoute): Promise<void> {
    const target = await this.canaryTarget();
    await this.eachVirtualService((entry, virtualService) =>
      planHeaderRoute({ rollout: this.rollout, entry, virtualService, target }, route),
    );
  }

  async setMirrorRoute(route: SetMirrorRoute): Promise<void> {
    const target = await this.canaryTarget();
    await this.eachVirtualService((entry, virtualService) =>
      planMirrorRoute({ rollout: this.rollout, entry, virtualService, target }, route),
    );
  }

  async removeManagedRoutes(): Promise<void> {
    await this.eachVirtualService(
      (_, virtualService) => planRemoveManagedRoutes(this.rollout, virtualService),
      {
        skipMissing: true,
      },
    );
  }

  /** Istio cannot tell whether the mesh applies the weights (Argo's VerifyWeight returns nil). */
  async verifyWeight(): Promise<boolean | undefined> {
    return undefined;
  }

  async updateHash(
    canaryHash: string | undefined,
    stableHash: string | undefined,
    additional: readonly AdditionalDestination[],
  ): Promise<void> {
    const canary = this.rollout.spec?.strategy?.canary;
    if ((canary?.canaryService ?? '') === '' && (canary?.stableService ?? '') === '') {
      const notReady = destinationRuleDelay(this.rollout, await this.replicaSets(), canaryHash, stableHash);
      if (notReady !== undefined) {
        throw new IstioRouterError(
          IstioErrorCode.DestinationRuleDelayed,
          `delaying destination rule switch: ReplicaSet ${notReady} not fully available`,
        );
      }
    }
    const rule = this.destinationRuleSpec;
    if (rule === undefined) return;
    const dr = await this.client.get(
      { ...DESTINATION_RULE, namespace: this.namespace, name: rule.name },
      { signal: this.signal },
    );
    const plan = planDestinationRule({
      rollout: this.rollout,
      destinationRule: dr as JsonObject,
      canaryHash,
      stableHash,
      additional,
    });
    if (plan.kind === 'unchanged') return;
    await this.client.replace(plan.destinationRule as KubeObject, {
      fieldManager: this.fieldManager,
      signal: this.signal,
    });
    this.recordChange?.(
      'UpdatedDestinationRule',
      `DestinationRule ${rule.name} subset updated (${rule.canarySubsetName}: ${canaryHash ?? ''}, ${rule.stableSubsetName}: ${stableHash ?? ''})`,
    );
  }

  /** The Rollout's ReplicaSets (those it controls), read only for the DestinationRule delay. */
  private async replicaSets(): Promise<ReplicaSet[]> {
    const list = await this.client.list<ReplicaSet>(
      { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      { namespace: this.namespace, signal: this.signal },
    );
    return list.items.filter((rs) => isControlledBy(rs, this.rollout.metadata?.uid));
  }
}
