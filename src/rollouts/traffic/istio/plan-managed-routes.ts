/**
 * Header and mirror routes the Rollout manages in a VirtualService (Argo's SetHeaderRoute,
 * SetMirrorRoute and RemoveManagedRoutes): a route is replaced by name, a step without `match`
 * removes it, and managed routes always sit on top in `managedRoutes` order. Pure.
 */
import type {
  IstioVirtualService,
  Rollout,
  SetHeaderRoute,
  SetMirrorRoute,
  StringMatch,
} from '../../types.js';
import type { VirtualServicePlan } from './plan-weights.js';
import { orderManagedRoutes } from './route-order.js';
import {
  httpRouteIndexes,
  type JsonObject,
  managedRouteNames,
  type RouteDestination,
  routesOf,
  SPEC_HTTP_NOT_FOUND,
  type VirtualServiceRoute,
} from './virtual-service.js';

/** Where a header or mirror route sends traffic: the canary Service (or DestinationRule host) and subset. */
export interface CanaryTarget {
  readonly host: string;
  readonly subset: string;
}

/**
 * Argo's choice of target: the DestinationRule's `spec.host` when the Rollout names a DestinationRule
 * (with its canary subset), else the canary Service.
 */
export function canaryTargetOf(rollout: Rollout, destinationRuleHost: string | undefined): CanaryTarget {
  const canary = rollout.spec?.strategy?.canary;
  const rule = canary?.trafficRouting?.istio?.destinationRule;
  const host =
    destinationRuleHost !== undefined && destinationRuleHost !== ''
      ? destinationRuleHost
      : (canary?.canaryService ?? '');
  return { host, subset: rule?.canarySubsetName ?? '' };
}

export interface ManagedRouteInput {
  readonly rollout: Rollout;
  readonly entry: IstioVirtualService;
  readonly virtualService: JsonObject;
  readonly target: CanaryTarget;
}

const withHttp = (vs: JsonObject, http: JsonObject[]): JsonObject => ({
  ...vs,
  spec: { ...(vs.spec as JsonObject), http },
});

const routeName = (route: JsonObject): string => (typeof route.name === 'string' ? route.name : '');
const withoutRoute = (http: readonly JsonObject[], name: string) => http.filter((r) => routeName(r) !== name);

