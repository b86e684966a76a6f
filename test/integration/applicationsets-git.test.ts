import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApplicationSetHarness,
  applicationSet,
  configMapYaml,
  getObject,
  IN_CLUSTER,
  isSyncedHealthy,
  listApps,
  waitForAppSet,
  waitForApps,
} from '../support/git/applicationset-harness.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// The git generators over a real repository (directories with an exclude, JSON/YAML config files)
// and a matrix of cluster Secrets × directories. New commits are picked up at the generator's
// requeueAfterSeconds; a cluster Secret appearing re-generates at once.

const cm = (name: string) => configMapYaml(name, { from: name });

function layout(): Record<string, string> {
  return {
    'apps/guestbook/cm.yaml': cm('guestbook'),
    'apps/billing/cm.yaml': cm('billing'),
    'apps/excluded/cm.yaml': cm('excluded'),
    'apps/.hidden/cm.yaml': cm('hidden'),
    'envs/dev/config.json': JSON.stringify({ env: { name: 'dev', tier: 'low' } }),
    'envs/dev/cm.yaml': cm('env-dev'),
    'envs/prod/config.yaml': 'env: {name: prod, tier: high}\n',
    'envs/prod/cm.yaml': cm('env-prod'),
  };
}

describe('applicationsets: git generators and a matrix over a real repository', () => {
  let h: ApplicationSetHarness;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  const names = async (prefix: string) =>
    (await listApps(h.client, ns.name)).map((a) => a.metadata.name ?? '').filter((n) => n.startsWith(prefix));

  before(async () => {
    repo = TestRepo.create(layout());
    ns = await testNamespace(testClient(), 'appset-git');
    h = await ApplicationSetHarness.start(ns.name);
  });
  after(async () => {
    await h?.stop();
    await ns?.delete();
    repo?.dispose();
  });

  it('git directories: one Application per directory, the excluded and hidden ones left out; commits followed', async () => {
    await h.client.create(
      applicationSet(ns.name, 'dirs', {
        generators: [
          {
            git: {
              repoURL: repo.url,
              revision: 'HEAD',
              requeueAfterSeconds: 1,
              directories: [{ path: 'apps/*' }, { path: 'apps/excluded', exclude: true }],
            },
          },
        ],
        template: {
          metadata: { name: 'dir-{{path.basename}}' },
          spec: {
            project: 'default',
            source: { repoURL: repo.url, targetRevision: 'HEAD', path: '{{path}}' },
            destination: { server: IN_CLUSTER, namespace: ns.name },
            syncPolicy: { automated: { prune: true } },
          },
        },
      }),
    );
    await waitForApps(h.client, ns.name, 'guestbook and billing synced', (as) => {
      const dirs = as.filter((a) => a.metadata.name?.startsWith('dir-'));
      return (
        dirs.map((a) => a.metadata.name).join(',') === 'dir-billing,dir-guestbook' &&
        dirs.every(isSyncedHealthy)
      );
    });
    assert.equal(
      (await getObject(h.client, 'v1', 'ConfigMap', ns.name, 'guestbook'))?.data?.from,
      'guestbook',
    );
    repo.write({ 'apps/search/cm.yaml': cm('search') });
    repo.remove('apps/billing');
    repo.commit('add search, drop billing');
    await eventually(
      'search added and billing removed',
      async () => (await names('dir-')).join(',') === 'dir-guestbook,dir-search',
      90_000,
    );
    await eventually(
      "billing's ConfigMap deleted with its Application",
      async () => (await getObject(h.client, 'v1', 'ConfigMap', ns.name, 'billing')) === undefined,
      90_000,
    );
  });

  it('git files: parameters from JSON and YAML files, flattened, with the path parameters', async () => {
    await h.client.create(
      applicationSet(ns.name, 'files', {
        generators: [{ git: { repoURL: repo.url, revision: 'HEAD', files: [{ path: 'envs/*/config.*' }] } }],
        template: {
          metadata: { name: 'env-{{env.name}}', labels: { tier: '{{env.tier}}', dir: '{{path.basename}}' } },
          spec: {
            project: 'default',
            source: {
              repoURL: repo.url,
              targetRevision: 'HEAD',
              path: '{{path}}',
              directory: { include: 'cm.yaml' },
            },
            destination: { server: IN_CLUSTER, namespace: ns.name },
            syncPolicy: { automated: { prune: true } },
          },
        },
      }),
    );
    const apps = await waitForApps(h.client, ns.name, 'env-dev and env-prod synced', (as) => {
      const envs = as.filter((a) => a.metadata.name?.startsWith('env-'));
      return envs.length === 2 && envs.every(isSyncedHealthy);
    });
    const envs = apps.filter((a) => a.metadata.name?.startsWith('env-'));
    assert.deepEqual(
      envs.map(
        (a) =>
          `${a.metadata.name}:${a.metadata.labels?.tier}:${a.metadata.labels?.dir}:${a.spec.source?.path}`,
      ),
      ['env-dev:low:dev:envs/dev', 'env-prod:high:prod:envs/prod'],
    );
    assert.equal((await getObject(h.client, 'v1', 'ConfigMap', ns.name, 'env-prod'))?.data?.from, 'env-prod');
  });

  it('matrix: cluster Secrets × directories, a new cluster Secret generates its Applications', async () => {
    const secret = (name: string, env: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `cluster-${name}`,
        namespace: ns.name,
        labels: { 'argocd.argoproj.io/secret-type': 'cluster', env },
      },
      stringData: { name, server: `https://${name}.example.com`, config: '{}' },
    });
    await h.client.create(secret('tokyo', 'prod'));
    await h.client.create(secret('lab', 'test'));
    await h.client.create(
      applicationSet(ns.name, 'matrix', {
        generators: [
          {
            matrix: {
              generators: [
                { clusters: { selector: { matchLabels: { env: 'prod' } } } },
                {
                  git: {
                    repoURL: repo.url,
                    revision: 'HEAD',
                    directories: [{ path: 'apps/*' }, { path: 'apps/excluded', exclude: true }],
                  },
                },
              ],
            },
          },
        ],
        template: {
          metadata: { name: 'mx-{{name}}-{{path.basename}}' },
          spec: {
            project: 'default',
            source: { repoURL: repo.url, targetRevision: 'HEAD', path: '{{path}}' },
            destination: { server: '{{server}}', namespace: 'addons' },
          },
        },
      }),
    );
    await eventually(
      'the tokyo × directories Applications',
      async () => (await names('mx-')).join(',') === 'mx-tokyo-guestbook,mx-tokyo-search',
      90_000,
    );
    const tokyo = (await listApps(h.client, ns.name)).find((a) => a.metadata.name === 'mx-tokyo-guestbook');
    assert.equal(tokyo?.spec.destination.server, 'https://tokyo.example.com');
    await h.client.create(secret('osaka', 'prod'));
    await eventually(
      'osaka added by the Secret watch',
      async () =>
        (await names('mx-')).join(',') ===
        'mx-osaka-guestbook,mx-osaka-search,mx-tokyo-guestbook,mx-tokyo-search',
      60_000,
    );
    await h.client.delete({ apiVersion: 'v1', kind: 'Secret', namespace: ns.name, name: 'cluster-tokyo' });
    await eventually(
      'tokyo removed with its Secret',
      async () => (await names('mx-')).join(',') === 'mx-osaka-guestbook,mx-osaka-search',
      60_000,
    );
    const s = await waitForAppSet(
      h.client,
      ns.name,
      'matrix',
      'up to date with two resources (deleted ones stay listed until their finalizer is done)',
      (a) =>
        a.status?.conditions?.some((c) => c.type === 'ResourcesUpToDate' && c.status === 'True') === true &&
        a.status.resourcesCount === 2,
    );
    assert.equal(s.status?.resourcesCount, 2);
  });
});
