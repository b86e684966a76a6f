import type { SetHeaderRoute, SetMirrorRoute } from '../types.js';
import type { AdditionalDestination, TrafficRouter } from './router.js';

/**
 * A router that only splits by weight (Argo's SMI and NGINX routers): header and mirror routes, pod-hash
 * updates and managed routes do nothing, and the weight cannot be verified (undefined: taken as set).
 */
export abstract class WeightOnlyRouter implements TrafficRouter {
  abstract readonly type: string;

  abstract setWeight(desiredWeight: number, additional: readonly AdditionalDestination[]): Promise<void>;

  async verifyWeight(): Promise<boolean | undefined> {
    return undefined;
  }

  async updateHash(): Promise<void> {}

  async setHeaderRoute(_route: SetHeaderRoute): Promise<void> {}

  async setMirrorRoute(_route: SetMirrorRoute): Promise<void> {}

  async removeManagedRoutes(): Promise<void> {}
}