function stringMatch(match: StringMatch | undefined): JsonObject {
  const out: JsonObject = {};
  for (const key of ['exact', 'regex', 'prefix'] as const) {
    const value = match?.[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** The destinations of the route SetWeight moves (Argo's getVirtualServiceSetWeightRoute). */
function setWeightRoute(
  entry: IstioVirtualService,
  http: readonly JsonObject[],
): { readonly route: readonly RouteDestination[] } | { readonly error: string } {
  const found = httpRouteIndexes(entry.routes ?? [], http as readonly VirtualServiceRoute[]);
  if ('error' in found) return found;
  const index = found.indexes[0];
  const route = index === undefined ? undefined : (http[index] as VirtualServiceRoute | undefined);
  return { route: route?.route ?? [] };
}

function destination(target: CanaryTarget, port: number | undefined): JsonObject {
  return {
    host: target.host,
    ...(port !== undefined && port > 0 && { port: { number: port } }),
    ...(target.subset !== '' && { subset: target.subset }),
  };
}

const done = (before: JsonObject, after: JsonObject): VirtualServicePlan =>
  JSON.stringify(before) === JSON.stringify(after)
    ? { kind: 'unchanged' }
    : { kind: 'update', virtualService: after };

/** Adds (or, without `match`, removes) a header route sending all matching requests to the canary. */
export function planHeaderRoute(input: ManagedRouteInput, step: SetHeaderRoute): VirtualServicePlan {
  const { rollout, entry, virtualService, target } = input;
  const name = step.name ?? '';
  const http = routesOf(virtualService, 'http');
  const prefix = '[SetHeaderRoute] failed to reconcile header routes: [reconcileVirtualServiceHeaderRoutes]';
  if (http === undefined) {
    const what = step.match == null ? 'failed to remove route' : 'failed to remove http route';
    return { kind: 'invalid', message: `${prefix} ${what} from virtual service: ${SPEC_HTTP_NOT_FOUND}` };
  }
  const rest = withoutRoute(http, name);
  if (step.match == null) {
    return done(
      virtualService,
      orderManagedRoutes(withHttp(virtualService, rest), managedRouteNames(rollout)),
    );
  }
  const weighted = setWeightRoute(entry, rest);
  const port = 'route' in weighted ? weighted.route[0]?.destination?.port?.number : undefined;
  const headerRoute: JsonObject = {
    name,
    match: step.match.map((m) => ({ headers: { [m.headerName]: stringMatch(m.headerValue) } })),
    route: [{ weight: 100, destination: destination(target, port) }],
  };
  const next = withHttp(virtualService, [...rest, headerRoute]);
  return done(virtualService, orderManagedRoutes(next, managedRouteNames(rollout)));
}

/** The destinations of the weighted route as Argo re-marshals them (only host, subset, port, weight). */
function copyDestinations(route: readonly RouteDestination[]): JsonObject[] {
  return route.map((d) => {
    const dest = d.destination ?? {};
    const port = dest.port === undefined ? undefined : dest.port.number ? { number: dest.port.number } : {};
    return {
      destination: {
        ...(dest.host ? { host: dest.host } : {}),
        ...(dest.subset ? { subset: dest.subset } : {}),
        ...(port !== undefined && { port }),
      },
      ...(d.weight ? { weight: d.weight } : {}),
    };
  });
}

/** Adds (or, without `match`, removes) a route mirroring `percentage` % of matching requests to the canary. */
export function planMirrorRoute(input: ManagedRouteInput, step: SetMirrorRoute): VirtualServicePlan {
  const { rollout, entry, virtualService, target } = input;
  const http = routesOf(virtualService, 'http');
  const prefix =
    '[SetMirrorRoute] failed reconcile virtual service for mirror routes: [reconcileVirtualServiceMirrorRoutes]';
  if (http === undefined) {
    const what = step.match == null ? 'failed to remove route' : 'failed to remove http route';
    return { kind: 'invalid', message: `${prefix} ${what} from virtual service: ${SPEC_HTTP_NOT_FOUND}` };
  }
  const rest = withoutRoute(http, step.name);
  if (step.match == null) {
    return done(
      virtualService,
      orderManagedRoutes(withHttp(virtualService, rest), managedRouteNames(rollout)),
    );
  }
  const weighted = setWeightRoute(entry, rest);
  if ('error' in weighted) {
    return {
      kind: 'invalid',
      message: `${prefix} failed to create mirror route: [createMirrorRoute] failed to get virtual service http route for keeping non-mirror weights set: [getVirtualServiceSetWeightRoute] failed to get routes that need to be patch when set weight is called: ${weighted.error}`,
    };
  }
  const port = weighted.route[0]?.destination?.port;
  const mirror: JsonObject = {
    host: target.host,
    ...(target.subset !== '' && { subset: target.subset }),
    ...(port !== undefined && { port: port.number ? { number: port.number } : {} }),
  };
  const mirrorRoute: JsonObject = {
    name: step.name,
    match: step.match.map((m) => ({
      ...(m.method !== undefined && { method: stringMatch(m.method) }),
      ...(m.path !== undefined && { uri: stringMatch(m.path) }),
      ...(m.headers !== undefined && {
        headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, stringMatch(v)])),
      }),
    })),
    route: copyDestinations(weighted.route),
    mirror,
    mirrorPercentage: { value: step.percentage ?? 100 },
  };
  const next = withHttp(virtualService, [mirrorRoute, ...rest]);
  return done(virtualService, orderManagedRoutes(next, managedRouteNames(rollout)));
}

/** Removes the header and mirror routes of every step and every route listed in managedRoutes. */
export function planRemoveManagedRoutes(rollout: Rollout, virtualService: JsonObject): VirtualServicePlan {
  const http = routesOf(virtualService, 'http');
  if (http === undefined) return { kind: 'unchanged' };
  const names = new Set<string>();
  for (const step of rollout.spec?.strategy?.canary?.steps ?? []) {
    if (step.setHeaderRoute !== undefined) names.add(step.setHeaderRoute.name ?? '');
    if (step.setMirrorRoute !== undefined) names.add(step.setMirrorRoute.name);
  }
  for (const name of managedRouteNames(rollout) ?? []) names.add(name);
  names.delete(''); // an unnamed step route never removes the user's unnamed route
  const kept = http.filter((r) => !names.has(routeName(r)));
  return done(virtualService, withHttp(virtualService, kept));
}
