/**
 * Reading an Istio VirtualService the way Argo Rollouts does (rollout/trafficrouting/istio): which
 * VirtualServices a Rollout names, which HTTP / TLS / TCP routes carry its split, and whether those
 * routes point at the canary and stable destinations. Pure; the VirtualService is raw JSON.
 */
import type { IstioVirtualService, Rollout } from '../../types.js';

export const ISTIO_API_VERSION = 'networking.istio.io/v1alpha3';
export const VIRTUAL_SERVICE = { apiVersion: ISTIO_API_VERSION, kind: 'VirtualService' } as const;
export const DESTINATION_RULE = { apiVersion: ISTIO_API_VERSION, kind: 'DestinationRule' } as const;

/** Argo's error when a header or mirror route is asked of a VirtualService without `spec.http`. */
export const SPEC_HTTP_NOT_FOUND = 'spec.http not found';

export type JsonObject = Record<string, unknown>;

export interface RouteDestination {
  readonly destination?: {
    readonly host?: string;
    readonly subset?: string;
    readonly port?: { readonly number?: number };
  };
  readonly weight?: number;
}

/** An HTTP, TLS or TCP route: only the fields read here; everything else is carried through. */
export interface VirtualServiceRoute {
  readonly name?: string;
  readonly match?: readonly {
    readonly port?: number;
    readonly sniHosts?: readonly string[];
  }[];
  readonly route?: readonly RouteDestination[];
  readonly mirror?: unknown;
}

export type RouteKind = 'http' | 'tls' | 'tcp';

/** The Rollout's VirtualService entries: `virtualServices` when set, else the single `virtualService`. */
export function virtualServicesOf(rollout: Rollout): readonly IstioVirtualService[] {
  const istio = rollout.spec?.strategy?.canary?.trafficRouting?.istio;
  if (istio?.virtualServices !== undefined) return istio.virtualServices;
  return istio?.virtualService === undefined ? [] : [istio.virtualService];
}

/**
 * Istio's `name.namespace` shorthand (an optional `.cluster.local` suffix is dropped): the last dot
 * separates the namespace, so names with dots keep them. No namespace means the Rollout's.
 */
export function virtualServiceRef(
  name: string,
  rolloutNamespace: string,
): { readonly namespace: string; readonly name: string } {
  const fields = name.replace(/\.cluster\.local$/, '').split('.');
  if (fields.length >= 2) {
    return { name: fields.slice(0, -1).join('.'), namespace: fields[fields.length - 1] ?? '' };
  }
  return { name: fields[0] ?? '', namespace: rolloutNamespace };
}

/** `[stableService, canaryService]` (Argo's GetStableAndCanaryServices without ping-pong). */
export function stableAndCanaryServices(rollout: Rollout): readonly [stable: string, canary: string] {
  const canary = rollout.spec?.strategy?.canary;
  return [canary?.stableService ?? '', canary?.canaryService ?? ''];
}

/** A destination's short host: the part before the first dot (`web.prod.svc.cluster.local` → `web`). */
export function hostOf(destination: RouteDestination): string {
  const host = destination.destination?.host ?? '';
  const dot = host.indexOf('.');
  if (dot > 0) return host.slice(0, dot);
  return dot < 0 ? host : '';
}

/** `spec.http` / `spec.tls` / `spec.tcp` when present as a list, else undefined. */
export function routesOf(vs: JsonObject, kind: RouteKind): JsonObject[] | undefined {
  const spec = vs.spec as JsonObject | undefined;
  const routes = spec?.[kind];
  if (!Array.isArray(routes)) return undefined;
  return routes.map((r) => (typeof r === 'object' && r !== null ? (r as JsonObject) : {}));
}

/** Argo's getHttpRouteIndexesToPatch: the named routes, or the single / first unnamed one. */
export function httpRouteIndexes(
  routeNames: readonly string[],
  routes: readonly VirtualServiceRoute[],
): { readonly indexes: number[] } | { readonly error: string } {
  if (routeNames.length === 0) {
    if (routes.length === 1) return { indexes: [0] };
    const unnamed = routes.findIndex((r) => (r.name ?? '') === '');
    if (unnamed >= 0) return { indexes: [unnamed] };
  }
  const indexes: number[] = [];
  for (const name of routeNames) {
    const index = routes.findIndex((r) => (r.name ?? '') === name);
    if (index < 0) return { error: `HTTP Route '${name}' is not found in the defined Virtual Service.` };
    indexes.push(index);
  }
  return { indexes };
}

/** The one port a route's matches name (0 when none), or undefined when they name several. */
function singlePort(route: VirtualServiceRoute): number | undefined {
  const ports = new Set((route.match ?? []).map((m) => m.port ?? 0));
  if (ports.size > 1) return undefined;
  return [...ports][0] ?? 0;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
};

