import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ReplicaSet } from '../../../src/rollouts/index.js';
import {
  canaryTargetOf,
  destinationRuleDelay,
  istioRouterFactory,
  managingRolloutOf,
  planDestinationRule,
  planDestinationRuleRelease,
  planHeaderRoute,
  planMirrorRoute,
  planRemoveManagedRoutes,
  planVirtualServiceWeights,
  type VirtualServicePlan,
  validateVirtualServiceReferences,
  virtualServiceNotFoundMessage,
  virtualServiceRef,
  virtualServicesOf,
} from '../../../src/rollouts/traffic/istio/index.js';
import type { AdditionalDestination } from '../../../src/rollouts/traffic/router.js';
import type {
  CanaryStrategy,
  IstioTrafficRouting,
  Rollout,
  RolloutStatus,
  SetHeaderRoute,
  SetMirrorRoute,
} from '../../../src/rollouts/types.js';

type Json = Record<string, unknown>;
type Step =
  | { op: 'setWeight'; weight: number; additional?: AdditionalDestination[] }
  | { op: 'setHeaderRoute'; route: SetHeaderRoute }
  | { op: 'setMirrorRoute'; route: SetMirrorRoute }
  | { op: 'removeManagedRoutes' };
interface RouteSummary {
  name?: string;
  route: string[];
}
interface Golden {
  virtualServices: Record<string, Json>;
  cases: {
    name: string;
    source: string;
    rollout: CanaryStrategy;
    virtualService: string | Json;
    destinationRuleHost?: string;
    steps: Step[];
    expect: {
      error?: string;
      unchanged?: boolean;
      http?: RouteSummary[];
      tls?: RouteSummary[];
      tcp?: RouteSummary[];
      httpRoute0?: Json;
      /** `[route name, sorted keys]` per HTTP route: fields the router does not own survive. */
      keys?: [string, string[]][];
    };
  }[];
  destinationRuleCases: {
    name: string;
    rollout: CanaryStrategy;
    canaryHash: string;
    stableHash: string;
    additional?: AdditionalDestination[];
    destinationRule: Json;
    expect: Json | 'unchanged';
  }[];
  delayCases: {
    name: string;
    rollout: CanaryStrategy;
    status?: RolloutStatus;
    replicaSets: [hash: string, replicas: number, available: number][];
    canaryHash: string;
    stableHash: string;
    expect: string | null;
  }[];
  refCases: { input: string; expect: { namespace: string; name: string } }[];
  validateCases: { name: string; istio: IstioTrafficRouting; expect: string[] }[];
  referenceCases: {
    name: string;
    rollout: CanaryStrategy;
    virtualServices: (string | Json)[];
    expect: string[];
  }[];
}

const MANAGED = 'argo-rollouts.argoproj.io/managed-by-rollouts';

const golden = JSON.parse(
  readFileSync(new URL('../../golden/rollouts/traffic/istio.json', import.meta.url), 'utf8'),
) as Golden;

const rolloutOf = (canary: CanaryStrategy, status?: RolloutStatus): Rollout => ({
  metadata: { name: 'rollout', namespace: 'default', uid: 'uid-1' },
  spec: { replicas: 1, strategy: { canary } },
  ...(status && { status }),
});

/** `host[/subset]=weight` per destination, the weight left out when the destination has none. */
function summarize(routes: unknown): RouteSummary[] {
  return (routes as Json[]).map((r) => ({
    ...(typeof r.name === 'string' && { name: r.name }),
    route: ((r.route as Json[] | undefined) ?? []).map((d) => {
      const dest = d.destination as { host: string; subset?: string };
      const where = dest.subset ? `${dest.host}/${dest.subset}` : dest.host;
      return d.weight === undefined ? where : `${where}=${String(d.weight)}`;
    }),
  }));
}

describe('Istio router planning (golden, from Argo Rollouts istio_test.go)', () => {
  for (const c of golden.cases) {
    it(`${c.name} [${c.source}]`, () => {
      const rollout = rolloutOf(c.rollout);
      const entry = virtualServicesOf(rollout)[0];
      assert.ok(entry);
      let vs =
        typeof c.virtualService === 'string' ? golden.virtualServices[c.virtualService] : c.virtualService;
      assert.ok(vs, 'fixture exists');
      const target = canaryTargetOf(rollout, c.destinationRuleHost);
      let last: VirtualServicePlan = { kind: 'unchanged' };
      for (const step of c.steps) {
        const input = { rollout, entry, virtualService: vs, target };
        if (step.op === 'setWeight') {
          last = planVirtualServiceWeights({
            ...input,
            desiredWeight: step.weight,
            additional: step.additional ?? [],
          });
        } else if (step.op === 'setHeaderRoute') last = planHeaderRoute(input, step.route);
        else if (step.op === 'setMirrorRoute') last = planMirrorRoute(input, step.route);
        else last = planRemoveManagedRoutes(rollout, vs);
        if (last.kind === 'invalid') break;
        if (last.kind === 'update') vs = last.virtualService;
      }
      const { expect } = c;
      if (expect.error !== undefined) {
        assert.deepEqual(last, { kind: 'invalid', message: expect.error });
        return;
      }
      if (expect.unchanged === true) {
        assert.equal(last.kind, 'unchanged');
        return;
      }
      assert.equal(last.kind, 'update');
      const spec = vs.spec as Json;
      for (const kind of ['http', 'tls', 'tcp'] as const) {
        if (expect[kind] !== undefined) assert.deepEqual(summarize(spec[kind]), expect[kind], kind);
      }
      if (expect.httpRoute0 !== undefined) assert.deepEqual((spec.http as Json[])[0], expect.httpRoute0);
      if (expect.keys !== undefined) {
        const keys = (spec.http as Json[]).map((r) => [r.name, Object.keys(r).sort()]);
        assert.deepEqual(keys, expect.keys);
      }
      // Planning again from the result is a no-op: the router is idempotent.
      const again = c.steps.at(-1);
      if (again?.op === 'setWeight') {
        const replay = planVirtualServiceWeights({
          rollout,
          entry,
          virtualService: vs,
          desiredWeight: again.weight,
          additional: again.additional ?? [],
        });
        assert.equal(replay.kind, 'unchanged');
      }
    });
  }
});

