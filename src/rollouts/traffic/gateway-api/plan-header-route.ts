/**
 * Header routes on HTTPRoutes and GRPCRoutes (the plugin's `set{HTTP,GRPC}HeaderRoute` and
 * `remove{HTTP,GRPC}ManagedRoutes`). Pure.
 *
 * `setHeaderRoute` with a match adds, for every rule that routes to both the canary and the stable Service,
 * one rule named after the managed route (`<name>`, then `<name>-1`, `<name>-2`, … for the next source
 * rules) that sends requests carrying the headers to the canary only: the source rule's matches (path,
 * query params, method, headers) with the canary headers appended, its filters, and one backendRef (the
 * canary, with the source's canary port). Rules from an earlier call with the same name are replaced, so a
 * repeated call changes nothing. The plugin appends the rules after the existing ones: Gateway API picks
 * the most specific match regardless of order, and the added headers make these the most specific.
 *
 * `setHeaderRoute` without a match, and `removeManagedRoutes`, remove every managed rule: named after any
 * `managedRoutes` entry, or (legacy, unnamed) shaped like one (a single canary backendRef).
 */
import type { SetHeaderRoute } from '../../types.js';
import { GatewayApiMessages } from './errors.js';
import { isManagedRule } from './managed-rules.js';
import type { PlanResult } from './plan-weight.js';
import type { HeaderMatch, RouteMatch, RouteObject, RouteRule } from './route-shapes.js';

export interface HeaderRouteInput {
  readonly kind: 'http' | 'grpc';
  readonly canaryService: string;
  readonly stableService: string;
  readonly managedNames: ReadonlySet<string>;
}

/** Argo's `headerValue` (`exact`, `prefix`, `regex`) as Gateway API header matches. */
export function headerMatches(
  route: SetHeaderRoute,
): { readonly ok: true; readonly headers: HeaderMatch[] } | { readonly ok: false; readonly error: string } {
  const headers: HeaderMatch[] = [];
  for (const m of route.match ?? []) {
    const v = m.headerValue;
    if (v?.exact) headers.push({ type: 'Exact', name: m.headerName, value: v.exact });
    else if (v?.prefix)
      headers.push({ type: 'RegularExpression', name: m.headerName, value: `${v.prefix}.*` });
    else if (v?.regex) headers.push({ type: 'RegularExpression', name: m.headerName, value: v.regex });
    else return { ok: false, error: GatewayApiMessages.invalidHeaderMatchType };
  }
  return { ok: true, headers };
}

export function planSetHeaderRoute(
  route: RouteObject,
  headerRoute: SetHeaderRoute,
  input: HeaderRouteInput,
): PlanResult {
  if (headerRoute.match === undefined) return planRemoveManagedRoutes(route, input);
  const parsed = headerMatches(headerRoute);
  if (!parsed.ok) return parsed;
  const canaryHeaders = parsed.headers;
  const rules = route.spec?.rules ?? [];
  const sources = rules.filter((r) => {
    const refs = r.backendRefs ?? [];
    return (
      refs.length > 0 &&
      refs.some((b) => b.name === input.canaryService) &&
      refs.some((b) => b.name === input.stableService)
    );
  });
  if (sources.length === 0) return { ok: false, error: GatewayApiMessages.backendRefNotFound[input.kind] };
  const managedName = headerRoute.name ?? '';
  const added = sources.map((source, idx) =>
    managedRule(source, idx === 0 ? managedName : `${managedName}-${idx}`, canaryHeaders, input),
  );
  const kept = rules.filter(
    (r) => !isManagedRule(r, new Set([managedName]), input.canaryService, canaryHeaders),
  );
  return withRules(route, [...kept, ...added]);
}

export function planRemoveManagedRoutes(route: RouteObject, input: HeaderRouteInput): PlanResult {
  const rules = route.spec?.rules ?? [];
  const kept = rules.filter((r) => !isManagedRule(r, input.managedNames, input.canaryService));
  if (kept.length === rules.length) return { ok: true, route, changed: false };
  return { ok: true, route: { ...route, spec: { ...route.spec, rules: kept } }, changed: true };
}

function managedRule(
  source: RouteRule,
  name: string,
  canaryHeaders: readonly HeaderMatch[],
  input: HeaderRouteInput,
): RouteRule {
  const canaryRef = (source.backendRefs ?? []).find((b) => b.name === input.canaryService);
  const sourceMatches = source.matches ?? [];
  const matches: RouteMatch[] =
    sourceMatches.length === 0
      ? [{ headers: [...canaryHeaders] }]
      : sourceMatches.map((m) => mergedMatch(m, canaryHeaders, input.kind));
  const filters = source.filters ?? [];
  return {
    name,
    matches,
    ...(filters.length > 0 && { filters: structuredClone(filters) }),
    backendRefs: [
      {
        group: '',
        kind: 'Service',
        name: input.canaryService,
        ...(canaryRef?.port !== undefined && { port: canaryRef.port }),
      },
    ],
  };
}

function mergedMatch(
  m: RouteMatch,
  canaryHeaders: readonly HeaderMatch[],
  kind: 'http' | 'grpc',
): RouteMatch {
  const headers = [...(m.headers ?? []), ...canaryHeaders];
  if (kind === 'grpc') return { ...(m.method !== undefined && { method: m.method }), headers };
  return {
    ...(m.path !== undefined && { path: m.path }),
    headers,
    ...(m.queryParams !== undefined && { queryParams: m.queryParams }),
    ...(m.method !== undefined && { method: m.method }),
  };
}

/**
 * Unchanged when every planned rule is contained in the rule already at its place: the API server adds
 * defaults (`weight: 1`, header `type: Exact`, …) to what was written, and a repeated step must not
 * write again.
 */
function withRules(route: RouteObject, rules: readonly RouteRule[]): PlanResult {
  const current = route.spec?.rules ?? [];
  const changed = rules.length !== current.length || rules.some((r, i) => !isContainedIn(r, current[i]));
  return { ok: true, route: { ...route, spec: { ...route.spec, rules } }, changed };
}

/** `a` is `b`, or `b` with more object keys (arrays match element by element). */
function isContainedIn(a: unknown, b: unknown): boolean {
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => isContainedIn(x, b[i]));
  if (typeof a === 'object' && a !== null) {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
    const rb = b as Record<string, unknown>;
    return Object.entries(a).every(([k, v]) => Object.hasOwn(rb, k) && isContainedIn(v, rb[k]));
  }
  return a === b;
}
