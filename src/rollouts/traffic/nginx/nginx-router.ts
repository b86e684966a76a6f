/**
 * The NGINX Ingress router (Argo Rollouts' `Nginx` reconciler): for each stable Ingress, keeps a canary
 * Ingress owned by the Rollout at the desired `canary-weight`. NGINX header routing comes from
 * `additionalIngressAnnotations` (canary-by-header), not from setHeaderRoute steps, which Argo's validation
 * refuses for NGINX; header, mirror and managed-route calls do nothing here, as in Argo. NGINX cannot
 * report the weight in effect.
 */
import { isAlreadyExists, isNotFound, type ObjectRef } from '../../../kube/index.js';
import type { Rollout } from '../../types.js';
import type { AdditionalDestination, TrafficClient } from '../router.js';
import { causeMessage, TrafficRouterError } from '../traffic-router-error.js';
import { WeightOnlyRouter } from '../weight-only-router.js';
import {
  canaryIngressName,
  INGRESS_API_VERSION,
  type Ingress,
  planCanaryIngress,
  stableIngressNames,
} from './plan-canary-ingress.js';

export const NGINX_TYPE = 'Nginx';

export interface NginxRouterOptions {
  readonly rollout: Rollout;
  readonly client: TrafficClient;
  readonly fieldManager: string;
  readonly signal?: AbortSignal;
}

export class NginxRouter extends WeightOnlyRouter {
  readonly type = NGINX_TYPE;

  constructor(private readonly options: NginxRouterOptions) {
    super();
  }

  async setWeight(desiredWeight: number, _additional: readonly AdditionalDestination[]): Promise<void> {
    for (const stableName of stableIngressNames(this.options.rollout)) {
      await this.setWeightFor(stableName, desiredWeight);
    }
  }

  private ref(name: string): ObjectRef {
    const namespace = this.options.rollout.metadata?.namespace ?? '';
    return { apiVersion: INGRESS_API_VERSION, kind: 'Ingress', namespace, name };
  }

  private async setWeightFor(stableName: string, desiredWeight: number): Promise<void> {
    const { rollout, client, fieldManager, signal } = this.options;
    const canaryName = canaryIngressName(rollout.metadata?.name ?? '', stableName);

    let stable: Ingress;
    try {
      stable = await client.get<Ingress>(this.ref(stableName), { signal });
    } catch (err) {
      throw new TrafficRouterError(
        `error retrieving stableIngress \`${stableName}\` from cache: ${causeMessage(err)}`,
        { cause: err },
      );
    }
    let current: Ingress | undefined;
    try {
      current = await client.get<Ingress>(this.ref(canaryName), { signal });
    } catch (err) {
      if (!isNotFound(err)) {
        throw new TrafficRouterError(
          `error retrieving canary ingress \`${canaryName}\` from cache: ${causeMessage(err)}`,
          { cause: err },
        );
      }
    }

    let action = planCanaryIngress(rollout, stable, desiredWeight, current);
    if (action.kind === 'create') {
      try {
        await client.create(action.object, { fieldManager, signal });
        return;
      } catch (err) {
        if (!isAlreadyExists(err)) {
          throw new TrafficRouterError(
            `error creating canary ingress \`${canaryName}\`: ${causeMessage(err)}`,
            {
              cause: err,
            },
          );
        }
      }
      // Created by someone else between the read and the create: read it again and patch as usual.
      try {
        current = await client.get<Ingress>(this.ref(canaryName), { signal });
      } catch (err) {
        throw new TrafficRouterError(
          `error retrieving canary ingress \`${canaryName}\` from api: ${causeMessage(err)}`,
          { cause: err },
        );
      }
      action = planCanaryIngress(rollout, stable, desiredWeight, current);
    }
    switch (action.kind) {
      case 'error':
        throw new TrafficRouterError(action.message);
      case 'patch':
        try {
          await client.patch(this.ref(canaryName), action.patch, { type: 'merge', fieldManager, signal });
        } catch (err) {
          throw new TrafficRouterError(
            `error patching canary ingress \`${canaryName}\`: ${causeMessage(err)}`,
            {
              cause: err,
            },
          );
        }
        return;
      default:
        return;
    }
  }
}
