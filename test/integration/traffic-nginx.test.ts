// The NGINX router class against a real API server (networking.k8s.io/v1 Ingresses are built in): canary
// Ingresses generated from one or several stable Ingresses, owned by the Rollout, their weight patched on
// setWeight, other controllers' annotations kept, foreign canary Ingresses refused.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FIELD_MANAGER } from '../../src/rollouts/index.js';
import {
  type Ingress,
  nginxRouterFactory,
  validateStableIngresses,
} from '../../src/rollouts/traffic/nginx/index.js';
import { waitForKind } from '../support/discovery.js';
import { createRollout, ROLLOUT } from '../support/fixtures/rollout-scenario.js';
import {
  applyDeployRbac,
  eventuallyAllowed,
  impersonatingClient,
} from '../support/fixtures/service-account-access.js';
import { eventually, testKubeconfigPath } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const INGRESS = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' } as const;
const P = 'nginx.ingress.kubernetes.io';

describe('traffic: NGINX router against the API server', () => {
  const { client, ns } = useTestNamespace('traffic-nginx', { crds: true });

  before(async () => {
    await waitForKind(client, ROLLOUT);
  });

  async function storedRollout(
    name: string,
    nginx: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) {
    return createRollout(client, ns.name, {
      name,
      replicas: 1,
      steps: [{ setWeight: 10 }, { pause: {} }],
      canary: {
        canaryService: 'web-canary',
        stableService: 'web-stable',
        trafficRouting: { nginx, ...extra },
      },
    });
  }

  const stableIngress = (name: string, host: string, path = '/'): Ingress => ({
    ...INGRESS,
    metadata: {
      name,
      namespace: ns.name,
      annotations: { 'kubernetes.io/ingress.class': 'nginx', 'stable-only': 'x' },
    },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: [host], secretName: `${name}-tls` }],
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path,
                pathType: 'Prefix',
                backend: { service: { name: 'web-stable', port: { number: 80 } } },
              },
              {
                path: '/static',
                pathType: 'Prefix',
                backend: { service: { name: 'cdn', port: { number: 80 } } },
              },
            ],
          },
        },
        {
          host: `other.${host}`,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'other', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  });

  const ingressRef = (name: string) => ({ ...INGRESS, namespace: ns.name, name });
  const get = (name: string) => client.get<Ingress>(ingressRef(name));
  const backends = (ing: Ingress) =>
    (ing.spec?.rules ?? []).flatMap((r) =>
      (r.http?.paths ?? []).map((p) => `${r.host as string}${p.path as string}->${p.backend?.service?.name}`),
    );

  it('stableIngresses: one owned canary Ingress per stable Ingress, weight patched, repeats write nothing', async () => {
    await client.create(stableIngress('web-a', 'a.example.com'));
    await client.create(stableIngress('web-b', 'b.example.com'));
    const rollout = await storedRollout('multi', {
      stableIngresses: ['web-a', 'web-b'],
      additionalIngressAnnotations: { 'canary-by-header': 'X-Canary' },
      canaryIngressAnnotations: { 'example.com/team': 'web' },
    });
    assert.deepEqual(nginxRouterFactory.validate(rollout), []);
    assert.equal(
      validateStableIngresses(rollout, () => stableIngress('web-a', 'a.example.com')),
      undefined,
    );
    const router = nginxRouterFactory.create({ rollout, client, fieldManager: FIELD_MANAGER });
    assert.equal(router.type, 'Nginx');

    await router.setWeight(10, []);
    for (const [stable, host] of [
      ['web-a', 'a.example.com'],
      ['web-b', 'b.example.com'],
    ] as const) {
      const canary = await get(`multi-${stable}-canary`);
      assert.deepEqual(canary.metadata.annotations, {
        'kubernetes.io/ingress.class': 'nginx',
        [`${P}/canary`]: 'true',
        [`${P}/canary-weight`]: '10',
        [`${P}/canary-by-header`]: 'X-Canary',
        'example.com/team': 'web',
      });
      assert.deepEqual(backends(canary), [`${host}/->web-canary`, `${host}/static->cdn`]);
      assert.equal(canary.spec?.ingressClassName, 'nginx');
      assert.deepEqual(canary.spec?.tls, [{ hosts: [host], secretName: `${stable}-tls` }]);
      const owner = canary.metadata.ownerReferences?.[0];
      assert.equal(owner?.uid, rollout.metadata.uid);
      assert.equal(owner?.controller, true);
    }

    // Another controller annotates the canary Ingress: its annotation survives our patches.
    await client.patch(
      ingressRef('multi-web-a-canary'),
      { metadata: { annotations: { 'other-controller/seen': 'yes' } } },
      { type: 'merge' },
    );
    await router.setWeight(50, []);
    const a = await get('multi-web-a-canary');
    assert.equal(a.metadata.annotations?.[`${P}/canary-weight`], '50');
    assert.equal(a.metadata.annotations?.['other-controller/seen'], 'yes');
    assert.equal((await get('multi-web-b-canary')).metadata.annotations?.[`${P}/canary-weight`], '50');

    await router.setWeight(50, []);
    await router.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: { exact: 'y' } }] });
    await router.setMirrorRoute({ name: 'm', percentage: 10 });
    await router.removeManagedRoutes();
    await router.updateHash('canary-hash', 'stable-hash', []);
    assert.equal(await router.verifyWeight(50, []), undefined, 'NGINX cannot tell the weight in effect');
    assert.equal(
      (await get('multi-web-a-canary')).metadata.resourceVersion,
      a.metadata.resourceVersion,
      'no write when nothing changed',
    );

    // The stable Ingress's route changes: the canary follows on the next setWeight.
    await client.patch(
      ingressRef('web-a'),
      [{ op: 'replace', path: '/spec/rules/0/http/paths/0/path', value: '/v2' }],
      { type: 'json' },
    );
    await router.setWeight(0, []);
    const moved = await get('multi-web-a-canary');
    assert.deepEqual(backends(moved), ['a.example.com/v2->web-canary', 'a.example.com/static->cdn']);
    assert.equal(moved.metadata.annotations?.[`${P}/canary-weight`], '0');
  });

  it('stableIngress with annotationPrefix and maxTrafficWeight', async () => {
    await client.create(stableIngress('web-c', 'c.example.com'));
    const rollout = await storedRollout(
      'single',
      { stableIngress: 'web-c', annotationPrefix: 'custom.nginx.org' },
      { maxTrafficWeight: 1000 },
    );
    const router = nginxRouterFactory.create({ rollout, client, fieldManager: FIELD_MANAGER });
    await router.setWeight(250, []);
    const canary = await get('single-web-c-canary');
    assert.equal(canary.metadata.annotations?.['custom.nginx.org/canary'], 'true');
    assert.equal(canary.metadata.annotations?.['custom.nginx.org/canary-weight'], '250');
    assert.equal(canary.metadata.annotations?.['custom.nginx.org/canary-weight-total'], '1000');
  });

  it("refuses with Argo's messages: a foreign canary Ingress, a missing stable Ingress, no stable rule", async () => {
    await client.create(stableIngress('web-d', 'd.example.com'));
    await client.create({
      ...stableIngress('foreign-web-d-canary', 'd.example.com'),
      metadata: { name: 'foreign-web-d-canary', namespace: ns.name },
    });
    const foreign = await storedRollout('foreign', { stableIngress: 'web-d' });
    const router = nginxRouterFactory.create({ rollout: foreign, client, fieldManager: FIELD_MANAGER });
    await assert.rejects(router.setWeight(10, []), {
      code: 'ROLLOUT_TRAFFIC_ROUTER',
      message: 'canary ingress `foreign-web-d-canary` controlled by different object',
    });
    assert.equal((await get('foreign-web-d-canary')).metadata.annotations, undefined, 'left alone');

    const missing = await storedRollout('missing', { stableIngress: 'nope' });
    await assert.rejects(
      nginxRouterFactory.create({ rollout: missing, client, fieldManager: FIELD_MANAGER }).setWeight(10, []),
      (err: Error & { code?: string }) =>
        err.code === 'ROLLOUT_TRAFFIC_ROUTER' &&
        err.message.startsWith('error retrieving stableIngress `nope` from cache: '),
    );

    const wrong = await storedRollout('wrong', { stableIngress: 'web-d' });
    const other = {
      ...wrong,
      spec: {
        ...wrong.spec,
        strategy: { canary: { ...wrong.spec?.strategy?.canary, stableService: 'elsewhere' } },
      },
    };
    await assert.rejects(
      nginxRouterFactory.create({ rollout: other, client, fieldManager: FIELD_MANAGER }).setWeight(10, []),
      { message: 'ingress `web-d` has no rules using service elsewhere backend' },
    );
  });

  it("works with the controller's own permissions (deploy/rbac.yaml)", async () => {
    await applyDeployRbac(client);
    const asController = impersonatingClient(testKubeconfigPath());
    try {
      await client.create(stableIngress('web-f', 'f.example.com'));
      const rollout = await storedRollout('rbac', { stableIngress: 'web-f' });
      const router = nginxRouterFactory.create({
        rollout,
        client: asController,
        fieldManager: FIELD_MANAGER,
      });
      await eventuallyAllowed('setWeight as the controller', () => router.setWeight(10, []));
      await router.setWeight(20, []);
      assert.equal((await get('rbac-web-f-canary')).metadata.annotations?.[`${P}/canary-weight`], '20');
    } finally {
      asController.close();
    }
  });

  it('the canary Ingress goes away with its Rollout (owner reference, garbage collector)', async () => {
    await client.create(stableIngress('web-e', 'e.example.com'));
    const rollout = await storedRollout('gc', { stableIngress: 'web-e' });
    await nginxRouterFactory.create({ rollout, client, fieldManager: FIELD_MANAGER }).setWeight(10, []);
    await get('gc-web-e-canary');
    await client.delete({ ...ROLLOUT, namespace: ns.name, name: 'gc' });
    await eventually(
      'the canary Ingress garbage-collected',
      async () => {
        try {
          await get('gc-web-e-canary');
          return false;
        } catch (err) {
          return (err as { code?: string }).code === 'KUBE_NOT_FOUND';
        }
      },
      120_000,
      500,
    );
    await get('web-e');
  });
});
