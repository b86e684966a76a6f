import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/core/index.js';
import type { Kustomization } from '../../src/flux/index.js';
import { isNotFound, type KubeObject } from '../../src/kube/index.js';
import { getRollout, startRolloutController } from '../support/fixtures/rollout-scenario.js';
import {
  condition,
  FluxHarness,
  getGitRepository,
  gitRepository,
  kustomization,
  waitForKustomization,
} from '../support/flux/flux-harness.js';
import { GitHttpServer } from '../support/flux/git-http-server.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

// The seeds' GitRepository + Kustomizations (issue 19's appendix, healthChecks on a Rollout instead of
// the Deployment) against a real local Git repository: dependsOn, patches, postBuild substitution,
// drift healed, prune, a broken kustomization reported as BuildFailed and recovered.

const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web-app}
spec:
  replicas: 1
  revisionHistoryLimit: 2
  selector: {matchLabels: {app: web-app}}
  template:
    metadata: {labels: {app: web-app}}
    spec:
      containers:
      - name: app
        image: argoproj/rollouts-demo:blue
        resources: {requests: {memory: 32Mi, cpu: 5m}}
  strategy: {canary: {steps: [{setWeight: 50}, {pause: {duration: 1s}}]}}
`;
const settings = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-app-settings}
data: {environment: "\${ENVIRONMENT}", region: "\${REGION:=eu-west-1}", literal: "$\${KEEP}"}
`;
const extra = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-app-extra}
data: {note: "leaves Git later"}
`;
const layout: Record<string, string> = {
  'infrastructure/platform.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: platform-config}
data: {tier: platform}
`,
  'production/web-app/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [rollout.yaml, settings.yaml, extra.yaml]
