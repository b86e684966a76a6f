import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { clusterFromSecret, type SecretObject } from '../../src/clusters/index.js';
import { installCrds } from '../../src/install/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { ExtraTestCluster, writeMergedKubeconfig } from '../support/cluster/extra.js';
import { slipwayCli as slipway } from '../support/cluster/slipway-cli.js';
import { ShippedControllerProcess } from '../support/fixtures/shipped-controller-process.js';
import { TestRepo } from '../support/git/repo.js';
import { application } from '../support/git/sync-harness.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

// Fleets: two more local control planes (tokyo, ireland) next to the shared one, registered with
// `slipway cluster add` from a kubeconfig context each, as a platform team does. Applications deploy
// into them by destination.name and destination.server (and one ApplicationSet through the clusters
// generator); a stopped cluster turns its apps Unknown with the connection error while the other keeps
// syncing, and recovers by itself; the shipped controller killed (SIGKILL, SIGTERM) carries on.

const APP_GVK = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
const TARGET_NS = 'production';

const configMap = (name: string, data: Record<string, string>) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: ${JSON.stringify(data)}\n`;
const layout = (round: number) => ({
  'web/settings.yaml': configMap('web-settings', { round: String(round) }),
  'local/settings.yaml': configMap('local-settings', { round: String(round) }),
});

async function getData(client: KubeClient, namespace: string, name: string) {
  try {
    const cm = await client.get<KubeObject & { data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace,
      name,
    });
    return cm.data;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

describe('clusters: Applications deploy to clusters registered with `slipway cluster add`', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let tmp: string;
  let kubeconfig: string;
  let tokyo: ExtraTestCluster;
  let ireland: ExtraTestCluster;
  let tokyoClient: KubeClient;
  let irelandClient: KubeClient;
  let controller: ShippedControllerProcess | undefined;

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'clusters');
    [tokyo, ireland] = await Promise.all([
      ExtraTestCluster.start('tokyo'),
      ExtraTestCluster.start('ireland'),
    ]);
    tokyoClient = tokyo.client();
    irelandClient = ireland.client();
    tmp = mkdtempSync(join(tmpdir(), 'slipway-clusters-test-'));
    kubeconfig = join(tmp, 'kubeconfig');
    writeMergedKubeconfig(kubeconfig, { context: 'management', kubeconfigPath: testKubeconfigPath() }, [
      tokyo,
      ireland,
    ]);
    repo = TestRepo.create(layout(0));
  });
  after(async () => {
    for (const p of ShippedControllerProcess.all) await p.stop('SIGKILL');
    tokyoClient?.close();
    irelandClient?.close();
    await Promise.all([tokyo?.stop(), ireland?.stop()]);
    await ns?.delete();
    repo?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    client?.close();
  });

  const getApp = (name: string) => client.get<Application>({ ...APP_GVK, namespace: ns.name, name });
  const summary = (a: Application) =>
    JSON.stringify({
      sync: a.status?.sync?.status,
      rev: a.status?.sync?.revision?.slice(0, 7),
      health: a.status?.health?.status,
      op: a.status?.operationState?.phase,
      conditions: a.status?.conditions?.map((c) => `${c.type}: ${c.message}`),
    });
  /** Every app Synced and Healthy at `sha`, and its ConfigMap saying `round` in its cluster. */
  const waitSettled = async (
    apps: readonly { app: string; client: KubeClient; namespace: string; cm: string }[],
    sha: string,
    round: number,
    what: string,
  ) => {
    const last = new Map<string, string>();
    try {
      await eventually(
        what,
        async () => {
          for (const a of apps) {
            const app = await getApp(a.app);
            last.set(a.app, summary(app));
            if (app.status?.sync?.status !== 'Synced' || app.status.sync.revision !== sha) return false;
            if (app.status.health?.status !== 'Healthy') return false;
            if ((await getData(a.client, a.namespace, a.cm))?.round !== String(round)) return false;
          }
          return true;
        },
        120_000,
        250,
      );
    } catch (err) {
      const cms: Record<string, unknown> = {};
      for (const a of apps)
        cms[a.app] = await getData(a.client, a.namespace, a.cm).catch((e: Error) => e.message);
      throw new Error(
        `${(err as Error).message}; want ${sha.slice(0, 7)} round ${round}; last: ${JSON.stringify(Object.fromEntries(last))}; objects: ${JSON.stringify(cms)}`,
      );
    }
  };
  const startController = async () => {
    const p = await ShippedControllerProcess.start('sync,applicationsets', ns.name, {
      ...process.env,
      SLIPWAY_REPO_POLL_SECONDS: '1',
      SLIPWAY_SYNC_DIR: join(tmp, 'sync'),
    });
    // the controller's log next to the test's output when a scenario fails
    if (process.env.SLIPWAY_TEST_CONTROLLER_LOG)
      p.proc.stdout?.on('data', (chunk: string) =>
        appendFileSync(process.env.SLIPWAY_TEST_CONTROLLER_LOG!, chunk),
      );
    return p;
  };

  it('cluster add writes Argo CD cluster Secrets with the manager token; list shows them connected', async () => {
    for (const [context, label] of [
      ['tokyo', 'region=ap-northeast-1'],
      ['ireland', 'region=eu-west-1'],
    ] as const) {
      const r = slipway(
        ['cluster', 'add', context, '-n', ns.name, '--label', label, '--label', 'fleet=web'],
        kubeconfig,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Cluster 'https:\/\/127\.0\.0\.1:\d+' added/);
    }
    const { items } = await client.listAll<SecretObject>(
      { apiVersion: 'v1', kind: 'Secret' },
      { namespace: ns.name, labelSelector: 'argocd.argoproj.io/secret-type=cluster' },
    );
    const clusters = items.map(clusterFromSecret).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(
      clusters.map((c) => [c.name, c.server, c.labels.region]),
      [
        ['ireland', ireland.server, 'eu-west-1'],
        ['tokyo', tokyo.server, 'ap-northeast-1'],
      ],
    );
    for (const c of clusters) {
      assert.ok(c.config.bearerToken && c.config.bearerToken.length > 20, 'a bearer token');
      assert.ok(c.config.tlsClientConfig?.caData, 'the context CA');
      assert.equal(c.config.tlsClientConfig?.insecure, false);
    }
    // the manager account exists in the target, bound to every verb
    const sa = await tokyoClient.get({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      namespace: 'kube-system',
      name: 'argocd-manager',
    });
    assert.equal(sa.metadata.name, 'argocd-manager');
    const list = slipway(['cluster', 'list', '-n', ns.name], kubeconfig);
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trim().split('\n');
    // Argo CD's columns, then the Secret's shard pin (`argocd admin cluster shards` shows the pins; `argocd cluster list` does not)
    assert.match(lines[0]!, /^SERVER\s+NAME\s+VERSION\s+STATUS\s+MESSAGE\s+PROJECT\s+SHARD$/);
    for (const [name, server] of [
      ['tokyo', tokyo.server],
      ['ireland', ireland.server],
      ['in-cluster', 'https://kubernetes.default.svc'],
    ] as const)
      assert.ok(
        lines.some((l) =>
          new RegExp(`^${server.replaceAll('.', '\\.')}\\s+${name}\\s+1\\.\\d+\\s+Successful`).test(l),
        ),
        `${name} listed as Successful: ${list.stdout}`,
      );
  });

  it('syncs apps into the clusters by name, by server and through the clusters generator; a stopped cluster is Unknown with the connection error and recovers', async () => {
    const spec = (destination: Record<string, string>, path: string) => ({
      source: { repoURL: repo.url, targetRevision: 'HEAD', path },
      destination: { ...destination, namespace: TARGET_NS },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    });
    await client.create(application(ns.name, 'web-tokyo', spec({ name: 'tokyo' }, 'web')));
    const ireApp = application(ns.name, 'web-ireland', spec({ server: ireland.server }, 'web'));
    await client.create({
      ...ireApp,
      metadata: { ...ireApp.metadata, finalizers: ['resources-finalizer.argocd.argoproj.io'] },
    });
    await client.create(
      application(ns.name, 'local', {
        source: { repoURL: repo.url, targetRevision: 'HEAD', path: 'local' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      }),
    );
    await client.create(application(ns.name, 'web-mars', spec({ name: 'mars' }, 'web')));
    await client.create(
      application(ns.name, 'web-both', spec({ name: 'tokyo', server: tokyo.server }, 'web')),
    );
    // one app per registered cluster labelled fleet=web, deploying to the generator's server
    await client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'fleet', namespace: ns.name },
      spec: {
        generators: [{ clusters: { selector: { matchLabels: { fleet: 'web' } } } }],
        template: {
          metadata: { name: 'gen-{{name}}' },
          spec: {
            project: 'default',
            source: { repoURL: repo.url, targetRevision: 'HEAD', path: 'local' },
            destination: { server: '{{server}}', namespace: 'generated' },
            syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] },
          },
        },
      },
    } as KubeObject);
    controller = await startController();

    let sha = repo.head();
    const remoteApps = [
      { app: 'web-tokyo', client: tokyoClient, namespace: TARGET_NS, cm: 'web-settings' },
      { app: 'web-ireland', client: irelandClient, namespace: TARGET_NS, cm: 'web-settings' },
    ];
    const all = [
      ...remoteApps,
      { app: 'local', client, namespace: ns.name, cm: 'local-settings' },
      { app: 'gen-tokyo', client: tokyoClient, namespace: 'generated', cm: 'local-settings' },
      { app: 'gen-ireland', client: irelandClient, namespace: 'generated', cm: 'local-settings' },
    ];
    await waitSettled(all, sha, 0, 'every app synced into its cluster');
    // nothing of the remote apps landed in the management cluster
    assert.equal(await getData(client, TARGET_NS, 'web-settings'), undefined);

    // destinations naming no cluster: Argo CD's InvalidSpecError messages
    await eventually(
      'InvalidSpecError on the apps with a bad destination',
      async () => {
        const mars = await getApp('web-mars');
        const both = await getApp('web-both');
        const m = mars.status?.conditions?.find((c) => c.type === 'InvalidSpecError')?.message;
        const b = both.status?.conditions?.find((c) => c.type === 'InvalidSpecError')?.message;
        return (
          m === 'there are no clusters with this name: mars' &&
          b === `application destination can't have both name and server defined: tokyo ${tokyo.server}`
        );
      },
      60_000,
      250,
    );

    // tokyo goes away; a new commit reaches ireland and the in-cluster app regardless
    await tokyo.stopApiserver();
    repo.write(layout(1));
    sha = repo.commit('round 1');
    await eventually(
      'web-tokyo Unknown with the connection error',
      async () => {
        const a = await getApp('web-tokyo');
        const c = a.status?.conditions?.find((x) => x.type === 'ComparisonError');
        return (
          a.status?.sync?.status === 'Unknown' &&
          c?.message.startsWith(`Failed to load live state: failed to sync cluster ${tokyo.server}: `) &&
          /ECONNREFUSED|cannot reach/.test(c.message)
        );
      },
      120_000,
      250,
    );
    await waitSettled(
      all.filter((a) => a.client !== tokyoClient),
      sha,
      1,
      'the other clusters sync while tokyo is down',
    );
    const events = await client.listAll<KubeObject & { reason?: string; type?: string }>(
      { apiVersion: 'v1', kind: 'Event' },
      { namespace: ns.name, fieldSelector: 'involvedObject.name=web-tokyo' },
    );
    assert.ok(
      events.items.some((e) => e.reason === 'ComparisonError' && e.type === 'Warning'),
      'a Warning Event for the unreachable cluster',
    );
    const down = slipway(['cluster', 'list', '-n', ns.name], kubeconfig);
    assert.match(down.stdout, new RegExp(`${tokyo.server.replaceAll('.', '\\.')}\\s+tokyo\\s+Failed`));

    await tokyo.startApiserver();
    await waitSettled(all, sha, 1, 'tokyo recovers by itself');
  });

  it('carries on after SIGKILL and SIGTERM: new commits and drift in the remote clusters', async () => {
    const apps = [
      { app: 'web-tokyo', client: tokyoClient, namespace: TARGET_NS, cm: 'web-settings' },
      { app: 'web-ireland', client: irelandClient, namespace: TARGET_NS, cm: 'web-settings' },
      { app: 'local', client, namespace: ns.name, cm: 'local-settings' },
    ];
    for (const [i, signal] of (['SIGKILL', 'SIGTERM', 'SIGKILL'] as const).entries()) {
      const round = i + 2;
      repo.write(layout(round));
      const sha = repo.commit(`round ${round}`);
      // stop mid-way: right after the commit, before or while the controller syncs it
      await new Promise((r) => setTimeout(r, 1_500));
      await controller!.stop(signal);
      // drift in tokyo while no controller runs
      await tokyoClient.patch(
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: TARGET_NS, name: 'web-settings' },
        { data: { round: 'drifted' } },
        { type: 'merge' },
      );
      controller = await startController();
      await waitSettled(apps, sha, round, `round ${round} after ${signal}`);
    }
  });

  it('deleting an app with the resources finalizer deletes its objects in its cluster', async () => {
    await client.delete({ ...APP_GVK, namespace: ns.name, name: 'web-ireland' });
    await eventually(
      'web-ireland gone and its ConfigMap deleted in ireland',
      async () => {
        try {
          await getApp('web-ireland');
          return false;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        return (await getData(irelandClient, TARGET_NS, 'web-settings')) === undefined;
      },
      120_000,
      250,
    );
    // tokyo's copy is untouched
    assert.ok(await getData(tokyoClient, TARGET_NS, 'web-settings'));
  });

  it('cluster rm deletes the cluster Secret and, with --delete-service-account, the manager account', async () => {
    const r = slipway(['cluster', 'rm', 'ireland', '-n', ns.name, '--delete-service-account'], kubeconfig);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Cluster 'ireland' removed/);
    const list = slipway(['cluster', 'list', '-n', ns.name, '-o', 'json'], kubeconfig);
    assert.deepEqual((JSON.parse(list.stdout) as { name: string }[]).map((c) => c.name).sort(), [
      'in-cluster',
      'tokyo',
    ]);
    for (const kind of ['ServiceAccount', 'Secret'])
      await assert.rejects(
        irelandClient.get({
          apiVersion: 'v1',
          kind,
          namespace: 'kube-system',
          name: kind === 'Secret' ? 'argocd-manager-long-lived-token' : 'argocd-manager',
        }),
        (err: unknown) => isNotFound(err),
      );
    const missing = slipway(['cluster', 'rm', 'ireland', '-n', ns.name], kubeconfig);
    assert.equal(missing.code, 3);
  });
});
