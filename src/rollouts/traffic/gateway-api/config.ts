/**
 * The configuration users write for Argo's Gateway API plugin, read exactly as the plugin reads it
 * (`trafficRouting.plugins["argoproj-labs/gatewayAPI"]`, rollouts-plugin-trafficrouter-gatewayapi
 * `pkg/plugin/types.go` and `getGatewayAPITrafficRoutingConfig`). Pure.
 *
 * - `httpRoute` / `grpcRoute` / `tcpRoute` / `tlsRoute` (one name) take header routes; each is added after
 *   the matching `…Routes` list, whose entries take header routes only with `useHeaderRoutes: true`.
 * - `…RouteSelector` label selectors discover more routes at call time (never with header routes).
 * - `namespace` defaults to the Rollout's namespace.
 * - the in-progress label (`rollouts.argoproj.io/gatewayapi-canary: in-progress`) marks routes while the
 *   canary weight is above 0, unless `disableInProgressLabel`.
 * - `configMap` (the ConfigMap older plugin versions kept managed routes in) is accepted and ignored: since
 *   plugin v0.13 managed rules are recognised by their rule `name`, and so are they here.
 */
import type { MetaLabelSelector } from '../../../kube/index.js';
import type { Rollout } from '../../types.js';
import { GatewayApiMessages } from './errors.js';
import { ROUTE_KIND_ORDER, type RouteKind } from './route-shapes.js';

export const GATEWAY_API_PLUGIN_NAME = 'argoproj-labs/gatewayAPI';
export const GATEWAY_API_TYPE = 'GatewayAPI';
export const DEFAULT_IN_PROGRESS_LABEL = {
  key: 'rollouts.argoproj.io/gatewayapi-canary',
  value: 'in-progress',
};

export interface GatewayApiRouteRef {
  readonly kind: RouteKind;
  readonly name: string;
  readonly useHeaderRoutes: boolean;
}

export interface GatewayApiConfig {
  readonly namespace: string;
  /** Routes named in the configuration, in the order the plugin walks them. */
  readonly routes: readonly GatewayApiRouteRef[];
  /** Label selectors discovering more routes of a kind in `namespace`. */
  readonly selectors: Partial<Readonly<Record<RouteKind, MetaLabelSelector>>>;
  /** The in-progress label, or undefined when `disableInProgressLabel`. */
  readonly inProgressLabel: { readonly key: string; readonly value: string } | undefined;
}

export type GatewayApiConfigResult =
  | { readonly ok: true; readonly config: GatewayApiConfig }
  | { readonly ok: false; readonly errors: readonly string[] };

const KEYS = {
  http: { single: 'httpRoute', list: 'httpRoutes', selector: 'httpRouteSelector', go: 'HTTPRoute' },
  grpc: { single: 'grpcRoute', list: 'grpcRoutes', selector: 'grpcRouteSelector', go: 'GRPCRoute' },
  tcp: { single: 'tcpRoute', list: 'tcpRoutes', selector: 'tcpRouteSelector', go: 'TCPRoute' },
  tls: { single: 'tlsRoute', list: 'tlsRoutes', selector: 'tlsRouteSelector', go: 'TLSRoute' },
} as const;

const GO_TYPE = 'plugin.GatewayAPITrafficRouting';

/** The raw plugin configuration of this Rollout, or undefined when it does not use the plugin. */
export function rawGatewayApiConfig(rollout: Rollout): unknown {
  const plugins = rollout.spec?.strategy?.canary?.trafficRouting?.plugins;
  if (!plugins || !Object.hasOwn(plugins, GATEWAY_API_PLUGIN_NAME)) return undefined;
  return plugins[GATEWAY_API_PLUGIN_NAME];
}

export function usesGatewayApi(rollout: Rollout): boolean {
  const plugins = rollout.spec?.strategy?.canary?.trafficRouting?.plugins;
  return plugins !== undefined && Object.hasOwn(plugins, GATEWAY_API_PLUGIN_NAME);
}

