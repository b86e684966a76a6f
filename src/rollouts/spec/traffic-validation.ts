/**
 * The traffic-routing part of Argo Rollouts' spec validation (pkg/apis/rollouts/validation:
 * validation.go's canary checks and the router configuration checks the controller makes before it
 * reads referenced objects). Messages are Argo v1.10's; a bad value is printed the way Kubernetes'
 * field errors print it (Go's JSON of the struct, fields in Go's order).
 */
import type {
  CanaryStep,
  CanaryStrategy,
  RolloutTrafficRouting,
  SetHeaderRoute,
  SetMirrorRoute,
  StringMatch,
} from '../types.js';
import {
  internalError,
  invalidAt,
  type Paths,
  requiredAt,
  type ValidationError,
} from './validation-error.js';

export const TrafficValidationMessage = {
  InvalidSetHeaderRouteTrafficPolicy:
    'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
  InvalidSetMirrorRouteTrafficPolicy: 'SetMirrorRoute requires TrafficRouting, supports Istio and Plugins',
  InvalidStringMatchMultipleValuePolicy:
    'StringMatch match value must have exactly one of the following: exact, regex, prefix',
  InvalidStringMatchMissedValuePolicy:
    'StringMatch value missed, match value must have one of the following: exact, regex, prefix',
  InvalidSetHeaderRouteALBValuePolicy: "SetHeaderRoute match value invalid. ALB supports 'exact' value only",
  MissingManagedRoutes: "Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'",
  StepRouteNotInManagedRoutes:
    'Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes',
  InvalidExperimentWeightWithoutTrafficRouting:
    'Experiment template weight cannot be set unless TrafficRouting is enabled',
  InvalidExperimentWeightRouter:
    'Experiment template weight is only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time',
  InvalidPingPongProvided: 'Ping service and Pong service must to be set to use Ping-Pong feature',
  DuplicatedPingPongServices:
    'This rollout uses the same service for the ping and pong services, but two different services are required.',
  MissedAlbRootService:
    'Root service field is required for the configuration with ALB and ping-pong feature enabled',
  PingPongWithRouterOnly:
    'Ping-pong feature works with the ALB, Istio, and plugin-based traffic routers only',
  NginxBothIngresses: 'Either StableIngress or StableIngresses must be configured. Both are configured.',
  NginxNoIngress: 'Either StableIngress or StableIngresses must be configured. Neither are configured.',
  AlbBothIngresses: 'Either Ingress or Ingresses must be configured. Both are configured.',
  AlbNoIngress: 'Either Ingress or Ingresses must be configured. Neither are configured.',
  IstioVirtualServices: 'either VirtualService or VirtualServices must be configured',
} as const;

type CanaryWithPingPong = CanaryStrategy & {
  readonly pingPong?: { readonly pingService?: string; readonly pongService?: string };
};
type Routing = RolloutTrafficRouting & {
  readonly alb?: { readonly rootService?: string; readonly ingress?: string; readonly ingresses?: unknown };
};
type At = (path: string) => Paths;

const hasPlugins = (tr: Routing): boolean => Object.keys(tr.plugins ?? {}).length > 0;

// ---- Go's JSON of the values Argo reports (struct field order, omitempty) --------------------

const stringMatchJson = (m: StringMatch | undefined | null): unknown =>
  m == null
    ? null
    : {
        ...(m.exact && { exact: m.exact }),
        ...(m.prefix && { prefix: m.prefix }),
        ...(m.regex && { regex: m.regex }),
      };

const headerRouteJson = (r: SetHeaderRoute): string =>
  JSON.stringify({
    ...(r.name && { name: r.name }),
    ...(r.match?.length && {
      match: r.match.map((m) => ({
        headerName: m.headerName ?? '',
        headerValue: stringMatchJson(m.headerValue),
      })),
    }),
  });

