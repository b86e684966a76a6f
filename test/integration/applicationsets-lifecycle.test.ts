import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Application } from '../../src/sync/index.js';
import {
  APPSET,
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

// applicationsSync policies (create-only, create-update, create-delete; `sync` is the seed test's
// default) and deleting an ApplicationSet with and without preserveResourcesOnDeletion.

describe('applicationsets: applicationsSync policies and deletion', () => {
  let h: ApplicationSetHarness;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  const spec = (
    policy: string | undefined,
    prefix: string,
    elements: string[],
    label: string,
    extra = {},
  ) => ({
    generators: [{ list: { elements: elements.map((e) => ({ e })) } }],
    template: {
      metadata: { name: `${prefix}-{{e}}`, labels: { round: label } },
      spec: {
        project: 'default',
        source: { repoURL: repo.url, targetRevision: 'HEAD', path: '{{e}}' },
        destination: { server: IN_CLUSTER, namespace: ns.name },
        syncPolicy: { automated: { prune: true } },
      },
    },
    ...(policy !== undefined && { syncPolicy: { applicationsSync: policy, ...extra } }),
    ...(policy === undefined && Object.keys(extra).length > 0 && { syncPolicy: extra }),
  });
  const mine = async (prefix: string) =>
    (await listApps(h.client, ns.name)).filter((a) => a.metadata.name?.startsWith(`${prefix}-`));
  const summary = (apps: Application[]) =>
    apps.map((a) => `${a.metadata.name}:${a.metadata.labels?.round}`).join(',');
  const replaceSpec = (name: string, s: unknown) =>
    h.client.patch({ ...APPSET, namespace: ns.name, name }, [{ op: 'replace', path: '/spec', value: s }], {
      type: 'json',
    });
  /** Waits until the ApplicationSet has looked at its latest spec. */
  const settled = (name: string) =>
    waitForAppSet(
      h.client,
      ns.name,
      name,
      'reconciled',
      (s) =>
        s.status?.conditions?.some((c) => c.type === 'ResourcesUpToDate' && c.status === 'True') === true,
    );

  before(async () => {
    const files: Record<string, string> = {};
    for (const e of ['a', 'b', 'c', 'd', 'e']) files[`${e}/cm.yaml`] = configMapYaml(`cm-${e}`, { e });
    repo = TestRepo.create(files);
    ns = await testNamespace(testClient(), 'appset-life');
    h = await ApplicationSetHarness.start(ns.name);
  });
  after(async () => {
    await h?.stop();
    await ns?.delete();
    repo?.dispose();
  });

  for (const [policy, updates, deletes] of [
    ['create-only', false, false],
    ['create-update', true, false],
    ['create-delete', false, true],
  ] as const) {
    it(`${policy}: ${updates ? 'updates' : 'does not update'}, ${deletes ? 'deletes' : 'does not delete'}`, async () => {
      const prefix = policy;
      await h.client.create(applicationSet(ns.name, policy, spec(policy, prefix, ['a', 'b'], 'one')));
      await eventually(
        'two Applications',
        async () => summary(await mine(prefix)) === `${prefix}-a:one,${prefix}-b:one`,
        60_000,
      );
      // b leaves the generator, a's template changes, c is new
      await replaceSpec(policy, spec(policy, prefix, ['a', 'c'], 'two'));
      await eventually(
        `${prefix}-c created`,
        async () => (await mine(prefix)).some((a) => a.metadata.name === `${prefix}-c`),
        60_000,
      );
      await settled(policy);
      // a second look after the ApplicationSet's status said it was done
      await new Promise((r) => setTimeout(r, 1_000));
      const expected = [
        `${prefix}-a:${updates ? 'two' : 'one'}`,
        ...(deletes ? [] : [`${prefix}-b:one`]),
        `${prefix}-c:two`,
      ].join(',');
      await eventually(
        `Applications ${expected}`,
        async () => summary(await mine(prefix)) === expected,
        60_000,
      );
    });
  }

  it('deleting an ApplicationSet deletes its Applications and their resources', async () => {
    await h.client.create(applicationSet(ns.name, 'gone', spec(undefined, 'gone', ['d'], 'one')));
    await waitForApps(h.client, ns.name, 'gone-d synced', (as) =>
      as.some((a) => a.metadata.name === 'gone-d' && isSyncedHealthy(a)),
    );
    assert.equal((await getObject(h.client, 'v1', 'ConfigMap', ns.name, 'cm-d'))?.data?.e, 'd');
    await h.client.delete({ ...APPSET, namespace: ns.name, name: 'gone' });
    await eventually('gone-d deleted', async () => (await mine('gone')).length === 0, 90_000);
    await eventually(
      'cm-d deleted',
      async () => (await getObject(h.client, 'v1', 'ConfigMap', ns.name, 'cm-d')) === undefined,
      90_000,
    );
  });

  it('preserveResourcesOnDeletion: the Applications go, their resources stay', async () => {
    await h.client.create(
      applicationSet(
        ns.name,
        'kept',
        spec(undefined, 'kept', ['e'], 'one', { preserveResourcesOnDeletion: true }),
      ),
    );
    const [app] = await waitForApps(h.client, ns.name, 'kept-e synced', (as) =>
      as.some((a) => a.metadata.name === 'kept-e' && isSyncedHealthy(a)),
    ).then((as) => as.filter((a) => a.metadata.name === 'kept-e'));
    assert.equal(app?.metadata.finalizers, undefined, 'no resources finalizer');
    await h.client.delete({ ...APPSET, namespace: ns.name, name: 'kept' });
    await eventually('kept-e deleted', async () => (await mine('kept')).length === 0, 90_000);
    // the garbage collector and the Application controller have had their chance
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal((await getObject(h.client, 'v1', 'ConfigMap', ns.name, 'cm-e'))?.data?.e, 'e');
  });
});
