/**
 * The VirtualService a weight asks for (Argo's reconcileVirtualService / processRoutes): in every route
 * the Rollout names, the canary destination gets `desiredWeight`, the stable one the rest of 100 (less
 * the experiment destinations and the additional subsets), experiment services are added or updated,
 * and any other destination is dropped. Istio has no `maxTrafficWeight`: weights are out of 100. Pure.
 */
import type { IstioVirtualService, Rollout } from '../../types.js';
import type { AdditionalDestination } from '../router.js';
import { orderManagedRoutes } from './route-order.js';
import {
  hostOf,
  httpRouteIndexes,
  type JsonObject,
  managedRouteNames,
  type RouteDestination,
  type RouteKind,
  routesError,
  routesOf,
  stableAndCanaryServices,
  tcpRouteIndexes,
  tlsRouteIndexes,
  type VirtualServiceRoute,
} from './virtual-service.js';

export interface WeightPlanInput {
  readonly rollout: Rollout;
  /** The `virtualService(s)` entry this VirtualService answers to. */
  readonly entry: IstioVirtualService;
  readonly virtualService: JsonObject;
  readonly desiredWeight: number;
  readonly additional: readonly AdditionalDestination[];
}

export type VirtualServicePlan =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'update'; readonly virtualService: JsonObject }
  | { readonly kind: 'invalid'; readonly message: string };

interface SplitTargets {
  readonly canarySvc: string;
  readonly stableSvc: string;
  readonly canarySubset: string;
  readonly stableSubset: string;
  readonly additionalSubsets: readonly string[];
}

/** The destinations of one route after the split; `changed` when any weight or destination differs. */
export function splitRoute(
  destinations: readonly JsonObject[],
  desiredWeight: number,
  targets: SplitTargets,
  additional: readonly AdditionalDestination[],
): { readonly destinations: JsonObject[]; readonly changed: boolean } {
  const experiments = new Map(additional.map((d) => [d.serviceName, d]));
  const isAdditionalSubset = (subset: string) => subset !== '' && targets.additionalSubsets.includes(subset);
  let stableWeight = 100 - desiredWeight - additional.reduce((n, d) => n + d.weight, 0);
  for (const d of destinations as readonly RouteDestination[]) {
    if (isAdditionalSubset(d.destination?.subset ?? '')) stableWeight -= d.weight ?? 0;
  }
  stableWeight = Math.max(0, stableWeight);

  let changed = false;
  const out: JsonObject[] = [];
  const withWeight = (d: JsonObject, weight: number) => {
    if (((d as RouteDestination).weight ?? 0) === weight) return d;
    changed = true;
    return { ...d, weight };
  };
  for (const raw of destinations) {
    const d = raw as RouteDestination;
    const host = hostOf(d);
    const subset = d.destination?.subset ?? '';
    if (host === '') {
      out.push(raw);
    } else if (host === targets.canarySvc || (subset !== '' && subset === targets.canarySubset)) {
      out.push(withWeight(raw, desiredWeight));
    } else if (host === targets.stableSvc || (subset !== '' && subset === targets.stableSubset)) {
      out.push(withWeight(raw, stableWeight));
    } else if (experiments.has(host)) {
      out.push(withWeight(raw, experiments.get(host)?.weight ?? 0));
      experiments.delete(host);
    } else if (isAdditionalSubset(subset)) {
      out.push(raw);
    } else if ((d.weight ?? 0) !== 0) {
      changed = true; // dropped: not canary, stable, an experiment or an additional subset
    } else {
      out.push(raw); // Argo only patches weights that differ: a stranger at weight 0 stays
    }
  }
  // New experiment destinations, in a stable order; one at weight 0 is not added (no weight differs).
  for (const host of [...experiments.keys()].sort()) {
    const weight = experiments.get(host)?.weight ?? 0;
    if (weight === 0) continue;
    out.push({ weight, destination: { host } });
    changed = true;
  }
  return { destinations: out, changed };
}

function targetsOf(rollout: Rollout): SplitTargets {
  const [stableSvc, canarySvc] = stableAndCanaryServices(rollout);
  const rule = rollout.spec?.strategy?.canary?.trafficRouting?.istio?.destinationRule;
  return {
    canarySvc,
    stableSvc,
    canarySubset: rule?.canarySubsetName ?? '',
    stableSubset: rule?.stableSubsetName ?? '',
    additionalSubsets: rule?.additionalSubsetNames ?? [],
  };
}

/** Which routes of each kind the split touches (Argo also moves managed mirror routes' weights). */
function indexesToPatch(
  rollout: Rollout,
  entry: IstioVirtualService,
  vs: JsonObject,
): Record<RouteKind, number[]> {
  const http = (routesOf(vs, 'http') ?? []) as VirtualServiceRoute[];
  const managed = managedRouteNames(rollout);
  const names = [...(entry.routes ?? [])];
  if (managed !== undefined) {
    for (const route of http) {
      if (route.mirror === undefined || route.mirror === null) continue;
      for (const name of managed) if (name === route.name) names.push(route.name);
    }
  }
  const pick = (found: { indexes: number[] } | { error: string }) =>
    'indexes' in found ? found.indexes : [];
  return {
    http: pick(httpRouteIndexes(names, http)),
    tls: pick(tlsRouteIndexes(entry.tlsRoutes ?? [], (routesOf(vs, 'tls') ?? []) as VirtualServiceRoute[])),
    tcp: pick(tcpRouteIndexes(entry.tcpRoutes ?? [], (routesOf(vs, 'tcp') ?? []) as VirtualServiceRoute[])),
  };
}

/** The VirtualService with the split applied, routes re-ordered when anything changed. */
export function planVirtualServiceWeights(input: WeightPlanInput): VirtualServicePlan {
  const { rollout, entry, desiredWeight, additional } = input;
  const invalid = routesError(rollout, entry, input.virtualService);
  if (invalid !== undefined) return { kind: 'invalid', message: invalid };

  const vs = structuredClone(input.virtualService);
  const spec = vs.spec as JsonObject;
  const targets = targetsOf(rollout);
  const indexes = indexesToPatch(rollout, entry, input.virtualService);
  let changed = false;
  for (const kind of ['http', 'tls', 'tcp'] as const) {
    const routes = routesOf(vs, kind);
    if (routes === undefined) continue;
    for (const index of indexes[kind]) {
      const route = routes[index];
      if (route === undefined) break;
      const destinations = Array.isArray(route.route) ? (route.route as JsonObject[]) : [];
      const split = splitRoute(destinations, desiredWeight, targets, additional);
      if (!split.changed) continue;
      changed = true;
      routes[index] = { ...route, route: split.destinations };
    }
    spec[kind] = routes;
  }
  if (!changed) return { kind: 'unchanged' };
  return { kind: 'update', virtualService: orderManagedRoutes(vs, managedRouteNames(rollout)) };
}
