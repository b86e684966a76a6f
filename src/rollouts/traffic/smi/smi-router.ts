/**
 * The SMI router (Argo Rollouts' `SMI` reconciler): keeps one TrafficSplit per Rollout at the desired
 * weights, creating it (owned by the Rollout) when missing. SMI has no header or mirror routes and cannot
 * report the weight in effect: those calls do nothing, as in Argo.
 */
import { isNotFound } from '../../../kube/index.js';
import type { Rollout } from '../../types.js';
import type { AdditionalDestination, TrafficClient } from '../router.js';
import { TrafficRouterError } from '../traffic-router-error.js';
import { WeightOnlyRouter } from '../weight-only-router.js';
import {
  planTrafficSplit,
  TRAFFIC_SPLIT_GROUP,
  type TrafficSplit,
  type TrafficSplitVersion,
  trafficSplitName,
} from './plan-traffic-split.js';

export const SMI_TYPE = 'SMI';

export interface SmiRouterOptions {
  readonly rollout: Rollout;
  readonly client: TrafficClient;
  readonly fieldManager: string;
  readonly version: TrafficSplitVersion;
  readonly signal?: AbortSignal;
}

export class SmiRouter extends WeightOnlyRouter {
  readonly type = SMI_TYPE;

  constructor(private readonly options: SmiRouterOptions) {
    super();
  }

  async setWeight(desiredWeight: number, additional: readonly AdditionalDestination[]): Promise<void> {
    const { rollout, client, version, fieldManager, signal } = this.options;
    const ref = {
      apiVersion: `${TRAFFIC_SPLIT_GROUP}/${version}`,
      kind: 'TrafficSplit',
      namespace: rollout.metadata?.namespace ?? '',
      name: trafficSplitName(rollout),
    };
    let existing: TrafficSplit | undefined;
    try {
      existing = await client.get<TrafficSplit>(ref, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const action = planTrafficSplit(rollout, version, desiredWeight, additional, existing);
    switch (action.kind) {
      case 'create':
        await client.create(action.object, { fieldManager, signal });
        return;
      case 'patch':
        await client.patch(ref, action.patch, { type: 'merge', fieldManager, signal });
        return;
      case 'error':
        throw new TrafficRouterError(action.message);
      case 'none':
        return;
    }
  }
}
