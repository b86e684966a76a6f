// Rollout-level NGINX: a canary Ingress generated from the stable Ingress, owned by the Rollout, its
// `canary-weight` following the steps; header routing as NGINX does it in Argo (a `canary-by-header`
// additional annotation: Argo refuses setHeaderRoute steps for NGINX); abort returns the weight to 0 first.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/kube/index.js';
import { describeRoutedCanary, ROUTED_ROLLOUT } from '../support/traffic/routed-canary.js';

const INGRESS = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' } as const;
const P = 'nginx.ingress.kubernetes.io';
const CANARY_INGRESS = `${ROUTED_ROLLOUT}-web-ingress-canary`;

/** `stable/canary` from the canary Ingress's weight annotation (no canary Ingress: all on stable). */
function ingressWeights(ingress: KubeObject | undefined): string {
  const weight = Number(ingress?.metadata.annotations?.[`${P}/canary-weight`] ?? 0);
  return `${100 - weight}/${weight}`;
}

const canaryBackends = async (m: {
  client: import('../../src/kube/index.js').KubeClient;
  namespace: string;
}) => {
  const ingress = await m.client.get({ ...INGRESS, namespace: m.namespace, name: CANARY_INGRESS });
  const rules = (
    ingress.spec as { rules?: { http?: { paths?: { backend?: { service?: { name?: string } } }[] } }[] }
  ).rules;
  return {
    ingress,
    services: (rules ?? []).flatMap((r) => r.http?.paths ?? []).map((p) => p.backend?.service?.name),
  };
};

describeRoutedCanary({
  title: 'rollouts: a canary routed by an NGINX canary Ingress',
  prefix: 'ro-nginx',
  crds: [],
  kinds: [INGRESS],
  routed: { kind: 'Ingress', name: CANARY_INGRESS, read: ingressWeights },
  async setup(client, namespace) {
    await client.create({
      ...INGRESS,
      metadata: { name: 'web-ingress', namespace, annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      spec: {
        rules: [
          {
            host: 'web.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web-stable', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
  },
  canary: () => ({
    trafficRouting: {
      nginx: {
        stableIngress: 'web-ingress',
        additionalIngressAnnotations: { 'canary-by-header': 'X-Canary', 'canary-by-header-value': 'yes' },
      },
    },
  }),
  async atPause(m) {
    const { ingress, services } = await canaryBackends(m);
    assert.deepEqual(services, ['web-canary'], 'the canary Ingress routes to the canary Service');
    assert.equal(ingress.metadata.annotations?.[`${P}/canary`], 'true');
    assert.equal(ingress.metadata.annotations?.[`${P}/canary-by-header`], 'X-Canary', 'the header route');
    assert.equal(ingress.metadata.annotations?.[`${P}/canary-by-header-value`], 'yes');
    assert.equal(ingress.metadata.ownerReferences?.find((o) => o.controller)?.name, ROUTED_ROLLOUT);
  },
  async afterPromotion(m) {
    const { ingress } = await canaryBackends(m);
    assert.equal(ingress.metadata.annotations?.[`${P}/canary-weight`], '0', 'the canary Ingress stays at 0');
  },
});
