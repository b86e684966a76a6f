// Rollout-level Gateway API with the configuration users write for Argo's plugin
// (`trafficRouting.plugins["argoproj-labs/gatewayAPI"]`): HTTPRoute backendRef weights follow the steps, a
// setHeaderRoute step listed in managedRoutes adds its rule while the update runs, and the rule is removed
// when the update is promoted and when it is aborted.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/kube/index.js';
import { describeRoutedCanary, type RoutedMoment } from '../support/traffic/routed-canary.js';

const HTTP_ROUTE = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' } as const;
const LABEL = 'rollouts.argoproj.io/gatewayapi-canary';

interface Rule {
  readonly name?: string;
  readonly backendRefs?: readonly { readonly name: string; readonly weight?: number }[];
}
const rulesOf = (route: KubeObject | undefined) =>
  ((route?.spec as { rules?: Rule[] } | undefined)?.rules ?? []) as Rule[];

/** `stable/canary` of the route's first (source) rule. */
function routeWeights(route: KubeObject | undefined): string {
  const refs = rulesOf(route)[0]?.backendRefs ?? [];
  const of = (name: string) => refs.find((b) => b.name === name)?.weight ?? 0;
  return `${of('web-stable')}/${of('web-canary')}`;
}

const route = (m: RoutedMoment) => m.client.get({ ...HTTP_ROUTE, namespace: m.namespace, name: 'web-route' });
const headerRule = async (m: RoutedMoment) => rulesOf(await route(m)).find((r) => r.name === 'canary-header');

describeRoutedCanary({
  title: 'rollouts: a canary routed by a Gateway API HTTPRoute (plugin-style config)',
  prefix: 'ro-gwapi',
  crds: ['httproutes.gateway.networking.k8s.io'],
  kinds: [HTTP_ROUTE],
  routed: { kind: 'HTTPRoute', name: 'web-route', read: routeWeights },
  async setup(client, namespace) {
    await client.create({
      ...HTTP_ROUTE,
      metadata: { name: 'web-route', namespace },
      spec: {
        parentRefs: [{ name: 'gateway' }],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [
              { name: 'web-stable', port: 80, weight: 100 },
              { name: 'web-canary', port: 80, weight: 0 },
            ],
          },
        ],
      },
    });
  },
  canary: (namespace) => ({
    trafficRouting: {
      managedRoutes: [{ name: 'canary-header' }],
      plugins: {
        'argoproj-labs/gatewayAPI': { httpRoutes: [{ name: 'web-route', useHeaderRoutes: true }], namespace },
      },
    },
  }),
  steps: [
    { setWeight: 20 },
    {
      setHeaderRoute: {
        name: 'canary-header',
        match: [{ headerName: 'X-Canary', headerValue: { exact: 'yes' } }],
      },
    },
    { pause: {} },
    { setWeight: 50 },
    { pause: {} },
  ],
  async atPause(m) {
    const rule = await headerRule(m);
    assert.ok(rule, 'the managed header rule is in place while the update runs');
    assert.deepEqual(
      rule.backendRefs?.map((b) => b.name),
      ['web-canary'],
    );
    assert.equal((await route(m)).metadata.labels?.[LABEL], 'in-progress');
  },
  async afterPromotion(m) {
    assert.equal(await headerRule(m), undefined, 'the header rule is removed at the end');
    assert.equal((await route(m)).metadata.labels?.[LABEL], undefined, 'no in-progress label at 0');
  },
  async afterAbort(m) {
    assert.equal(await headerRule(m), undefined, 'the header rule is removed on abort');
  },
});