const mirrorRouteJson = (r: SetMirrorRoute): string =>
  JSON.stringify({
    name: r.name ?? '',
    ...(r.match?.length && {
      match: r.match.map((m) => ({
        ...(m.method && { method: stringMatchJson(m.method) }),
        ...(m.path && { path: stringMatchJson(m.path) }),
        ...(m.headers &&
          Object.keys(m.headers).length > 0 && {
            headers: Object.fromEntries(
              Object.keys(m.headers)
                .sort()
                .map((k) => [k, stringMatchJson(m.headers?.[k])]),
            ),
          }),
      })),
    }),
    ...(r.percentage !== undefined && { percentage: r.percentage }),
  });

// ---- checks ----------------------------------------------------------------------------------

/** Argo's `requireCanaryStableServices`. */
export function requiresCanaryStableServices(canary: CanaryWithPingPong): boolean {
  const tr = canary.trafficRouting as Routing | undefined;
  if (tr === undefined) return false;
  if (tr.alb !== undefined && canary.pingPong === undefined) return true;
  if (tr.istio !== undefined && tr.istio.destinationRule === undefined && canary.pingPong === undefined)
    return true;
  return ['smi', 'apisix', 'ambassador', 'nginx', 'appMesh', 'traefik'].some(
    (router) => tr[router as keyof Routing] !== undefined,
  );
}

/** Argo's ping-pong checks (they come right after the duplicated-services check). */
export function validatePingPong(canary: CanaryWithPingPong, at: At): ValidationError[] {
  const pingPong = canary.pingPong;
  if (pingPong === undefined) return [];
  const errors: ValidationError[] = [];
  const tr = canary.trafficRouting as Routing | undefined;
  const M = TrafficValidationMessage;
  if (tr !== undefined && tr.alb === undefined && tr.istio === undefined && !hasPlugins(tr)) {
    errors.push(invalidAt(at('trafficRouting.alb'), null, M.PingPongWithRouterOnly));
  }
  const ping = pingPong.pingService ?? '';
  const pong = pingPong.pongService ?? '';
  if (ping === '') errors.push(invalidAt(at('pingPong.pingService'), ping, M.InvalidPingPongProvided));
  if (pong === '') errors.push(invalidAt(at('pingPong.pongService'), pong, M.InvalidPingPongProvided));
  if (ping === pong) errors.push(invalidAt(at('pingPong.pingService'), ping, M.DuplicatedPingPongServices));
  if (tr?.alb !== undefined && !tr.alb.rootService) {
    errors.push(invalidAt(at('trafficRouting.alb.rootService'), '', M.MissedAlbRootService));
  }
  return errors;
}

function matchValueErrors(match: StringMatch | undefined | null, paths: Paths, albOnly: boolean) {
  const M = TrafficValidationMessage;
  const json = JSON.stringify(stringMatchJson(match));
  if (match == null) return [invalidAt(paths, null, M.InvalidStringMatchMissedValuePolicy, 'null')];
  if (albOnly) {
    return !match.exact || match.regex || match.prefix
      ? [invalidAt(paths, match, M.InvalidSetHeaderRouteALBValuePolicy, json)]
      : [];
  }
  const set = [match.exact, match.regex, match.prefix].filter((v) => v !== undefined && v !== '').length;
  if (set > 1) return [invalidAt(paths, match, M.InvalidStringMatchMultipleValuePolicy, json)];
  if (set === 0) return [invalidAt(paths, match, M.InvalidStringMatchMissedValuePolicy, json)];
  return [];
}