describe('Istio DestinationRule subsets (golden)', () => {
  for (const c of golden.destinationRuleCases) {
    it(c.name, () => {
      const plan = planDestinationRule({
        rollout: rolloutOf(c.rollout),
        destinationRule: c.destinationRule,
        canaryHash: c.canaryHash,
        stableHash: c.stableHash,
        additional: c.additional ?? [],
      });
      if (c.expect === 'unchanged') assert.equal(plan.kind, 'unchanged');
      else assert.deepEqual(plan, { kind: 'update', destinationRule: c.expect });
    });
  }

  it('released when the Rollout no longer names it: annotation and hash labels removed', () => {
    const managed = {
      metadata: { name: 'dr', annotations: { [MANAGED]: 'web', keep: 'me' } },
      spec: {
        host: 'web',
        subsets: [
          { name: 'stable', labels: { app: 'web', 'rollouts-pod-template-hash': 'abc' } },
          { name: 'canary', labels: { 'rollouts-pod-template-hash': 'def' } },
          { name: 'other' },
        ],
      },
    };
    assert.equal(managingRolloutOf(managed), 'web');
    const plan = planDestinationRuleRelease(managed);
    assert.deepEqual(plan, {
      kind: 'update',
      destinationRule: {
        metadata: { name: 'dr', annotations: { keep: 'me' } },
        spec: {
          host: 'web',
          subsets: [
            { name: 'stable', labels: { app: 'web' } },
            { name: 'canary', labels: {} },
            { name: 'other' },
          ],
        },
      },
    });
    assert.ok(plan.kind === 'update');
    assert.equal(managingRolloutOf(plan.destinationRule), undefined);
    assert.equal(planDestinationRuleRelease(plan.destinationRule).kind, 'unchanged');
  });

  for (const c of golden.delayCases) {
    it(`delay: ${c.name}`, () => {
      const replicaSets: ReplicaSet[] = c.replicaSets.map(([hash, replicas, available]) => ({
        metadata: { name: `rs-${hash}`, labels: { 'rollouts-pod-template-hash': hash } },
        spec: { replicas },
        status: { replicas, availableReplicas: available },
      }));
      const delay = destinationRuleDelay(
        rolloutOf(c.rollout, c.status),
        replicaSets,
        c.canaryHash,
        c.stableHash,
      );
      assert.equal(delay ?? null, c.expect);
    });
  }
});

describe('Istio configuration (golden)', () => {
  for (const c of golden.refCases) {
    it(`VirtualService reference ${c.input}`, () => {
      assert.deepEqual(virtualServiceRef(c.input, 'rollout-ns'), c.expect);
    });
  }
  for (const c of golden.validateCases) {
    it(`validate: ${c.name}`, () => {
      const rollout = rolloutOf({
        canaryService: 'c',
        stableService: 's',
        trafficRouting: { istio: c.istio },
      });
      assert.equal(istioRouterFactory.matches(rollout), true);
      assert.deepEqual(istioRouterFactory.validate(rollout), c.expect);
    });
  }
  for (const c of golden.referenceCases) {
    it(`references: ${c.name}`, () => {
      const objects = c.virtualServices.map((v) => (typeof v === 'string' ? golden.virtualServices[v] : v));
      assert.deepEqual(validateVirtualServiceReferences(rolloutOf(c.rollout), objects as Json[]), c.expect);
    });
  }
  it('a VirtualService that does not exist (Argo GetReferencedVirtualServices)', () => {
    const rollout = rolloutOf({ trafficRouting: { istio: { virtualServices: [{ name: 'edge.other' }] } } });
    assert.equal(
      virtualServiceNotFoundMessage(rollout, 'edge.other'),
      'spec.strategy.canary.trafficRouting.istio.virtualServices.name: Invalid value: "edge": virtualservices.networking.istio.io "edge" not found',
    );
  });
  it('does not match a Rollout without istio', () => {
    assert.equal(istioRouterFactory.matches(rolloutOf({ trafficRouting: { smi: {} } })), false);
  });
});
