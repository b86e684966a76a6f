/**
 * Fields that Argo Rollouts accepts but Slipway cannot run yet. Each one is reported as InvalidSpec
 * naming the field (Kubernetes' `field: Unsupported value: ...` wording) instead of being ignored
 * or stalling the Rollout until its progress deadline. Pure; checked after Argo's own validation, so a
 * spec Argo rejects keeps Argo's message.
 */
import { trafficRouterFactories, type unsupportedRouterKeys } from '../traffic/registry.js';
import type { TrafficRouterFactory } from '../traffic/router.js';
import type { CanaryStep, Rollout, RolloutTrafficRouting } from '../types.js';

/** Canary step actions Slipway does not execute, with why. */
const UNSUPPORTED_STEPS = {
  plugin: 'Slipway cannot run step plugins',
} as const satisfies Partial<Record<keyof CanaryStep, string>>;

/** Canary fields Slipway would otherwise ignore, changing what the Rollout does without a word. */
const UNSUPPORTED_CANARY_FIELDS = {
  pingPong: 'Slipway does not run ping-pong Services yet',
  antiAffinity: 'Slipway does not set canary anti-affinity yet',
} as const;

const unsupported = (field: string, why: string) => `${field}: Unsupported value: ${why}`;

/** Argo's router names (their `Type()`), for the routers Slipway will not run. */
const UNSUPPORTED_ROUTERS: Record<(typeof unsupportedRouterKeys)[number], string> = {
  alb: 'ALB',
  ambassador: 'Ambassador',
  appMesh: 'AppMesh',
  traefik: 'Traefik',
  apisix: 'Apisix',
};
/** The one router plugin Slipway runs (natively) once its router is registered. */
const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';
const NOT_YET = 'traffic routing is not supported yet';
const ROUTING_FIELD = 'spec.strategy.canary.trafficRouting';

/**
 * The first configured router without a registered factory: routers Slipway will never run and
 * plugins other than Gateway API are named; the routers still to come keep the "not yet" text.
 */
function unsupportedRouter(
  routing: RolloutTrafficRouting,
  routers: readonly Pick<TrafficRouterFactory, 'key'>[],
): string | undefined {
  const isRegistered = (key: string) => routers.some((r) => r.key === key);
  const keys = Object.keys(routing).filter((k) => k !== 'maxTrafficWeight' && k !== 'managedRoutes');
  if (keys.length === 0) return unsupported(ROUTING_FIELD, NOT_YET);
  for (const key of keys) {
    if (key === 'plugins') {
      for (const plugin of Object.keys(routing.plugins ?? {})) {
        if (isRegistered(plugin)) continue;
        const why =
          plugin === GATEWAY_API_PLUGIN
            ? NOT_YET
            : `Slipway does not run the traffic router plugin "${plugin}"`;
        return unsupported(`${ROUTING_FIELD}.plugins`, why);
      }
      continue;
    }
    if (isRegistered(key)) continue;
    const name = UNSUPPORTED_ROUTERS[key as keyof typeof UNSUPPORTED_ROUTERS];
    return unsupported(
      `${ROUTING_FIELD}.${key}`,
      name ? `Slipway does not run the ${name} traffic router` : NOT_YET,
    );
  }
  return undefined;
}

function firstUnsupportedStep(steps: readonly CanaryStep[]): string | undefined {
  for (const [i, step] of steps.entries()) {
    for (const [action, why] of Object.entries(UNSUPPORTED_STEPS)) {
      const value = step[action as keyof typeof UNSUPPORTED_STEPS];
      if (value !== undefined && value !== null)
        return unsupported(`spec.strategy.canary.steps[${i}].${action}`, why);
    }
  }
  return undefined;
}

/** The first feature of the spec Slipway cannot run, as an InvalidSpec error text; undefined if none. */
/** What the check needs of a router: its key, and (for registered routers) its own validation. */
type RouterCheck = Pick<TrafficRouterFactory, 'key'> &
  Partial<Pick<TrafficRouterFactory, 'matches' | 'validate'>>;

export function unsupportedFeature(
  rollout: Rollout,
  routers: readonly RouterCheck[] = trafficRouterFactories,
): string | undefined {
  const spec = rollout.spec ?? {};
  const canary = spec.strategy?.canary;
  // blue-green runs as it is; validation reports a spec with neither strategy
  if (canary === undefined) return undefined;
  const routing = canary.trafficRouting;
  if (routing !== undefined) {
    const refused = unsupportedRouter(routing, routers);
    if (refused !== undefined) return refused;
    // every configured router is registered: each checks its own configuration (Argo's messages)
    for (const factory of routers) {
      if (factory.matches?.(rollout) !== true) continue;
      const [problem] = factory.validate?.(rollout) ?? [];
      if (problem !== undefined) return problem;
    }
  }
  for (const [field, why] of Object.entries(UNSUPPORTED_CANARY_FIELDS)) {
    const value = (canary as Readonly<Record<string, unknown>>)[field];
    if (value !== undefined && value !== null) return unsupported(`spec.strategy.canary.${field}`, why);
  }
  return firstUnsupportedStep(canary.steps ?? []);
}
