/**
 * The SMI router (Argo Rollouts' `SMI` reconciler): keeps one TrafficSplit per Rollout at the desired
 * weights, creating it (owned by the Rollout) when missing. SMI has no header or mirror routes and cannot
 * report the weight in effect: those calls do nothing, as in Argo.
 */
import { isNotFound } from '../../../kube/index.js';
import type { Rollout, SetHeaderRoute, SetMirrorRoute } from '../../types.js';
import type { AdditionalDestination, TrafficClient, TrafficRouter } from '../router.js';
import { TrafficRouterError } from '../traffic-router-error.js';
import {
  desiredTrafficSplit,
  isOwnedBy,
  notOwnedMessage,
  planTrafficSplitPatch,
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

export class SmiRouter implements TrafficRouter {
  readonly type = SMI_TYPE;

  constructor(private readonly options: SmiRouterOptions) {}

  async setWeight(desiredWeight: number, additional: readonly AdditionalDestination[]): Promise<void> {
    const { rollout, client, version, fieldManager, signal } = this.options;
    const name = trafficSplitName(rollout);
    const desired = desiredTrafficSplit(rollout, version, desiredWeight, additional);
    const ref = {
      apiVersion: `${TRAFFIC_SPLIT_GROUP}/${version}`,
      kind: 'TrafficSplit',
      namespace: rollout.metadata?.namespace ?? '',
      name,
    };
    let existing: TrafficSplit;
    try {
      existing = await client.get<TrafficSplit>(ref, { signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await client.create(desired, { fieldManager, signal });
      return;
    }
    if (!isOwnedBy(existing, rollout)) throw new TrafficRouterError(notOwnedMessage(name));
    const patch = planTrafficSplitPatch(existing, desired.spec ?? { service: '', backends: [] }, version);
    if (patch === undefined) return;
    await client.patch(ref, patch, { type: 'merge', fieldManager, signal });
  }

  async verifyWeight(): Promise<boolean | undefined> {
    return undefined;
  }

  async updateHash(): Promise<void> {}

  async setHeaderRoute(_route: SetHeaderRoute): Promise<void> {}

  async setMirrorRoute(_route: SetMirrorRoute): Promise<void> {}

  async removeManagedRoutes(): Promise<void> {}
}
