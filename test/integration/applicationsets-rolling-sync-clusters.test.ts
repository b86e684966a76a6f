import assert from 'node:assert/strict';
import { join } from 'node:path';
import { clusterFromSecret, type SecretObject } from '../../src/clusters/index.js';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import { ControllerProcess } from '../support/chaos/controller-process.js';
import { ExtraTestCluster, writeMergedKubeconfig } from '../support/cluster/extra.js';
import { slipwayInProcess } from '../support/cluster/slipway-cli.js';
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
/** The management (shared) cluster's context, and tokyo's cluster name. */
const MANAGEMENT = 'tokyo';

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
    const t0 = Date.now();
    const progress = (m: string) =>
      process.stderr.write(`[rolling-sync-clusters] ${m} at +${Date.now() - t0} ms\n`);
    /** `slipway cluster add CONTEXT` from a kubeconfig with the management context (current) and CONTEXT. */
    const add = async (context: string, region: string, extra?: ExtraTestCluster) => {
      const kubeconfig = join(tmp, `kubeconfig-${context}`);
      writeMergedKubeconfig(
        kubeconfig,
        { context: MANAGEMENT, kubeconfigPath: testKubeconfigPath() },
        extra ? [extra] : [],
      );
      const code = await slipwayInProcess(
        ['cluster', 'add', context, '-n', namespace, '--label', `region=${region}`],
        kubeconfig,
      );
      assert.equal(code, 0, `slipway cluster add ${context}`);
      progress(`${context} added`);
    };
    try {
      // every cluster at once: tokyo (the management cluster) is added while the others start; each
      // other one gets Argo's CRDs, the destination namespace, its own Rollout controller, and is added
      const [tokyo, ...workloads] = FLEET_REGIONS;
      const started = await Promise.all([
        add(MANAGEMENT, tokyo!.region),
        ...workloads.map(async (r) => {
          const cluster = await ExtraTestCluster.start(r.cluster, { workloads: true });
          extras.push(cluster);
          progress(`${r.cluster} started`);
          const admin = cluster.client();
          clients.push(admin);
          await Promise.all([
            add(r.cluster, r.region, cluster),
            (async () => {
              await installCrds(admin);
              await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: WORKLOAD_NS } });
              const controller = new ControllerProcess({
                kubeconfigPath: cluster.kubeconfigPath,
                namespace: WORKLOAD_NS,
                controllers: WORKLOAD_CONTROLLERS,
                runtime: { kind: 'tsx' },
                env: { TMPDIR: tmp },
                logPath: join(tmp, `controller-${cluster.name}.log`),
              });
              controllers.push(controller);
              // not waited for: it becomes ready while the ApplicationSet's first sync runs
              await controller.start();
              progress(`${r.cluster}'s controller started`);
            })(),
          ]);
          return { region: r, cluster, admin };
        }),
      ]);
      await client.patch(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          namespace,
          name: await secretName(client, namespace, MANAGEMENT),
        },
        { stringData: { namespaces: namespace } },
        { type: 'merge' },
      );
      const servers = await registeredServers(client, namespace);
      const management = testClient();
      clients.push(management);
      const regions: PlacedRegion[] = FLEET_REGIONS.map((r) => {
        const server = servers.get(r.cluster);
        assert.ok(server, `cluster ${r.cluster} registered`);
        const workload = started.find((x) => x?.region === r);
        if (!workload) return { ...r, server, namespace, client: management };
        assert.equal(server, workload.cluster.server);
        return { ...r, server, namespace: WORKLOAD_NS, client: workload.admin };
      });
      assert.notEqual(regions[0]!.server, 'https://kubernetes.default.svc', 'tokyo is registered by its URL');
      return {
        regions,
        workloadControllers: controllers,
        logs: extras.map((c) => join(tmp, `controller-${c.name}.log`)),
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