`,
  'production/web-app/rollout.yaml': rollout,
  'production/web-app/settings.yaml': settings,
  'production/web-app/extra.yaml': extra,
  '.github/workflows/ci.yaml': 'name: ci\n',
};

describe('flux: the seeds GitRepository and Kustomizations on the sync engine', { timeout: 600_000 }, () => {
  let h: FluxHarness;
  let rollouts: Manager;
  let ns: { name: string; delete(): Promise<void> };
  let prod: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let server: GitHttpServer;
  const revision = () => `main@sha1:${repo.head()}`;
  const getCm = async (name: string) => {
    try {
      return await h.client.get<KubeObject & { data?: Record<string, string> }>({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: prod.name,
        name,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const ready = (k: Kustomization, rev: string) =>
    condition(k, 'Ready')?.status === 'True' && k.status?.lastAppliedRevision === rev;

  before(async () => {
    const client = testClient();
    ns = await testNamespace(client, 'flux-system');
    prod = await testNamespace(client, 'flux-prod');
    repo = TestRepo.create(layout);
    server = await GitHttpServer.start(repo, { username: 'git', password: 'not-a-real-token' });
    h = await FluxHarness.start(ns.name);
    rollouts = await startRolloutController(client, prod.name);
    await h.client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'github-token', namespace: ns.name },
      stringData: { username: 'git', password: 'not-a-real-token' },
    });
    await h.client.create(
      gitRepository(ns.name, 'k8s-manifests', {
        interval: '2s',
        url: server.url,
        ref: { branch: 'main' },
        secretRef: { name: 'github-token' },
        ignore: '.github/\n',
      }),
    );
    // web-app first: it must wait for infrastructure
    await h.client.create(
      kustomization(ns.name, 'web-app', {
        sourceRef: { kind: 'GitRepository', name: 'k8s-manifests' },
        path: './production/web-app',
        interval: '3s',
        prune: true,
        wait: false,
        timeout: '2m',
        targetNamespace: prod.name,
        dependsOn: [{ name: 'infrastructure' }],
        healthChecks: [
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web-app', namespace: prod.name },
        ],
        patches: [
          {
            patch: '- op: replace\n  path: /spec/replicas\n  value: 2\n',
            target: { kind: 'Rollout', name: 'web-app' },
          },
        ],
        postBuild: { substitute: { ENVIRONMENT: 'production' } },
      }),
    );
  });
  after(async () => {
    await rollouts?.stop();
    await h?.stop();
    await ns?.delete();
    await prod?.delete();
    await server?.close();
    repo?.dispose();
  });

  it('stores the artifact as source-controller reports it', async () => {
    const src = await eventually(
      'GitRepository Ready',
      async () => {
        const g = await getGitRepository(h.client, ns.name, 'k8s-manifests');
        return condition(g, 'Ready')?.status === 'True' ? g : undefined;
      },
      60_000,
    );
    const a = src.status?.artifact;
    assert.equal(a?.revision, revision());
    assert.match(a?.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal(a?.path, `gitrepository/${ns.name}/k8s-manifests/${repo.head()}.tar.gz`);
    assert.equal(condition(src, 'Ready')?.reason, 'Succeeded');
    assert.equal(condition(src, 'Ready')?.message, `stored artifact for revision '${revision()}'`);
    assert.equal(condition(src, 'ArtifactInStorage')?.status, 'True');
    assert.equal(src.status?.observedGeneration, src.metadata.generation);
  });

  it('holds web-app back with DependencyNotReady until infrastructure is ready', async () => {
    const k = await waitForKustomization(
      h.client,
      ns.name,
      'web-app',
      'DependencyNotReady',
      (k) => condition(k, 'Ready')?.reason === 'DependencyNotReady',
    );
    assert.equal(condition(k, 'Ready')?.status, 'False');
    assert.match(
      condition(k, 'Ready')?.message ?? '',
      new RegExp(`dependency '${ns.name}/infrastructure' not found`),
    );
    assert.equal(await getCm('web-app-settings'), undefined);
    await h.client.create(
      kustomization(ns.name, 'infrastructure', {
        sourceRef: { kind: 'GitRepository', name: 'k8s-manifests' },
        path: './infrastructure',
        interval: '1m',
        prune: true,
        targetNamespace: prod.name,
      }),
    );
    const infra = await waitForKustomization(
      h.client,
      ns.name,
      'infrastructure',
      'infrastructure Ready',
      (k) => ready(k, revision()),
    );
    assert.equal(condition(infra, 'Ready')?.reason, 'ReconciliationSucceeded');
    assert.equal(condition(infra, 'Ready')?.message, `Applied revision: ${revision()}`);
    assert.deepEqual(infra.status?.inventory?.entries, [
      { id: `${prod.name}_platform-config__ConfigMap`, v: 'v1' },
    ]);
  });

  it('applies web-app with its patch and substitution and waits for the Rollout to be healthy', async () => {
    const k = await waitForKustomization(
      h.client,
      ns.name,
      'web-app',
      'web-app Ready and Healthy',
      (k) => ready(k, revision()) && condition(k, 'Healthy')?.status === 'True',
      120_000,
    );
    assert.equal(k.status?.lastAttemptedRevision, revision());
    assert.equal(k.status?.observedGeneration, k.metadata.generation);
    assert.equal(condition(k, 'Reconciling'), undefined);
    assert.deepEqual(k.status?.inventory?.entries.map((e) => e.id).sort(), [
      `${prod.name}_web-app-extra__ConfigMap`,
      `${prod.name}_web-app-settings__ConfigMap`,
      `${prod.name}_web-app_argoproj.io_Rollout`,
    ]);
    const r = await getRollout(h.client, prod.name, 'web-app');
    assert.equal(r.spec?.replicas, 2);
    assert.equal(r.metadata.labels?.['kustomize.toolkit.fluxcd.io/name'], 'web-app');
    assert.equal(r.metadata.labels?.['kustomize.toolkit.fluxcd.io/namespace'], ns.name);
    const cm = await getCm('web-app-settings');
    assert.deepEqual(cm?.data, {
      environment: 'production',
      region: 'eu-west-1',
      literal: ['$', '{KEEP}'].join(''),
    });
  });

  it('heals drift on the next interval', async () => {
    await h.client.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: prod.name, name: 'web-app-settings' },
      { data: { environment: 'edited-by-hand' } },
      { type: 'merge', fieldManager: 'kubectl-edit' },
    );
    await eventually(
      'the edit reverted',
      async () => (await getCm('web-app-settings'))?.data?.environment === 'production',
      60_000,
      250,
    );
  });

  it('prunes what left Git', async () => {
    repo.remove('production/web-app/extra.yaml');
    repo.write({
      'production/web-app/kustomization.yaml': layout['production/web-app/kustomization.yaml']!.replace(
        ', extra.yaml',
        '',
      ),
    });
    server.commit('drop web-app-extra');
    const k = await waitForKustomization(h.client, ns.name, 'web-app', 'applied the new commit', (k) =>
      ready(k, revision()),
    );
    assert.equal(await getCm('web-app-extra'), undefined);
    assert.ok(!k.status?.inventory?.entries.some((e) => e.id.includes('web-app-extra')));
  });

  it('reports a broken kustomization as BuildFailed, keeps the last applied revision, then recovers', async () => {
    const good = revision();
    repo.write({
      'production/web-app/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [rollout.yaml, missing.yaml]\n',
    });
    server.commit('break web-app');
    const broken = revision();
    const k = await waitForKustomization(
      h.client,
      ns.name,
      'web-app',
      'BuildFailed',
      (k) => condition(k, 'Ready')?.reason === 'BuildFailed',
    );
    assert.equal(condition(k, 'Ready')?.status, 'False');
    assert.match(condition(k, 'Ready')?.message ?? '', /missing\.yaml/);
    assert.equal(k.status?.lastAttemptedRevision, broken);
    assert.equal(k.status?.lastAppliedRevision, good);
    assert.equal(condition(k, 'Reconciling')?.reason ?? 'ProgressingWithRetry', 'ProgressingWithRetry');
    const events = await h.client.list<
      KubeObject & { reason?: string; type?: string; involvedObject?: { name?: string } }
    >({ apiVersion: 'v1', kind: 'Event' }, { namespace: ns.name });
    assert.ok(
      events.items.some(
        (e) => e.reason === 'BuildFailed' && e.type === 'Warning' && e.involvedObject?.name === 'web-app',
      ),
    );
    // the objects of the last good revision stay
    assert.ok(await getCm('web-app-settings'));
    repo.write({
      'production/web-app/kustomization.yaml': layout['production/web-app/kustomization.yaml']!.replace(
        ', extra.yaml',
        '',
      ),
    });
    server.commit('fix web-app');
    await waitForKustomization(h.client, ns.name, 'web-app', 'recovered', (k) => ready(k, revision()));
  });
});
