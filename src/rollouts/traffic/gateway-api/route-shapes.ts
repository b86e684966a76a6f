/**
 * Loose raw-JSON shapes of Gateway API routes (gateway.networking.k8s.io), limited to what the router
 * reads. Unknown fields are carried through untouched: plans copy objects and change only what they own.
 */

export interface BackendRef {
  readonly name?: string;
  readonly namespace?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly port?: number;
  readonly weight?: number;
  readonly [key: string]: unknown;
}

export interface HeaderMatch {
  readonly type?: string;
  readonly name: string;
  readonly value: string;
}

/** An HTTPRoute match (`path`, `headers`, `queryParams`, `method`) or a GRPCRoute match (`method`, `headers`). */
export interface RouteMatch {
  readonly path?: unknown;
  readonly headers?: readonly HeaderMatch[];
  readonly queryParams?: unknown;
  readonly method?: unknown;
  readonly [key: string]: unknown;
}

export interface RouteRule {
  readonly name?: string;
  readonly matches?: readonly RouteMatch[];
  readonly filters?: readonly unknown[];
  readonly backendRefs?: readonly BackendRef[];
  readonly [key: string]: unknown;
}

export interface RouteObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly spec?: { readonly rules?: readonly RouteRule[]; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/**
 * The route kinds the plugin drives. `apiVersions` in order of preference: the version the plugin's
 * clientset uses first, then `v1` for TCPRoute / TLSRoute, which the Gateway API standard channel serves
 * alone from v1.5 on.
 */
export const ROUTE_KINDS = {
  http: { kind: 'HTTPRoute', apiVersions: ['gateway.networking.k8s.io/v1'] },
  grpc: { kind: 'GRPCRoute', apiVersions: ['gateway.networking.k8s.io/v1'] },
  tcp: {
    kind: 'TCPRoute',
    apiVersions: ['gateway.networking.k8s.io/v1alpha2', 'gateway.networking.k8s.io/v1'],
  },
  tls: {
    kind: 'TLSRoute',
    apiVersions: ['gateway.networking.k8s.io/v1alpha2', 'gateway.networking.k8s.io/v1'],
  },
} as const;

export type RouteKind = keyof typeof ROUTE_KINDS;

/** The order the plugin walks route kinds in (SetWeight: HTTP, then GRPC, TCP, TLS). */
export const ROUTE_KIND_ORDER: readonly RouteKind[] = ['http', 'grpc', 'tcp', 'tls'];

/** Only HTTPRoutes and GRPCRoutes carry header routes. */
export function supportsHeaderRoutes(kind: RouteKind): kind is 'http' | 'grpc' {
  return kind === 'http' || kind === 'grpc';
}
