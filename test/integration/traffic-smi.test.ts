// The SMI router class against a real API server: TrafficSplits created owned by the Rollout, patched on
// setWeight, refused when someone else owns them, garbage-collected with the Rollout, against the upstream
// TrafficSplit CRD the shared test cluster installs.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import { FIELD_MANAGER, type Rollout } from '../../src/rollouts/index.js';
import {
  createSmiRouterFactory,
  type TrafficSplit,
  type TrafficSplitVersion,
} from '../../src/rollouts/traffic/smi/index.js';
import { waitForKind } from '../support/discovery.js';
import { createRollout, ROLLOUT } from '../support/fixtures/rollout-scenario.js';
import {
  applyDeployRbac,
  eventuallyAllowed,
  impersonatingClient,
} from '../support/fixtures/service-account-access.js';
import { eventually, testKubeconfigPath } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';
import { requireUpstreamCrd } from '../support/traffic/upstream-crds.js';

const VERSIONS: readonly TrafficSplitVersion[] = ['v1alpha1', 'v1alpha2', 'v1alpha3'];

describe('traffic: SMI router against the API server', () => {
  const { client, ns } = useTestNamespace('traffic-smi', { crds: true });
  let served: TrafficSplitVersion[] = [];

  before(async () => {
    await waitForKind(client, ROLLOUT);
    const versions = await requireUpstreamCrd(client, 'trafficsplits.split.smi-spec.io');
    served = VERSIONS.filter((v) => versions.includes(v));
  });

  /** A Rollout stored in the cluster (so owner references resolve) with SMI traffic routing. */
  async function storedRollout(name: string, smi: Record<string, unknown>): Promise<Rollout & KubeObject> {
    return createRollout(client, ns.name, {
      name,
      replicas: 1,
      steps: [{ setWeight: 10 }, { pause: {} }],
      canary: { canaryService: `${name}-canary`, stableService: `${name}-stable`, trafficRouting: { smi } },
    });
  }

  const splitRef = (version: string, name: string) => ({
    apiVersion: `split.smi-spec.io/${version}`,
    kind: 'TrafficSplit',
    namespace: ns.name,
    name,
  });
  const weights = (ts: TrafficSplit) => (ts.spec?.backends ?? []).map((b) => `${b.service}=${b.weight}`);

  it('serves the default TrafficSplit version, and every version the router writes', () => {
    assert.ok(served.includes('v1alpha1'), `served TrafficSplit versions: ${served.join(', ')}`);
    assert.deepEqual(served, VERSIONS, 'the upstream CRD serves every version the router writes');
  });

  it('setWeight creates the TrafficSplit owned by the Rollout, then patches it; repeats write nothing', async () => {
    for (const version of served) {
      const rollout = await storedRollout(`smi-${version}`, {});
      const router = createSmiRouterFactory({ trafficSplitApiVersion: version }).create({
        rollout,
        client,
        fieldManager: FIELD_MANAGER,
      });
      assert.equal(router.type, 'SMI');

      await router.setWeight(10, []);
      const created = await client.get<TrafficSplit>(splitRef(version, rollout.metadata.name ?? ''));
      const q = (w: number) => (version === 'v1alpha1' ? String(w) : w);
      assert.equal(
        created.spec?.service,
        `${rollout.metadata.name}-stable`,
        'rootService defaults to stable',
      );
      assert.deepEqual(weights(created), [
        `smi-${version}-canary=${q(10)}`,
        `smi-${version}-stable=${q(90)}`,
      ]);
      const owner = created.metadata.ownerReferences?.[0];
      assert.equal(owner?.uid, rollout.metadata.uid);
      assert.equal(owner?.controller, true);
      assert.equal(owner?.kind, 'Rollout');

      await router.setWeight(30, [{ serviceName: 'experiment-svc', weight: 5 }]);
      const patched = await client.get<TrafficSplit>(splitRef(version, rollout.metadata.name ?? ''));
      assert.deepEqual(weights(patched), [
        `smi-${version}-canary=${q(30)}`,
        `experiment-svc=${q(5)}`,
        `smi-${version}-stable=${q(65)}`,
      ]);

      await router.setWeight(30, [{ serviceName: 'experiment-svc', weight: 5 }]);
      await router.setHeaderRoute({ name: 'h', match: [{ headerName: 'x', headerValue: { exact: 'y' } }] });
      await router.setMirrorRoute({ name: 'm', percentage: 10 });
      await router.removeManagedRoutes();
      await router.updateHash('canary-hash', 'stable-hash', []);
      assert.equal(await router.verifyWeight(30, []), undefined, 'SMI cannot tell the weight in effect');
      const again = await client.get<TrafficSplit>(splitRef(version, rollout.metadata.name ?? ''));
      assert.equal(
        again.metadata.resourceVersion,
        patched.metadata.resourceVersion,
        'no write when nothing changed',
      );

      await router.setWeight(0, []);
      const aborted = await client.get<TrafficSplit>(splitRef(version, rollout.metadata.name ?? ''));
      assert.deepEqual(weights(aborted), [
        `smi-${version}-canary=${q(0)}`,
        `smi-${version}-stable=${q(100)}`,
      ]);
    }
  });

  it('rootService and trafficSplitName are used when set', async () => {
    const rollout = await storedRollout('smi-named', { rootService: 'apex', trafficSplitName: 'my-split' });
    const router = createSmiRouterFactory().create({ rollout, client, fieldManager: FIELD_MANAGER });
    await router.setWeight(5, []);
    const ts = await client.get<TrafficSplit>(splitRef('v1alpha1', 'my-split'));
    assert.equal(ts.spec?.service, 'apex');
    assert.deepEqual(weights(ts), ['smi-named-canary=5', 'smi-named-stable=95']);
  });

  it("a TrafficSplit the Rollout does not own is left alone, with Argo's error", async () => {
    const rollout = await storedRollout('smi-foreign', { trafficSplitName: 'foreign-split' });
    const foreign: KubeObject = {
      ...splitRef('v1alpha1', 'foreign-split'),
      metadata: { name: 'foreign-split', namespace: ns.name },
      spec: { service: 'x', backends: [{ service: 'x', weight: '100' }] },
    };
    await client.create(foreign);
    const router = createSmiRouterFactory().create({ rollout, client, fieldManager: FIELD_MANAGER });
    await assert.rejects(router.setWeight(20, []), {
      code: 'ROLLOUT_TRAFFIC_ROUTER',
      message: 'Rollout does not own TrafficSplit `foreign-split`',
    });
    const after = await client.get<TrafficSplit>(splitRef('v1alpha1', 'foreign-split'));
    assert.deepEqual(weights(after), ['x=100']);
  });

  it("works with the controller's own permissions (deploy/rbac.yaml)", async () => {
    await applyDeployRbac(client);
    const asController = impersonatingClient(testKubeconfigPath());
    try {
      const rollout = await storedRollout('smi-rbac', {});
      const router = createSmiRouterFactory().create({
        rollout,
        client: asController,
        fieldManager: FIELD_MANAGER,
      });
      await eventuallyAllowed('setWeight as the controller', () => router.setWeight(10, []));
      await router.setWeight(20, []);
      const ts = await client.get<TrafficSplit>(splitRef('v1alpha1', 'smi-rbac'));
      assert.deepEqual(weights(ts), ['smi-rbac-canary=20', 'smi-rbac-stable=80']);
    } finally {
      asController.close();
    }
  });

  it('the TrafficSplit goes away with its Rollout (owner reference, garbage collector)', async () => {
    const rollout = await storedRollout('smi-gc', {});
    const router = createSmiRouterFactory().create({ rollout, client, fieldManager: FIELD_MANAGER });
    await router.setWeight(10, []);
    await client.delete({ ...ROLLOUT, namespace: ns.name, name: 'smi-gc' });
    await eventually(
      'the TrafficSplit garbage-collected',
      async () => {
        try {
          await client.get(splitRef('v1alpha1', 'smi-gc'));
          return false;
        } catch (err) {
          return (err as { code?: string }).code === 'KUBE_NOT_FOUND';
        }
      },
      120_000,
      500,
    );
  });
});
