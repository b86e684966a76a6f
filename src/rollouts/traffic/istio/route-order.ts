/**
 * Argo's orderRoutes: the HTTP routes named in `trafficRouting.managedRoutes` go on top, in the order
 * managedRoutes lists them, above every route the user wrote (kept in their own order). Pure.
 */
import { type JsonObject, routesOf } from './virtual-service.js';

const nameOf = (route: JsonObject): string | undefined =>
  typeof route.name === 'string' ? route.name : undefined;

/** The VirtualService with its `spec.http` ordered; unchanged without managedRoutes or HTTP routes. */
export function orderManagedRoutes(vs: JsonObject, managedNames: readonly string[] | undefined): JsonObject {
  const http = routesOf(vs, 'http');
  if (managedNames === undefined || http === undefined) return vs;
  const managed = new Set(managedNames);
  const top = managedNames.flatMap((name) => http.filter((r) => nameOf(r) === name));
  const rest = http.filter((r) => !managed.has(nameOf(r) ?? ''));
  return { ...vs, spec: { ...(vs.spec as JsonObject), http: [...top, ...rest] } };
}