/** Go's encoding/json name for a JSON value's type, as its unmarshal errors print it. */
function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function unmarshalError(value: unknown, field: string | undefined, goType: string): string {
  return field === undefined
    ? `json: cannot unmarshal ${jsonType(value)} into Go value of type ${goType}`
    : `json: cannot unmarshal ${jsonType(value)} into Go struct field ${field} of type ${goType}`;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the plugin configuration (pure). Errors carry the plugin's own messages. */
export function parseGatewayApiConfig(rollout: Rollout): GatewayApiConfigResult {
  // encoding/json leaves the struct empty for a JSON null
  const raw = rawGatewayApiConfig(rollout) ?? {};
  if (!isObject(raw)) return { ok: false, errors: [unmarshalError(raw, undefined, GO_TYPE)] };
  const errors: string[] = [];
  const str = (key: string): string => {
    const v = raw[key];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') {
      errors.push(unmarshalError(v, `GatewayAPITrafficRouting.${key}`, 'string'));
      return '';
    }
    return v;
  };
  const bool = (key: string): boolean => {
    const v = raw[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') {
      errors.push(unmarshalError(v, `GatewayAPITrafficRouting.${key}`, 'bool'));
      return false;
    }
    return v;
  };

  const routes: GatewayApiRouteRef[] = [];
  const selectors: Partial<Record<RouteKind, MetaLabelSelector>> = {};
  for (const kind of ROUTE_KIND_ORDER) {
    const keys = KEYS[kind];
    const list = raw[keys.list];
    if (list !== undefined && list !== null) {
      if (!Array.isArray(list)) {
        errors.push(unmarshalError(list, `GatewayAPITrafficRouting.${keys.list}`, `[]plugin.${keys.go}`));
      } else {
        list.forEach((entry: unknown, i) => {
          if (!isObject(entry)) {
            errors.push(unmarshalError(entry, `GatewayAPITrafficRouting.${keys.list}`, `plugin.${keys.go}`));
            return;
          }
          const name = entry.name ?? '';
          const useHeaderRoutes = entry.useHeaderRoutes ?? false;
          if (typeof name !== 'string') {
            errors.push(unmarshalError(name, `${keys.go}.name`, 'string'));
          } else if (typeof useHeaderRoutes !== 'boolean') {
            errors.push(unmarshalError(useHeaderRoutes, `${keys.go}.useHeaderRoutes`, 'bool'));
          } else if (name === '') {
            // go-playground/validator's message for the `validate:"required"` tag on the name
            errors.push(
              `Key: 'GatewayAPITrafficRouting.${keys.go}s[${i}].Name' Error:Field validation for 'Name' failed on the 'required' tag`,
            );
          } else {
            routes.push({ kind, name, useHeaderRoutes });
          }
        });
      }
    }
    const single = str(keys.single);
    if (single !== '') routes.push({ kind, name: single, useHeaderRoutes: true });
    const selector = raw[keys.selector];
    if (selector !== undefined && selector !== null) {
      if (!isObject(selector)) {
        errors.push(
          unmarshalError(selector, `GatewayAPITrafficRouting.${keys.selector}`, 'v1.LabelSelector'),
        );
      } else {
        selectors[kind] = selector as MetaLabelSelector;
      }
    }
  }
  const namespace = str('namespace') || (rollout.metadata?.namespace ?? '');
  const disableLabel = bool('disableInProgressLabel');
  const labelKey = str('inProgressLabelKey') || DEFAULT_IN_PROGRESS_LABEL.key;
  const labelValue = str('inProgressLabelValue') || DEFAULT_IN_PROGRESS_LABEL.value;
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      namespace,
      routes,
      selectors,
      inProgressLabel: disableLabel ? undefined : { key: labelKey, value: labelValue },
    },
  };
}

/**
 * The configuration problems Argo's plugin would report on its first SetWeight, found without I/O:
 * unreadable fields, unnamed routes, and no route at all (when no selector could discover one).
 */
export function validateGatewayApiConfig(rollout: Rollout): readonly string[] {
  if (!usesGatewayApi(rollout)) return [];
  const parsed = parseGatewayApiConfig(rollout);
  if (!parsed.ok) return parsed.errors;
  const { routes, selectors } = parsed.config;
  if (routes.length === 0 && Object.keys(selectors).length === 0) return [GatewayApiMessages.noRoutes];
  return [];
}
