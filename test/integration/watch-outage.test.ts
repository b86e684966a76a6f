import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Manager } from '../../src/core/index.js';
import { LocalCluster } from '../../src/dev/cluster/local-cluster.js';
import { KubeClient } from '../../src/kube/index.js';
import { Metrics, silentLogger } from '../../src/observability/index.js';
import { startConfigMapMirror } from '../support/fixtures/config-map-mirror.js';
import { configMap, eventually } from '../support/kube.js';

/**
 * Uses a private control plane (etcd + two kube-apiservers): killing the shared cluster's API server
 * would disturb every other test running at the same time.
 */
describe('reflectors survive a kube-apiserver outage', () => {
  let cluster: LocalCluster;
  let manager: Manager;
  let admin: KubeClient;
  const ns = 'outage';
  const CM = { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns } as const;

  before(async () => {
    cluster = await LocalCluster.start({ components: [] });
    admin = cluster.client();
    await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  after(async () => {
    await manager?.stop();
    admin?.close();
    await cluster?.stop();
  });

  it('reconciles creates, updates and deletes, and catches up on changes made while the API was down', async () => {
    const metrics = new Metrics();
    manager = new Manager({ client: cluster.client(), logger: silentLogger(), metrics });
    const { mirror } = startConfigMapMirror(manager, ns);
    await manager.start();
    await manager.waitForCacheSync();

    const truth = async (client: KubeClient) => {
      const { items } = await client.listAll<
        {
          metadata: { name?: string };
          data?: Record<string, string>;
        } & import('../../src/kube/index.js').KubeObject
      >({ apiVersion: 'v1', kind: 'ConfigMap' }, { namespace: ns });
      return new Map(
        items
          .filter((o) => o.metadata.name !== 'kube-root-ca.crt')
          .map((o) => [`${ns}/${o.metadata.name}`, o.data ?? {}]),
      );
    };
    const mirrorEquals = async (client: KubeClient) => {
      const t = await truth(client);
      const m = new Map([...mirror].filter(([k]) => k !== `${ns}/kube-root-ca.crt`));
      try {
        assert.deepEqual(m, t);
        return true;
      } catch {
        return false;
      }
    };

    await admin.create(configMap(ns, 'a', { v: '1' }));
    await admin.create(configMap(ns, 'b', { v: '1' }));
    await admin.create(configMap(ns, 'c', { v: '1' }));
    await admin.patch({ ...CM, name: 'a' }, { data: { v: '2' } }, { type: 'merge' });
    await admin.delete({ ...CM, name: 'b' });
    await eventually('the mirror to see create, update and delete', () => mirrorEquals(admin), 10_000);
    assert.deepEqual(mirror.get(`${ns}/a`), { v: '2' });
    assert.equal(mirror.has(`${ns}/b`), false);

    // Outage: kill the API server the controller talks to; change the cluster through a second one.
    const secondary = await cluster.startSecondaryApiserver();
    const side = KubeClient.fromKubeConfig({ kubeconfigPath: secondary.kubeconfigPath });
    try {
      await cluster.killComponent('kube-apiserver');
      await side.create(configMap(ns, 'd', { v: 'during-outage' }));
      await side.patch({ ...CM, name: 'c' }, { data: { v: 'changed-during-outage' } }, { type: 'merge' });
      await side.delete({ ...CM, name: 'a' });
      for (let i = 0; i < 30; i++) await side.create(configMap(ns, `bulk-${i}`, { i: String(i) }));
      await new Promise((r) => setTimeout(r, 3_000));
      assert.equal(
        mirror.has(`${ns}/d`),
        false,
        'the controller cannot have seen changes while its API server is down',
      );

      await cluster.restartApiserver();
      const back = Date.now();
      await eventually(
        'the mirror to catch up after the API server came back',
        () => mirrorEquals(side),
        10_000,
        50,
      );
      const catchUpMs = Date.now() - back;
      process.stdout.write(`# caught up ${catchUpMs} ms after kube-apiserver was ready again\n`);
      assert.ok(catchUpMs < 10_000);
      assert.deepEqual(mirror.get(`${ns}/c`), { v: 'changed-during-outage' });
      assert.equal(mirror.has(`${ns}/a`), false);
      const restarts = await metrics.registry.getSingleMetricAsString('slipway_watch_restarts_total');
      assert.match(restarts, /reason="error"/);
    } finally {
      side.close();
      await secondary.stop();
    }
  });
});
