/**
 * The traffic routers Slipway runs. Adding a router: one folder under `src/rollouts/traffic/` exporting a
 * `TrafficRouterFactory`, and one line here.
 */
import type { Rollout } from '../types.js';
import { gatewayApiRouterFactory } from './gateway-api/index.js';
import { istioRouterFactory } from './istio/index.js';
import { nginxRouterFactory } from './nginx/index.js';
import type { TrafficRouter, TrafficRouterContext, TrafficRouterFactory } from './router.js';
import { smiRouterFactory } from './smi/index.js';

export const trafficRouterFactories: readonly TrafficRouterFactory[] = [
  istioRouterFactory,
  smiRouterFactory,
  nginxRouterFactory,
  gatewayApiRouterFactory,
];

/** `trafficRouting` keys Argo knows but Slipway does not run: reported as InvalidSpec naming the router. */
export const unsupportedRouterKeys = ['alb', 'ambassador', 'appMesh', 'traefik', 'apisix'] as const;

/** The factories whose configuration this Rollout uses (Argo runs every configured router). */
export function routerFactoriesFor(rollout: Rollout): TrafficRouterFactory[] {
  return trafficRouterFactories.filter((f) => f.matches(rollout));
}

export function createTrafficRouters(ctx: TrafficRouterContext): TrafficRouter[] {
  return routerFactoriesFor(ctx.rollout).map((f) => f.create(ctx));
}
