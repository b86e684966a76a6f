/**
 * The Istio traffic router: VirtualService host-level splitting (HTTP, TLS and TCP routes, several
 * VirtualServices), DestinationRule subset-level splitting, and managed header / mirror routes, with
 * Argo Rollouts' semantics (rollout/trafficrouting/istio).
 */
import type { Rollout } from '../../types.js';
import type { TrafficRouterFactory } from '../router.js';
import { ISTIO_ROUTER_TYPE, IstioRouter } from './istio-router.js';
import { validateIstio } from './validate.js';

export { IstioErrorCode, IstioRouterError } from './errors.js';
export { ISTIO_ROUTER_TYPE, IstioRouter } from './istio-router.js';
export {
  type DestinationRulePlan,
  destinationRuleDelay,
  MANAGED_BY_ROLLOUTS_ANNOTATION,
  managingRolloutOf,
  planDestinationRule,
  planDestinationRuleRelease,
} from './plan-destination-rule.js';
export {
  type CanaryTarget,
  canaryTargetOf,
  planHeaderRoute,
  planMirrorRoute,
  planRemoveManagedRoutes,
} from './plan-managed-routes.js';
export { planVirtualServiceWeights, type VirtualServicePlan } from './plan-weights.js';
export {
  validateIstio,
  validateVirtualServiceReferences,
  virtualServiceNotFoundMessage,
} from './validate.js';
export {
  DESTINATION_RULE,
  ISTIO_API_VERSION,
  VIRTUAL_SERVICE,
  virtualServiceRef,
  virtualServicesOf,
} from './virtual-service.js';

export const istioRouterFactory: TrafficRouterFactory = {
  key: 'istio',
  type: ISTIO_ROUTER_TYPE,
  matches: (rollout: Rollout) => rollout.spec?.strategy?.canary?.trafficRouting?.istio != null,
  validate: validateIstio,
  create: (ctx) => new IstioRouter(ctx),
};