/** The traffic checks of one step, in Argo's order (after setWeight, pause and setCanaryScale). */
export function validateStepTraffic(
  step: CanaryStep,
  tr: Routing | undefined,
  stepPaths: Paths,
): ValidationError[] {
  const M = TrafficValidationMessage;
  const errors: ValidationError[] = [];
  const sub = (name: string): Paths => [`${stepPaths[0]}.${name}`, `${stepPaths[1]}.${name}`];
  const header = step.setHeaderRoute;
  if (header != null) {
    if (
      tr === undefined ||
      (tr.istio === undefined && tr.alb === undefined && tr.apisix === undefined && !hasPlugins(tr))
    ) {
      errors.push(
        invalidAt(
          sub('setHeaderRoute'),
          header,
          M.InvalidSetHeaderRouteTrafficPolicy,
          headerRouteJson(header),
        ),
      );
    } else {
      (header.match ?? []).forEach((match, j) => {
        errors.push(
          ...matchValueErrors(match.headerValue, sub(`setHeaderRoute.match[${j}]`), tr.alb !== undefined),
        );
      });
    }
  }
  const mirror = step.setMirrorRoute;
  if (mirror != null) {
    if (tr === undefined || (tr.istio === undefined && !hasPlugins(tr))) {
      errors.push(
        invalidAt(
          sub('setMirrorRoute'),
          mirror,
          M.InvalidSetMirrorRouteTrafficPolicy,
          mirrorRouteJson(mirror),
        ),
      );
    }
    (mirror.match ?? []).forEach((match, j) => {
      const paths = sub(`setMirrorRoute.match[${j}]`);
      // Argo checks the method twice (and never the headers).
      if (match.method != null) errors.push(...matchValueErrors(match.method, paths, false));
      if (match.path != null) errors.push(...matchValueErrors(match.path, paths, false));
      if (match.method != null) errors.push(...matchValueErrors(match.method, paths, false));
    });
  }
  if (tr !== undefined && (header != null || mirror != null) && tr.managedRoutes == null) {
    const canaryPaths: Paths = [
      'spec.strategy.canary.trafficRouting.managedRoutes',
      'spec.strategy.trafficRouting.managedRoutes',
    ];
    errors.push(requiredAt(canaryPaths, M.MissingManagedRoutes));
  }
  if (tr?.managedRoutes != null) {
    const names = tr.managedRoutes.map((r) => r.name);
    if (header != null && !names.includes(header.name ?? '')) {
      errors.push(invalidAt(sub('setHeaderRoute'), header.name ?? '', M.StepRouteNotInManagedRoutes));
    }
    if (mirror != null && !names.includes(mirror.name ?? '')) {
      errors.push(invalidAt(sub('setMirrorRoute'), mirror.name ?? '', M.StepRouteNotInManagedRoutes));
    }
  }
  const templates =
    (step.experiment as { templates?: readonly { weight?: number }[] } | undefined)?.templates ?? [];
  templates.forEach((template, k) => {
    if (template.weight == null) return;
    const paths = sub(`experiment.templates[${k}].weight`);
    if (tr === undefined) {
      errors.push(invalidAt(paths, template.weight, M.InvalidExperimentWeightWithoutTrafficRouting));
    } else if (tr.alb === undefined && tr.smi === undefined && tr.istio === undefined && !hasPlugins(tr)) {
      errors.push(invalidAt(paths, template.weight, M.InvalidExperimentWeightRouter));
    }
  });
  return errors;
}

/**
 * The router configuration checks Argo's controller makes before reading the referenced Ingresses
 * and VirtualServices (validation_references.go): the first problem, as an internal error.
 */
export function routerConfigError(canary: CanaryStrategy): ValidationError | undefined {
  const tr = canary.trafficRouting as Routing | undefined;
  if (tr === undefined) return undefined;
  const M = TrafficValidationMessage;
  const base = 'spec.strategy.canary.trafficRouting';
  if (tr.nginx != null) {
    const many = tr.nginx.stableIngresses != null;
    const one = (tr.nginx.stableIngress ?? '') !== '';
    if (many && one) return internalError(`${base}.nginx`, M.NginxBothIngresses);
    if (!many && !one) return internalError(`${base}.nginx`, M.NginxNoIngress);
  }
  if (tr.alb != null) {
    const many = tr.alb.ingresses != null;
    const one = (tr.alb.ingress ?? '') !== '';
    if (many && one) return internalError(`${base}.alb`, M.AlbBothIngresses);
    if (!many && !one) return internalError(`${base}.alb`, M.AlbNoIngress);
  }
  if (tr.istio != null) {
    const many = tr.istio.virtualServices != null;
    if (many === (tr.istio.virtualService != null))
      return internalError(`${base}.istio`, M.IstioVirtualServices);
  }
  return undefined;
}
