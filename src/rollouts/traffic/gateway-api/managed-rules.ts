/**
 * How the plugin recognises the rules it added for header routes (plugin ≥ v0.13, no ConfigMap): by the
 * rule `name` (the managed route's name, or `<name>-<n>` for the n-th source rule), or, for unnamed rules
 * written by older versions, by shape: exactly one backendRef, the canary Service. Pure.
 */
import type { HeaderMatch, RouteRule } from './route-shapes.js';

const INDEX_SUFFIX = /^[+-]?\d+$/;

/** True when `ruleName` is one of `managedNames` or `<managedName>-<integer>`. */
export function isManagedRuleName(ruleName: string, managedNames: ReadonlySet<string>): boolean {
  if (managedNames.has(ruleName)) return true;
  for (const base of managedNames) {
    const prefix = `${base}-`;
    if (ruleName.startsWith(prefix) && INDEX_SUFFIX.test(ruleName.slice(prefix.length))) return true;
  }
  return false;
}

/**
 * The shape of a rule the plugin added: one backendRef, the canary. With `canaryHeaders`, some match must
 * also name every one of those headers (so two managed routes with different headers stay apart).
 */
export function hasManagedRuleShape(
  rule: RouteRule,
  canaryService: string,
  canaryHeaders?: readonly HeaderMatch[],
): boolean {
  const refs = rule.backendRefs ?? [];
  if (refs.length !== 1 || refs[0]?.name !== canaryService) return false;
  if (canaryHeaders === undefined) return true;
  return (rule.matches ?? []).some((m) =>
    canaryHeaders.every((c) => (m.headers ?? []).some((h) => h.name === c.name)),
  );
}

/** A rule the plugin manages: named after a managed route, or (unnamed legacy rules) shaped like one. */
export function isManagedRule(
  rule: RouteRule,
  managedNames: ReadonlySet<string>,
  canaryService: string,
  canaryHeaders?: readonly HeaderMatch[],
): boolean {
  return (
    (rule.name !== undefined && isManagedRuleName(rule.name, managedNames)) ||
    hasManagedRuleShape(rule, canaryService, canaryHeaders)
  );
}

/** `spec.strategy.canary.trafficRouting.managedRoutes[].name`. */
export function managedRouteNames(
  managedRoutes: readonly { readonly name: string }[] | undefined,
): ReadonlySet<string> {
  return new Set((managedRoutes ?? []).map((r) => r.name));
}
