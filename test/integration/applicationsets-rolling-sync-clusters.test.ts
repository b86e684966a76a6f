import assert from 'node:assert/strict';
import { join } from 'node:path';
import { clusterFromSecret, type SecretObject } from '../../src/clusters/index.js';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import { ControllerProcess } from '../support/chaos/controller-process.js';
import { ExtraTestCluster, writeMergedKubeconfig } from '../support/cluster/extra.js';
import { slipwayCliAsync } from '../support/cluster/slipway-cli.js';
import { FLEET_REGIONS, type PlacedRegion } from '../support/fleet/regions.js';
import { describeRollingSync } from '../support/fleet/rolling-sync-scenario.js';
import { testClient, testKubeconfigPath } from '../support/kube.js';

// Issue 17's RollingSync acceptance across three real clusters, as Argo runs a fleet: the shared
// (management) cluster is tokyo, registered by its URL, and two more local control planes (with
// nodes, so Rollout pods turn Ready) are ireland and virginia; all three are registered with Secrets
// made by `slipway cluster add`, and the ApplicationSet's list generator names their real URLs. The
// central `slipway controller` runs the ApplicationSet, the Applications, their notifications (and
// tokyo's Rollouts); ireland and virginia each run their own `slipway controller --controllers
// rollouts,analysis`, as Argo Rollouts runs in every workload cluster. The central controller reads
// each remote Rollout's health through its cache of that cluster, so region 2 waits for region 1's
// analysis and region 2's failed analysis stops region 3.
//
// tokyo is a cluster other teams (test files) share: its Secret is limited to this test's namespace
// (the Secret's `namespaces`), as it would be for a team, so this controller's cluster-wide caches of
// it never take another namespace's `app.kubernetes.io/instance: web-app-tokyo` objects for its own.

const WORKLOAD_NS = 'production';
const WORKLOAD_CONTROLLERS = 'rollouts,analysis';

describeRollingSync({
  title: 'applicationsets: RollingSync across three clusters registered with `slipway cluster add`',
  slug: 'rolling-sync-clusters',
  restartCentral: false,
  async place({ client, namespace, tmp }) {
    const extras: ExtraTestCluster[] = [];
    const clients: KubeClient[] = [];
    const controllers: ControllerProcess[] = [];
    const dispose = async () => {
      await Promise.all(controllers.map((c) => c.dispose()));
      for (const c of clients) c.close();
      await Promise.all(extras.map((c) => c.stop()));
    };
    try {
      const [ireland, virginia] = await Promise.all(
        ['ireland', 'virginia'].map(async (name) => {
          const cluster = await ExtraTestCluster.start(name, { workloads: true });
          extras.push(cluster);
          return cluster;
        }),
      );
      const workloadClusters = [ireland!, virginia!];
      const kubeconfig = join(tmp, 'kubeconfig');
      writeMergedKubeconfig(
        kubeconfig,
        { context: 'tokyo', kubeconfigPath: testKubeconfigPath() },
        workloadClusters,
      );
      // each workload cluster: Argo's CRDs, the destination namespace and its own Rollout controller
      await Promise.all(
        workloadClusters.map(async (c) => {
          const admin = c.client();
          clients.push(admin);
          await installCrds(admin);
          await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: WORKLOAD_NS } });
          const controller = new ControllerProcess({
            kubeconfigPath: c.kubeconfigPath,
            namespace: WORKLOAD_NS,
            controllers: WORKLOAD_CONTROLLERS,
            runtime: { kind: 'tsx' },
            env: { TMPDIR: tmp },
            logPath: join(tmp, `controller-${c.name}.log`),
          });
          controllers.push(controller);
          await controller.start();
        }),
      );
      const added = await Promise.all(
        FLEET_REGIONS.map((r) =>
          slipwayCliAsync(
            ['cluster', 'add', r.cluster, '-n', namespace, '--label', `region=${r.region}`],
            kubeconfig,
          ),
        ),
      );
      for (const r of added) assert.equal(r.code, 0, r.stderr);
      await client.patch(
        { apiVersion: 'v1', kind: 'Secret', namespace, name: await secretName(client, namespace, 'tokyo') },
        { stringData: { namespaces: namespace } },
        { type: 'merge' },
      );
      const servers = await registeredServers(client, namespace);
      for (const c of controllers)
        assert.ok(await c.waitReady(120_000), 'a workload controller became ready');
      const regions: PlacedRegion[] = FLEET_REGIONS.map((r) => {
        const server = servers.get(r.cluster);
        assert.ok(server, `cluster ${r.cluster} registered`);
        if (r.cluster === 'tokyo') return { ...r, server, namespace, client: testClient() };
        const c = workloadClusters.find((x) => x.name === r.cluster)!;
        assert.equal(server, c.server);
        const admin = c.client();
        clients.push(admin);
        return { ...r, server, namespace: WORKLOAD_NS, client: admin };
      });
      clients.push(regions[0]!.client);
      assert.notEqual(regions[0]!.server, 'https://kubernetes.default.svc', 'tokyo is registered by its URL');
      return {
        regions,
        workloadControllers: controllers,
        logs: workloadClusters.map((c) => join(tmp, `controller-${c.name}.log`)),
        dispose,
      };
    } catch (err) {
      await dispose();
      throw err;
    }
  },
});

async function registeredSecrets(client: KubeClient, namespace: string): Promise<SecretObject[]> {
  const { items } = await client.listAll<SecretObject>(
    { apiVersion: 'v1', kind: 'Secret' },
    { namespace, labelSelector: 'argocd.argoproj.io/secret-type=cluster' },
  );
  return items;
}

async function secretName(client: KubeClient, namespace: string, cluster: string): Promise<string> {
  const secret = (await registeredSecrets(client, namespace)).find(
    (s) => clusterFromSecret(s).name === cluster,
  );
  assert.ok(secret?.metadata.name, `a cluster Secret for ${cluster}`);
  return secret.metadata.name;
}

/** Cluster name → server URL, as `slipway cluster add` registered them. */
async function registeredServers(client: KubeClient, namespace: string): Promise<Map<string, string>> {
  return new Map(
    (await registeredSecrets(client, namespace)).map((s) => {
      const c = clusterFromSecret(s);
      return [c.name, c.server] as const;
    }),
  );
}
