/**
 * The Gateway API router: Argo's `argoproj-labs/gatewayAPI` plugin run natively. Thin I/O around the pure
 * plans: read each route, plan, write it back with optimistic concurrency (retried on conflict, like the
 * plugin's RetryOnConflict), only when the plan changes something.
 *
 * As the plugin: `updateHash` and `setMirrorRoute` do nothing (Gateway API routes name Services, not pod
 * hashes, and the plugin has no mirror routes). Unlike the plugin, which always answers "verified",
 * `verifyWeight` reads the routes back and answers whether the weights are in place.
 */

import { hasErrorCode } from '../../../errors/index.js';
import { formatMetaLabelSelector, isConflict, KubeErrorCode, type KubeObject } from '../../../kube/index.js';
import type { Rollout, SetHeaderRoute, SetMirrorRoute } from '../../types.js';
import type { AdditionalDestination, TrafficRouter, TrafficRouterContext } from '../router.js';
import {
  GATEWAY_API_TYPE,
  type GatewayApiConfig,
  type GatewayApiRouteRef,
  parseGatewayApiConfig,
} from './config.js';
import { GatewayApiError, GatewayApiMessages, type GatewayApiOperation, operationError } from './errors.js';
import { managedRouteNames } from './managed-rules.js';
import type { ServicePort } from './plan-experiment.js';
import { planRemoveManagedRoutes, planSetHeaderRoute } from './plan-header-route.js';
import { type PlanResult, planWeight, type WeightInput } from './plan-weight.js';
import {
  ROUTE_KIND_ORDER,
  ROUTE_KINDS,
  type RouteKind,
  type RouteObject,
  supportsHeaderRoutes,
} from './route-shapes.js';

const CONFLICT_ATTEMPTS = 5;

export class GatewayApiRouter implements TrafficRouter {
  readonly type = GATEWAY_API_TYPE;
  private readonly rollout: Rollout;
  /** The API version each route kind was found under (see ROUTE_KINDS.apiVersions). */
  private readonly servedVersion = new Map<RouteKind, string>();

  constructor(private readonly ctx: TrafficRouterContext) {
    this.rollout = ctx.rollout;
  }

  async updateHash(
    _canaryHash: string | undefined,
    _stableHash: string | undefined,
    _additional: readonly AdditionalDestination[],
  ): Promise<void> {}

  async setMirrorRoute(_route: SetMirrorRoute): Promise<void> {}

  async setWeight(desiredWeight: number, additional: readonly AdditionalDestination[]): Promise<void> {
    await this.run('set weight', async (config) => {
      const routes = await this.resolveRoutes(config);
      if (routes.length === 0) throw new GatewayApiError(GatewayApiMessages.noRoutes);
      for (const ref of routes) {
        const input = await this.weightInput(ref, desiredWeight, additional, config);
        await this.mutate(ref, config, (route) => planWeight(route, input));
      }
    });
  }

  async verifyWeight(desiredWeight: number, additional: readonly AdditionalDestination[]): Promise<boolean> {
    return this.run('verify weight', async (config) => {
      const routes = await this.resolveRoutes(config);
      if (routes.length === 0) return false;
      for (const ref of routes) {
        const input = await this.weightInput(ref, desiredWeight, additional, config);
        const route = await this.read(ref, config);
        const plan = planWeight(route, { ...input, inProgressLabel: undefined });
        if (!plan.ok || plan.changed) return false;
      }
      return true;
    });
  }

  async setHeaderRoute(headerRoute: SetHeaderRoute): Promise<void> {
    await this.run('set header route', async (config) => {
      for (const ref of await this.resolveRoutes(config)) {
        const { kind } = ref;
        if (!ref.useHeaderRoutes || !supportsHeaderRoutes(kind)) continue;
        const input = this.headerInput(kind);
        await this.mutate(ref, config, (route) => planSetHeaderRoute(route, headerRoute, input));
      }
    });
  }

  async removeManagedRoutes(): Promise<void> {
    await this.run('remove managed routes', async (config) => {
      for (const ref of await this.resolveRoutes(config)) {
        const { kind } = ref;
        if (!ref.useHeaderRoutes || !supportsHeaderRoutes(kind)) continue;
        const input = this.headerInput(kind);
        await this.mutate(ref, config, (route) => planRemoveManagedRoutes(route, input));
      }
    });
  }

  private async run<T>(
    operation: GatewayApiOperation,
    body: (config: GatewayApiConfig) => Promise<T>,
  ): Promise<T> {
    try {
      const parsed = parseGatewayApiConfig(this.rollout);
      if (!parsed.ok) throw new GatewayApiError(parsed.errors.join('; '));
      return await body(parsed.config);
    } catch (err) {
      throw operationError(operation, err);
    }
  }

  private get canary(): { canaryService: string; stableService: string } {
    const c = this.rollout.spec?.strategy?.canary;
    return { canaryService: c?.canaryService ?? '', stableService: c?.stableService ?? '' };
  }

  private get managedNames(): ReadonlySet<string> {
    return managedRouteNames(this.rollout.spec?.strategy?.canary?.trafficRouting?.managedRoutes);
  }

