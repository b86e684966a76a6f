import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type PlanResult,
  parseGatewayApiConfig,
  planRemoveManagedRoutes,
  planSetHeaderRoute,
  planWeight,
  type RouteKind,
  type RouteObject,
  validateGatewayApiConfig,
} from '../../../../src/rollouts/traffic/gateway-api/index.js';
import type { Rollout, SetHeaderRoute } from '../../../../src/rollouts/types.js';

const path = fileURLToPath(new URL('../../../golden/rollouts/traffic/gateway-api.json', import.meta.url));

interface Expect {
  readonly error?: string;
  readonly rules?: unknown;
  readonly labels?: Record<string, string> | null;
  readonly ruleNames?: readonly (string | null)[];
  readonly changed?: boolean;
}

interface Step {
  readonly op: 'setWeight' | 'setHeaderRoute' | 'removeManagedRoutes';
  readonly weight?: number;
  readonly additional?: readonly { serviceName: string; weight: number }[];
  readonly headerRoute?: SetHeaderRoute;
  readonly expect?: Expect;
}

interface Label {
  readonly key: string;
  readonly value: string;
}

interface GoldenCase {
  readonly name: string;
  readonly kind: RouteKind;
  readonly managedRoutes: readonly string[];
  readonly route: RouteObject;
  readonly steps: readonly Step[];
  readonly canaryService?: string;
  readonly stableService?: string;
  readonly maxWeight?: number;
  readonly inProgressLabel?: Label | null;
  readonly currentExperiment?: string;
  readonly previousServices?: readonly string[];
  readonly servicePorts?: Record<string, readonly { name?: string; port: number }[]>;
}

interface GoldenConfig {
  readonly name: string;
  readonly namespace: string;
  readonly plugin: unknown;
  readonly expect: { readonly validation?: readonly string[]; readonly [key: string]: unknown };
}

const golden = JSON.parse(readFileSync(path, 'utf8')) as {
  readonly defaults: {
    readonly canaryService: string;
    readonly stableService: string;
    readonly namespace: string;
    readonly maxWeight: number;
    readonly inProgressLabel: Label;
  };
  readonly cases: readonly GoldenCase[];
  readonly configs: readonly GoldenConfig[];
};
const d = golden.defaults;

function apply(c: GoldenCase, route: RouteObject, step: Step): PlanResult {
  const canaryService = c.canaryService ?? d.canaryService;
  const stableService = c.stableService ?? d.stableService;
  const managedNames = new Set(c.managedRoutes);
  switch (step.op) {
    case 'setWeight':
      return planWeight(route, {
        kind: c.kind,
        canaryService,
        stableService,
        desiredWeight: step.weight ?? 0,
        maxWeight: c.maxWeight ?? d.maxWeight,
        managedNames,
        inProgressLabel: c.inProgressLabel === null ? undefined : (c.inProgressLabel ?? d.inProgressLabel),
        experiment: {
          namespace: d.namespace,
          isExperimentActive: (c.currentExperiment ?? '') !== '',
          previousServices: c.previousServices ?? [],
          additional: step.additional ?? [],
          servicePorts: c.servicePorts ?? {},
        },
      });
    case 'setHeaderRoute':
    case 'removeManagedRoutes': {
      assert.ok(c.kind === 'http' || c.kind === 'grpc', 'header routes are HTTP and GRPC only');
      const input = { kind: c.kind, canaryService, stableService, managedNames };
      return step.op === 'setHeaderRoute'
        ? planSetHeaderRoute(route, step.headerRoute ?? {}, input)
        : planRemoveManagedRoutes(route, input);
    }
  }
}

describe('gateway-api.json: the plugin planners', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      let route = structuredClone(c.route);
      c.steps.forEach((step, i) => {
        const at = `step ${i} (${step.op})`;
        const result = apply(c, route, step);
        const e = step.expect;
        if (e?.error !== undefined) {
          assert.equal(result.ok, false, `${at}: expected an error`);
          if (!result.ok) assert.equal(result.error, e.error, at);
          return;
        }
        assert.ok(result.ok, `${at}: ${result.ok ? '' : result.error}`);
        if (!result.ok) return;
        if (e?.changed !== undefined) assert.equal(result.changed, e.changed, `${at}: changed`);
        route = result.route;
        if (e?.rules !== undefined) assert.deepEqual(route.spec?.rules, e.rules, `${at}: rules`);
        if (e?.ruleNames !== undefined)
          assert.deepEqual(
            (route.spec?.rules ?? []).map((r) => r.name ?? null),
            e.ruleNames,
            `${at}: rule names`,
          );
        if (e?.labels === null) assert.equal(route.metadata.labels, undefined, `${at}: no labels`);
        else if (e?.labels !== undefined)
          assert.deepEqual(route.metadata.labels ?? {}, e.labels, `${at}: labels`);
      });
      // the planners never change their input
      assert.deepEqual(c.route, JSON.parse(JSON.stringify(c.route)));
    });
  }
});

describe('gateway-api.json: the plugin configuration', () => {
  for (const c of golden.configs) {
    it(c.name, () => {
      const rollout: Rollout = {
        metadata: { name: 'web', namespace: c.namespace },
        spec: {
          strategy: {
            canary: { trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': c.plugin } } },
          },
        },
      };
      if (c.expect.validation !== undefined) {
        assert.deepEqual(validateGatewayApiConfig(rollout), c.expect.validation);
        return;
      }
      const parsed = parseGatewayApiConfig(rollout);
      assert.ok(parsed.ok);
      assert.deepEqual(
        { ...parsed.config, inProgressLabel: parsed.config.inProgressLabel ?? null },
        c.expect,
      );
      assert.deepEqual(validateGatewayApiConfig(rollout), []);
    });
  }
});
