import { TRAFFIC_ROUTER_ERROR, TrafficRouterError } from '../traffic-router-error.js';

/** The code of every Gateway API router error: the traffic routers share one. */
export const GATEWAY_API_ERROR = TRAFFIC_ROUTER_ERROR;

/**
 * The plugin's messages (rollouts-plugin-trafficrouter-gatewayapi `pkg/plugin/errors.go`), kept verbatim
 * so that status messages and alerts written for the plugin keep matching.
 */
export const GatewayApiMessages = {
  noRoutes:
    "No routes configured. At least one of 'httpRoutes', 'grpcRoutes', 'tcpRoutes', 'tlsRoutes', 'httpRoute', 'grpcRoute', 'tcpRoute' or 'tlsRoute' must be set",
  invalidHeaderMatchType: 'invalid header match type',
  backendRefNotFound: {
    http: 'backendRef was not found in httpRoute',
    grpc: 'backendRef was not found in grpcRoute',
    tcp: 'backendRef list was not found in tcpRoute',
    tls: 'backendRef list was not found in tlsRoute',
  },
} as const;

/** A Gateway API route could not be planned or written; the message is the plugin's. */
export class GatewayApiError extends TrafficRouterError {}

/** Argo's plugin reconciler prefixes every plugin error with the operation (`failed to set weight via plugin: …`). */
export type GatewayApiOperation =
  | 'set weight'
  | 'set header route'
  | 'verify weight'
  | 'remove managed routes'
  | 'set mirror route'
  | 'update hash';

export function operationError(operation: GatewayApiOperation, err: unknown): GatewayApiError {
  const reason = err instanceof Error ? err.message : String(err);
  return new GatewayApiError(`failed to ${operation} via plugin: ${reason}`, { cause: err });
}
