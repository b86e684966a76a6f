import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kustomization } from '../../src/flux/index.js';
import { isNotFound, type KubeObject } from '../../src/kube/index.js';
import {
  condition,
  FluxHarness,
  gitRepository,
  kustomization,
  waitForKustomization,
} from '../support/flux/flux-harness.js';
import { GitHttpServer } from '../support/flux/git-http-server.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// A Kustomization with serviceAccountName applies as that ServiceAccount (allowed in one namespace,
// refused with Flux's message in another), and kustomize-controller's per-object annotations
// (reconcile: disabled, ssa: Ignore / IfNotPresent, prune: disabled, force: enabled) hold across a
// change in Git.

const K = 'kustomize.toolkit.fluxcd.io';
type Cm = KubeObject & { data?: Record<string, string> };
function cm(
  name: string,
  data: Record<string, string>,
  annotations: Record<string, string> = {},
  extra = '',
) {
  const meta = Object.keys(annotations).length > 0 ? `, annotations: ${JSON.stringify(annotations)}` : '';
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}${meta}}\ndata: ${JSON.stringify(data)}\n${extra}`;
}
function annotated(round: number): Record<string, string> {
  const v = { v: `git-${round}` };
  return {
    'annotated/disabled.yaml': cm('disabled', v, { [`${K}/reconcile`]: 'disabled' }),
    'annotated/ignored.yaml': cm('ignored', v, { [`${K}/ssa`]: 'Ignore' }),
    'annotated/once.yaml': cm('once', v, { [`${K}/ssa`]: 'IfNotPresent' }),
    'annotated/merged.yaml': cm('merged', v, { [`${K}/ssa`]: 'Merge' }),
    'annotated/frozen.yaml': cm('frozen', v, { [`${K}/force`]: 'enabled' }, 'immutable: true\n'),
    ...(round === 1 && {
      'annotated/keep.yaml': cm('keep', v, { [`${K}/prune`]: 'disabled' }),
      'annotated/gone.yaml': cm('gone', v),
    }),
  };
}

describe('flux: serviceAccountName and per-object annotations', { timeout: 600_000 }, () => {
  let h: FluxHarness;
  let ns: { name: string; delete(): Promise<void> };
  let tenant: { name: string; delete(): Promise<void> };
  let other: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let server: GitHttpServer;
  const revision = () => `main@sha1:${repo.head()}`;
  const getCm = async (namespace: string, name: string) => {
    try {
      return await h.client.get<Cm>({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const ready = (k: Kustomization) =>
    condition(k, 'Ready')?.status === 'True' && k.status?.lastAppliedRevision === revision();

  before(async () => {
    const client = testClient();
    ns = await testNamespace(client, 'flux-tenants');
    tenant = await testNamespace(client, 'flux-tenant');
    other = await testNamespace(client, 'flux-other');
    repo = TestRepo.create({ 'tenant/app.yaml': cm('tenant-app', { owner: 'tenant' }), ...annotated(1) });
    server = await GitHttpServer.start(repo);
    h = await FluxHarness.start(ns.name);
    // the tenant's account may manage ConfigMaps in its own namespace only
    await h.client.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'tenant-deployer', namespace: ns.name },
    });
    await h.client.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'configmaps', namespace: tenant.name },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }],
    });
    await h.client.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'tenant-deployer', namespace: tenant.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmaps' },
      subjects: [{ kind: 'ServiceAccount', name: 'tenant-deployer', namespace: ns.name }],
    });
    // in the cluster before Flux: reconcile disabled in Git keeps this one as it is
    await h.client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'disabled', namespace: other.name },
      data: { v: 'cluster' },
    });
    await h.client.create(
      gitRepository(ns.name, 'repo', { interval: '1s', url: server.url, ref: { branch: 'main' } }),
    );
    const common = { sourceRef: { kind: 'GitRepository', name: 'repo' }, interval: '2s', prune: true };
    await h.client.create(
      kustomization(ns.name, 'tenant-app', {
        ...common,
        path: './tenant',
        targetNamespace: tenant.name,
        serviceAccountName: 'tenant-deployer',
        wait: true,
        timeout: '1m',
      }),
    );
    await h.client.create(
      kustomization(ns.name, 'tenant-escape', {
        ...common,
        path: './tenant',
        targetNamespace: other.name,
        serviceAccountName: 'tenant-deployer',
      }),
    );
    await h.client.create(
      kustomization(ns.name, 'annotated', { ...common, path: './annotated', targetNamespace: other.name }),
    );
  });
  after(async () => {
    await h?.stop();
    for (const n of [ns, tenant, other]) await n?.delete();
    await server?.close();
    repo?.dispose();
  });

  it('applies and health-checks as the ServiceAccount where it may', async () => {
    await waitForKustomization(h.client, ns.name, 'tenant-app', 'tenant-app Ready', ready, 120_000);
    const applied = await getCm(tenant.name, 'tenant-app');
    assert.equal(applied?.data?.owner, 'tenant');
  });

  it("refuses where it may not, with Flux's reason and message", async () => {
    const k = await waitForKustomization(
      h.client,
      ns.name,
      'tenant-escape',
      'tenant-escape failed',
      (k) => condition(k, 'Ready')?.reason === 'ReconciliationFailed',
      120_000,
    );
    assert.equal(condition(k, 'Ready')?.status, 'False');
    const message = condition(k, 'Ready')?.message ?? '';
    assert.match(message, new RegExp(`^ConfigMap/${other.name}/tenant-app dry-run failed \\(Forbidden\\): `));
    assert.match(message, new RegExp(`User "system:serviceaccount:${ns.name}:tenant-deployer" cannot`));
    assert.equal(await getCm(other.name, 'tenant-app'), undefined);
  });

  it('honours the per-object annotations across a change in Git', async () => {
    const first = await waitForKustomization(
      h.client,
      ns.name,
      'annotated',
      'annotated Ready',
      ready,
      120_000,
    );
    assert.equal((await getCm(other.name, 'disabled'))?.data?.v, 'cluster');
    assert.equal(await getCm(other.name, 'ignored'), undefined);
    assert.equal((await getCm(other.name, 'once'))?.data?.v, 'git-1');
    const ids = (first.status?.inventory?.entries ?? []).map((e) => e.id);
    for (const name of ['disabled', 'ignored', 'once', 'keep', 'gone'])
      assert.ok(ids.includes(`${other.name}_${name}__ConfigMap`), `${name} in the inventory`);
    const frozenUid = (await getCm(other.name, 'frozen'))?.metadata.uid;
    assert.ok(frozenUid);

    repo.remove('annotated/keep.yaml');
    repo.remove('annotated/gone.yaml');
    repo.write(annotated(2));
    server.commit('round 2');
    await waitForKustomization(h.client, ns.name, 'annotated', 'annotated at round 2', ready, 120_000);
    assert.equal((await getCm(other.name, 'disabled'))?.data?.v, 'cluster');
    assert.equal(await getCm(other.name, 'ignored'), undefined);
    assert.equal((await getCm(other.name, 'once'))?.data?.v, 'git-1', 'IfNotPresent never updates');
    assert.equal((await getCm(other.name, 'merged'))?.data?.v, 'git-2');
    assert.equal((await getCm(other.name, 'keep'))?.data?.v, 'git-1', 'prune disabled keeps it');
    await eventually('gone pruned', async () => (await getCm(other.name, 'gone')) === undefined, 60_000);
    const frozen = await getCm(other.name, 'frozen');
    assert.equal(frozen?.data?.v, 'git-2', 'an immutable ConfigMap recreated by force');
    assert.notEqual(frozen?.metadata.uid, frozenUid);
  });
});