/** Argo's getTlsRouteIndexesToPatch: routes matching each `{port, sniHosts}`; route 0 when none given. */
export function tlsRouteIndexes(
  selectors: readonly { readonly port?: number; readonly sniHosts?: readonly string[] }[],
  routes: readonly VirtualServiceRoute[],
): { readonly indexes: number[] } | { readonly error: string } {
  if (selectors.length === 0) return { indexes: [0] };
  const indexes: number[] = [];
  for (const selector of selectors) {
    const found = routes.flatMap((route, i) => {
      const port = singlePort(route);
      const sniHosts = (route.match ?? []).flatMap((m) => m.sniHosts ?? []);
      return port !== undefined && port === (selector.port ?? 0) && sameSet(selector.sniHosts ?? [], sniHosts)
        ? [i]
        : [];
    });
    if (found.length === 0) return { error: 'No matching TLS routes found in the defined Virtual Service.' };
    indexes.push(...found);
  }
  return { indexes };
}

/** Argo's getTcpRouteIndexesToPatch: routes matching each `{port}`; route 0 when none given. */
export function tcpRouteIndexes(
  selectors: readonly { readonly port?: number }[],
  routes: readonly VirtualServiceRoute[],
): { readonly indexes: number[] } | { readonly error: string } {
  if (selectors.length === 0) return { indexes: [0] };
  const indexes: number[] = [];
  for (const selector of selectors) {
    const found = routes.flatMap((route, i) => (singlePort(route) === (selector.port ?? 0) ? [i] : []));
    if (found.length === 0) return { error: 'No matching TCP routes found in the defined Virtual Service.' };
    indexes.push(...found);
  }
  return { indexes };
}

/** Argo's validateVirtualServiceRouteDestinations: the route reaches both canary and stable. */
export function destinationsError(
  rollout: Rollout,
  destinations: readonly RouteDestination[],
): string | undefined {
  const [stableSvc, canarySvc] = stableAndCanaryServices(rollout);
  const rule = rollout.spec?.strategy?.canary?.trafficRouting?.istio?.destinationRule;
  const has = (test: (d: RouteDestination) => boolean) => destinations.some(test);
  if (rule !== undefined) {
    const subset = (name: string) => has((d) => name !== '' && d.destination?.subset === name);
    if (!subset(rule.canarySubsetName)) {
      return `Canary DestinationRule subset '${rule.canarySubsetName}' not found in route`;
    }
    if (!subset(rule.stableSubsetName)) {
      return `Stable DestinationRule subset '${rule.stableSubsetName}' not found in route`;
    }
    return undefined;
  }
  if (!has((d) => canarySvc !== '' && hostOf(d) === canarySvc))
    return `Canary Service '${canarySvc}' not found in route`;
  if (!has((d) => stableSvc !== '' && hostOf(d) === stableSvc))
    return `Stable Service '${stableSvc}' not found in route`;
  return undefined;
}

/** Names of `trafficRouting.managedRoutes`, in order. */
export function managedRouteNames(rollout: Rollout): readonly string[] | undefined {
  return rollout.spec?.strategy?.canary?.trafficRouting?.managedRoutes?.map((r) => r.name);
}

/**
 * Argo's ValidateHTTPRoutes / ValidateTlsRoutes / ValidateTcpRoutes for one kind of route of one
 * VirtualService entry: the error message, or undefined when the kind is absent or fits the split.
 */
export function routeKindError(
  rollout: Rollout,
  entry: IstioVirtualService,
  vs: JsonObject,
  kind: RouteKind,
): string | undefined {
  const routes = routesOf(vs, kind) as VirtualServiceRoute[] | undefined;
  if (routes === undefined) return undefined;
  const selectors = kind === 'tls' ? (entry.tlsRoutes ?? []) : kind === 'tcp' ? (entry.tcpRoutes ?? []) : [];
  const found =
    kind === 'http'
      ? httpRouteIndexes(entry.routes ?? [], routes)
      : kind === 'tls'
        ? tlsRouteIndexes(selectors, routes)
        : tcpRouteIndexes(selectors, routes);
  if ('error' in found) return found.error;
  for (const route of found.indexes.flatMap((i) => routes[i] ?? [])) {
    const error = destinationsError(rollout, route.route ?? []);
    if (error !== undefined) return error;
  }
  if (kind === 'http') {
    const managed = new Set(managedRouteNames(rollout) ?? []);
    const unmanaged = routes.filter((r) => !managed.has(r.name ?? ''));
    if ((entry.routes ?? []).length === 0 && unmanaged.length > 1) {
      return 'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes';
    }
  } else if (selectors.length === 0 && routes.length > 1) {
    const field = kind === 'tls' ? 'tlsRoutes' : 'tcpRoutes';
    return `spec.${kind}[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.${field}`;
  }
  return undefined;
}

/** The first route error of the VirtualService (HTTP, then TLS, then TCP), as Argo's reconcile reports it. */
export function routesError(
  rollout: Rollout,
  entry: IstioVirtualService,
  vs: JsonObject,
): string | undefined {
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    const error = routeKindError(rollout, entry, vs, kind);
    if (error !== undefined) return error;
  }
  return undefined;
}
