/**
 * Argo's checks of the Istio configuration, with its exact messages in Kubernetes' field-error form.
 * `validateIstio` needs only the Rollout; `validateVirtualServiceReferences` is Argo's reference check
 * of the VirtualServices the Rollout names (ValidateVirtualService). Pure.
 */
import type { Rollout } from '../../types.js';
import {
  type JsonObject,
  type RouteKind,
  routeKindError,
  routesOf,
  virtualServiceRef,
} from './virtual-service.js';

const ISTIO_FIELD = 'spec.strategy.canary.trafficRouting.istio';

/** Argo's ValidateRolloutVirtualServicesConfig: exactly one of virtualService / virtualServices. */
export function validateIstio(rollout: Rollout): string[] {
  const istio = rollout.spec?.strategy?.canary?.trafficRouting?.istio;
  if (istio === undefined) return [];
  const single = istio.virtualService !== undefined && istio.virtualService !== null;
  const multiple = istio.virtualServices !== undefined && istio.virtualServices !== null;
  if (single === multiple) {
    return [`${ISTIO_FIELD}: Internal error: either VirtualService or VirtualServices must be configured`];
  }
  return [];
}

const KIND_LABEL: Record<RouteKind, string> = { http: 'HTTP', tls: 'TLS', tcp: 'TCP' };

/**
 * Argo's ValidateVirtualService for each VirtualService object read for the Rollout (matched by name):
 * `spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: "vs": <message>`.
 */
export function validateVirtualServiceReferences(
  rollout: Rollout,
  virtualServices: readonly JsonObject[],
): string[] {
  const istio = rollout.spec?.strategy?.canary?.trafficRouting?.istio;
  if (istio === undefined) {
    return [
      `${ISTIO_FIELD}: Invalid value: ${JSON.stringify(rollout.metadata?.name ?? '')}: Rollout object is not configured with Istio traffic routing`,
    ];
  }
  const multiple = istio.virtualServices !== undefined;
  const field = `${ISTIO_FIELD}.${multiple ? 'virtualServices' : 'virtualService'}.name`;
  const entries = multiple
    ? (istio.virtualServices ?? [])
    : istio.virtualService
      ? [istio.virtualService]
      : [];
  const errors: string[] = [];
  for (const vs of virtualServices) {
    const objectName = (vs.metadata as { name?: string } | undefined)?.name ?? '';
    const entry = entries.find((e) => virtualServiceRef(e.name, '').name === objectName);
    if (entry === undefined) continue;
    const invalid = (message: string) => `${field}: Invalid value: ${JSON.stringify(objectName)}: ${message}`;
    const kinds = (['http', 'tls', 'tcp'] as const).filter((k) => routesOf(vs, k) !== undefined);
    if (kinds.length === 0) {
      errors.push(invalid('Unable to get any of the HTTP, TCP or TLS routes for the Istio VirtualService'));
    }
    for (const kind of kinds) {
      const error = routeKindError(rollout, entry, vs, kind);
      if (error !== undefined) {
        errors.push(invalid(`Istio VirtualService has invalid ${KIND_LABEL[kind]} routes. Error: ${error}`));
      }
    }
  }
  return errors;
}

/**
 * Argo's InvalidSpec message when a VirtualService the Rollout names does not exist
 * (GetReferencedVirtualServices: the API server's NotFound text under the name field).
 */
export function virtualServiceNotFoundMessage(rollout: Rollout, name: string): string {
  const multiple = rollout.spec?.strategy?.canary?.trafficRouting?.istio?.virtualServices !== undefined;
  const field = `${ISTIO_FIELD}.${multiple ? 'virtualServices' : 'virtualService'}.name`;
  const vsName = virtualServiceRef(name, '').name;
  return `${field}: Invalid value: ${JSON.stringify(vsName)}: virtualservices.networking.istio.io ${JSON.stringify(vsName)} not found`;
}