  private headerInput(kind: 'http' | 'grpc') {
    return { kind, ...this.canary, managedNames: this.managedNames };
  }

  /** The configured routes, then those the selectors discover, kind by kind (HTTP, GRPC, TCP, TLS). */
  private async resolveRoutes(config: GatewayApiConfig): Promise<GatewayApiRouteRef[]> {
    const out: GatewayApiRouteRef[] = [];
    for (const kind of ROUTE_KIND_ORDER) {
      out.push(...config.routes.filter((r) => r.kind === kind));
      const selector = config.selectors[kind];
      if (selector === undefined) continue;
      const list = await this.withServedVersion(kind, (apiVersion) =>
        this.ctx.client.list(
          { apiVersion, kind: ROUTE_KINDS[kind].kind },
          {
            namespace: config.namespace,
            labelSelector: formatMetaLabelSelector(selector),
            signal: this.ctx.signal,
          },
        ),
      );
      for (const item of list.items) {
        if (item.metadata.name) out.push({ kind, name: item.metadata.name, useHeaderRoutes: false });
      }
    }
    return out;
  }

  private async weightInput(
    ref: GatewayApiRouteRef,
    desiredWeight: number,
    additional: readonly AdditionalDestination[],
    config: GatewayApiConfig,
  ): Promise<WeightInput> {
    const base: WeightInput = {
      kind: ref.kind,
      ...this.canary,
      desiredWeight,
      maxWeight: this.rollout.spec?.strategy?.canary?.trafficRouting?.maxTrafficWeight ?? 100,
      managedNames: this.managedNames,
      inProgressLabel: config.inProgressLabel,
    };
    if (ref.kind !== 'http') return base;
    const status = this.rollout.status?.canary;
    const isExperimentActive = (status?.currentExperiment ?? '') !== '';
    return {
      ...base,
      experiment: {
        namespace: this.rollout.metadata?.namespace ?? '',
        isExperimentActive,
        previousServices: (status?.weights?.additional ?? []).flatMap((d) =>
          d.serviceName ? [d.serviceName] : [],
        ),
        additional,
        servicePorts: isExperimentActive ? await this.servicePorts(additional) : {},
      },
    };
  }

  /** The ports of the additional destinations' Services (a Service that cannot be read is left out). */
  private async servicePorts(
    additional: readonly AdditionalDestination[],
  ): Promise<Record<string, readonly ServicePort[]>> {
    const out: Record<string, readonly ServicePort[]> = {};
    for (const d of additional) {
      try {
        const svc = await this.ctx.client.get<KubeObject & { spec?: { ports?: ServicePort[] } }>(
          {
            apiVersion: 'v1',
            kind: 'Service',
            namespace: this.rollout.metadata?.namespace,
            name: d.serviceName,
          },
          { signal: this.ctx.signal },
        );
        out[d.serviceName] = (svc.spec?.ports ?? []).map((p) => ({
          ...(p.name !== undefined && { name: p.name }),
          port: p.port,
        }));
      } catch {
        // the plugin logs and skips a destination whose Service it cannot read
      }
    }
    return out;
  }

  private read(ref: GatewayApiRouteRef, config: GatewayApiConfig): Promise<RouteObject & KubeObject> {
    return this.withServedVersion(ref.kind, (apiVersion) =>
      this.ctx.client.get<RouteObject & KubeObject>(
        { apiVersion, kind: ROUTE_KINDS[ref.kind].kind, namespace: config.namespace, name: ref.name },
        { signal: this.ctx.signal },
      ),
    );
  }

  /** Runs `call` with the first API version of the kind the server serves. */
  private async withServedVersion<T>(kind: RouteKind, call: (apiVersion: string) => Promise<T>): Promise<T> {
    const known = this.servedVersion.get(kind);
    if (known !== undefined) return call(known);
    const versions = ROUTE_KINDS[kind].apiVersions;
    for (const [i, apiVersion] of versions.entries()) {
      try {
        const result = await call(apiVersion);
        this.servedVersion.set(kind, apiVersion);
        return result;
      } catch (err) {
        if (!hasErrorCode(err, KubeErrorCode.UnknownKind) || i === versions.length - 1) throw err;
      }
    }
    throw new Error('unreachable: a kind has at least one API version');
  }

  /** Read, plan, write back when changed; a conflicting write reads again (bounded). */
  private async mutate(
    ref: GatewayApiRouteRef,
    config: GatewayApiConfig,
    plan: (route: RouteObject) => PlanResult,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(ref, config);
      const result = plan(current);
      if (!result.ok) throw new GatewayApiError(result.error);
      if (!result.changed) return;
      try {
        const typed = { ...result.route, apiVersion: current.apiVersion, kind: ROUTE_KINDS[ref.kind].kind };
        await this.ctx.client.replace(typed as KubeObject, {
          fieldManager: this.ctx.fieldManager,
          signal: this.ctx.signal,
        });
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= CONFLICT_ATTEMPTS) throw err;
      }
    }
  }
}
