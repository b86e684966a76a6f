/**
 * Gateway API traffic routing (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute backendRef weights and header
 * routes), configured exactly as Argo's `argoproj-labs/gatewayAPI` plugin and run natively, without the
 * plugin binary.
 */
import type { Rollout } from '../../types.js';
import type { TrafficRouter, TrafficRouterContext, TrafficRouterFactory } from '../router.js';
import {
  GATEWAY_API_PLUGIN_NAME,
  GATEWAY_API_TYPE,
  usesGatewayApi,
  validateGatewayApiConfig,
} from './config.js';
import { GatewayApiRouter } from './gateway-api-router.js';

export const gatewayApiRouterFactory: TrafficRouterFactory = {
  key: GATEWAY_API_PLUGIN_NAME,
  type: GATEWAY_API_TYPE,
  matches: (rollout: Rollout) => usesGatewayApi(rollout),
  validate: (rollout: Rollout) => validateGatewayApiConfig(rollout),
  create: (ctx: TrafficRouterContext): TrafficRouter => new GatewayApiRouter(ctx),
};

export {
  DEFAULT_IN_PROGRESS_LABEL,
  GATEWAY_API_PLUGIN_NAME,
  GATEWAY_API_TYPE,
  type GatewayApiConfig,
  type GatewayApiConfigResult,
  type GatewayApiRouteRef,
  parseGatewayApiConfig,
  validateGatewayApiConfig,
} from './config.js';
export { GATEWAY_API_ERROR, GatewayApiError, GatewayApiMessages } from './errors.js';
export { GatewayApiRouter } from './gateway-api-router.js';
export { hasManagedRuleShape, isManagedRuleName } from './managed-rules.js';
export { type ExperimentInput, planExperimentBackends, type ServicePort } from './plan-experiment.js';
export {
  type HeaderRouteInput,
  headerMatches,
  planRemoveManagedRoutes,
  planSetHeaderRoute,
} from './plan-header-route.js';
export { type PlanResult, planWeight, type WeightInput } from './plan-weight.js';
export { ROUTE_KINDS, type RouteKind, type RouteObject, type RouteRule } from './route-shapes.js';
