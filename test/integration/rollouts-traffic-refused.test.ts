/**
 * Traffic routing specs on the real cluster: Argo's own validation messages for traffic steps, and
 * routers Slipway does not run refused by name (InvalidSpec, a Warning Event, no ReplicaSet); a spec Argo
 * accepts with a router Slipway runs is not refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeClient } from '../../src/kube/index.js';
import {
  type RolloutObject,
  replicaSetsOf,
  rolloutManifest,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';

const invalidSpec = (r: RolloutObject) => r.status?.conditions?.find((c) => c.type === 'InvalidSpec');

async function warningEvents(client: KubeClient, namespace: string, name: string) {
  const { items } = await client.listAll({ apiVersion: 'v1', kind: 'Event' }, { namespace });
  return items
    .filter((e) => (e.involvedObject as { name?: string }).name === name && e.reason === 'InvalidSpec')
    .map((e) => String(e.message));
}

const services = { canaryService: 'web-canary', stableService: 'web-stable' };
const istio = { istio: { virtualService: { name: 'web-vs', routes: ['primary'] } } };
const headerRoute = {
  name: 'header',
  match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }],
};

const cases: readonly { name: string; canary: Record<string, unknown>; message: string }[] = [
  {
    name: 'alb',
    canary: { ...services, trafficRouting: { alb: { ingress: 'web' } }, steps: [{ setWeight: 10 }] },
    message:
      'The Rollout "alb" is invalid: spec.strategy.canary.trafficRouting.alb: Unsupported value: Slipway does not run the ALB traffic router',
  },
  {
    name: 'plugin',
    canary: {
      ...services,
      trafficRouting: { plugins: { 'acme/router': { anything: true } } },
      steps: [{ setWeight: 10 }],
    },
    message:
      'The Rollout "plugin" is invalid: spec.strategy.canary.trafficRouting.plugins: Unsupported value: Slipway does not run the traffic router plugin "acme/router"',
  },
  {
    name: 'header-no-managed-routes',
    canary: { ...services, trafficRouting: istio, steps: [{ setHeaderRoute: headerRoute }] },
    message:
      'The Rollout "header-no-managed-routes" is invalid: spec.strategy.trafficRouting.managedRoutes: Required value: Rollout has missing field \'spec.strategy.canary.trafficRouting.managedRoutes\'',
  },
  {
    name: 'max-weight-istio',
    canary: { ...services, trafficRouting: { ...istio, maxTrafficWeight: 1000 }, steps: [{ setWeight: 10 }] },
    message:
      'The Rollout "max-weight-istio" is invalid: spec.strategy.trafficRouting.maxTrafficWeight: Invalid value: 1000: Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins',
  },
];

describe('rollouts: traffic routing specs Slipway refuses, with the message Argo would give', () => {
  const s = useRolloutScenario('ro-traffic-refused');

  for (const c of cases) {
    it(`${c.name}: InvalidSpec, one Warning Event, no ReplicaSet`, async () => {
      await s.client.create(
        rolloutManifest({ name: c.name, namespace: s.namespace, replicas: 1, canary: c.canary }),
      );
      const r = await s.reaches(c.name, 'InvalidSpec', (x) => x.status?.phase === 'Degraded', 90_000);
      assert.equal(invalidSpec(r)?.message, c.message);
      const events = await eventually(
        'InvalidSpec Warning Event',
        async () => {
          const e = await warningEvents(s.client, s.namespace, c.name);
          return e.length > 0 ? e : undefined;
        },
        90_000,
      );
      assert.deepEqual(events, [c.message]);
      const sets = (await replicaSetsOf(s.client, s.namespace)).filter((rs) =>
        rs.metadata.name?.startsWith(`${c.name}-`),
      );
      assert.equal(sets.length, 0, 'no ReplicaSet for a refused spec');
    });
  }

  it('scale-and-header: a step with setCanaryScale and setHeaderRoute is valid, as in Argo, and runs', async () => {
    const name = 'scale-and-header';
    await s.createRollout({
      name,
      replicas: 1,
      canary: {
        ...services,
        trafficRouting: { ...istio, managedRoutes: [{ name: 'header' }] },
        steps: [{ setCanaryScale: { replicas: 1 }, setHeaderRoute: headerRoute }, { pause: {} }],
      },
    });
    const sets = await eventually(
      'a ReplicaSet for the accepted spec',
      async () => {
        const mine = (await replicaSetsOf(s.client, s.namespace)).filter((rs) =>
          rs.metadata.name?.startsWith(`${name}-`),
        );
        return mine.length > 0 ? mine : undefined;
      },
      90_000,
    );
    assert.equal(sets.length, 1);
    const r = await s.client.get<RolloutObject>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      namespace: s.namespace,
      name,
    });
    assert.equal(invalidSpec(r), undefined, 'no InvalidSpec');
  });
});
