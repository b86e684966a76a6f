import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isNotFound, type KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { TestRepo } from '../support/git/repo.js';
import { application, SyncHarness } from '../support/git/sync-harness.js';
import { testClient, testNamespace } from '../support/kube.js';

const job = (name: string, hook: string, extra = '') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations:
    argocd.argoproj.io/hook: ${hook}
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  backoffLimit: 0
${extra}  template:
    spec:
      restartPolicy: Never
${extra ? '      nodeSelector: {slipway.dev/no-such-node: "true"}\n' : ''}      containers: [{name: migrate, image: myorg/migrate:1}]
`;
const cm = (name: string, annotations = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${annotations ? `  annotations:\n${annotations}` : ''}data: {k: v}
`;
const deployment = (name: string, wave: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations: {argocd.argoproj.io/sync-wave: "${wave}"}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: "nginx:1"}]}
`;

describe('sync: hooks, waves and bad input', () => {
  let h: SyncHarness;
  let ns: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  const exists = async (kind: string, apiVersion: string, name: string) => {
    try {
      return await h.client.get({ apiVersion, kind, namespace: ns.name, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const create = (name: string, path: string, extra: Record<string, unknown> = {}, repoURL = repo.url) =>
    h.client.create(
      application(ns.name, name, {
        source: { repoURL, targetRevision: 'HEAD', path },
        syncPolicy: { automated: { prune: true } },
        ...extra,
      }),
    );
  const conditionOf = (a: Application, type: string) =>
    a.status?.conditions?.find((c) => c.type === type)?.message ?? '';

  before(async () => {
    repo = TestRepo.create({
      'hooks-ok/migrate.yaml': job('migrate', 'PreSync'),
      'hooks-ok/config.yaml': cm('app-config'),
      'hooks-ok/web.yaml': deployment('web', 1),
      'hooks-fail/migrate.yaml': job('migrate-fail', 'PreSync', '  activeDeadlineSeconds: 2\n'),
      'hooks-fail/config.yaml': cm('never-created'),
      'hooks-fail/on-fail.yaml': cm('sync-failed-marker', '    argocd.argoproj.io/hook: SyncFail\n'),
      'bad-yaml/good.yaml': cm('bad-yaml-good'),
      'rejected/good.yaml': cm('rejected-good'),
      'rejected/bad.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: bad-service}\nspec: {ports: [{port: 99999}]}\n',
      'missing-base/kustomization.yaml': 'resources:\n- ../no-such-base\n',
      'rollout/rollout.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web-rollout}}
  template:
    metadata: {labels: {app: web-rollout}}
    spec: {containers: [{name: web, image: "nginx:1"}]}
  strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
`,
    });
    ns = await testNamespace(testClient(), 'sync-hooks');
    h = await SyncHarness.start(ns.name);
  });
  after(async () => {
    await h?.stop();
    await ns?.delete();
    repo?.dispose();
  });

  it('runs a PreSync Job to completion before wave 0, then later waves', async () => {
    await create('hooks-ok', 'hooks-ok');
    const app = await h.waitForApp(
      ns.name,
      'hooks-ok',
      'sync succeeded',
      (a) => a.status?.operationState?.phase === 'Succeeded',
      90_000,
    );
    const results = app.status?.operationState?.syncResult?.resources ?? [];
    const hook = results.find((r) => r.kind === 'Job');
    assert.equal(hook?.hookType, 'PreSync');
    assert.equal(hook?.hookPhase, 'Succeeded');
    const order = results.map((r) => `${r.kind}/${r.name}`);
    assert.deepEqual(order, ['Job/migrate', 'ConfigMap/app-config', 'Deployment/web']);
    const migrate = (await exists('Job', 'batch/v1', 'migrate')) as KubeObject & {
      status: { completionTime?: string };
    };
    const config = (await exists('ConfigMap', 'v1', 'app-config'))!;
    assert.ok(
      Date.parse(migrate.status.completionTime ?? '') <= Date.parse(config.metadata.creationTimestamp ?? ''),
      'hook finished before wave 0',
    );
    assert.equal(
      app.status?.resources?.some((r) => r.kind === 'Job'),
      false,
      'hooks are not app resources',
    );
  });

  it('fails the sync when a PreSync Job fails, runs SyncFail hooks and applies nothing', async () => {
    await create('hooks-fail', 'hooks-fail', {
      syncPolicy: { automated: { prune: true }, retry: { limit: 0 } },
    });
    const app = await h.waitForApp(
      ns.name,
      'hooks-fail',
      'sync failed',
      (a) => a.status?.operationState?.phase === 'Failed',
      120_000,
    );
    assert.match(app.status?.operationState?.message ?? '', /PreSync hook Job .*migrate-fail failed/);
    assert.match(conditionOf(app, 'SyncError'), /migrate-fail/);
    assert.equal(await exists('ConfigMap', 'v1', 'never-created'), undefined);
    assert.ok(await exists('ConfigMap', 'v1', 'sync-failed-marker'), 'SyncFail hook ran');
  });

  it('reports invalid YAML with the file named and keeps the previous state running', async () => {
    await create('bad-yaml', 'bad-yaml');
    await h.waitForApp(ns.name, 'bad-yaml', 'first sync', (a) => a.status?.sync?.status === 'Synced');
    repo.write({ 'bad-yaml/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\ndata: [\n' });
    repo.commit('break yaml');
    await h.client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ns.name, name: 'bad-yaml' },
      { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
      { type: 'merge' },
    );
    const app = await h.waitForApp(
      ns.name,
      'bad-yaml',
      'ComparisonError',
      (a) => conditionOf(a, 'ComparisonError') !== '',
    );
    assert.match(conditionOf(app, 'ComparisonError'), /broken\.yaml/);
    assert.equal(app.status?.sync?.status, 'Unknown');
    assert.ok(await exists('ConfigMap', 'v1', 'bad-yaml-good'), 'previous state left running');
    assert.equal(
      app.metadata.annotations?.['argocd.argoproj.io/refresh'],
      undefined,
      'refresh annotation consumed',
    );
  });

  it('refuses a manifest the API server rejects, naming it, with nothing half-applied', async () => {
    await create('rejected', 'rejected');
    const app = await h.waitForApp(
      ns.name,
      'rejected',
      'sync failed',
      (a) => a.status?.operationState?.phase === 'Failed',
    );
    assert.match(app.status?.operationState?.message ?? '', /Service .*bad-service/);
    assert.match(conditionOf(app, 'SyncError'), /bad-service/);
    assert.equal(await exists('ConfigMap', 'v1', 'rejected-good'), undefined);
  });

  it('reports a missing Kustomize base and an unreachable repository as ComparisonError', async () => {
    await create('missing-base', 'missing-base');
    await create('unreachable', 'x', {}, 'file:///nonexistent/slipway-repo.git');
    const a = await h.waitForApp(
      ns.name,
      'missing-base',
      'ComparisonError',
      (x) => conditionOf(x, 'ComparisonError') !== '',
    );
    assert.match(conditionOf(a, 'ComparisonError'), /kustomize build missing-base failed: .*no-such-base/);
    const b = await h.waitForApp(
      ns.name,
      'unreachable',
      'ComparisonError',
      (x) => conditionOf(x, 'ComparisonError') !== '',
    );
    assert.match(conditionOf(b, 'ComparisonError'), /git ls-remote failed/);
  });

  it('takes a Rollout health from its status.phase', async () => {
    await create('rollout', 'rollout');
    await h.waitForApp(ns.name, 'rollout', 'synced', (a) => a.status?.sync?.status === 'Synced');
    const setStatus = async (status: Record<string, unknown>) => {
      const r = await h.client.get({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        namespace: ns.name,
        name: 'web',
      });
      await h.client.patch(
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: ns.name, name: 'web' },
        { status: { observedGeneration: String(r.metadata.generation), ...status } },
        { type: 'merge', subresource: 'status' },
      );
    };
    await setStatus({ phase: 'Progressing', message: 'more replicas need to be updated' });
    await h.waitForApp(ns.name, 'rollout', 'Progressing', (a) => a.status?.health?.status === 'Progressing');
    await setStatus({ phase: 'Paused', message: 'CanaryPauseStep' });
    const paused = await h.waitForApp(
      ns.name,
      'rollout',
      'Suspended',
      (a) => a.status?.health?.status === 'Suspended',
    );
    assert.match(paused.status?.health?.message ?? '', /Rollout web/);
    await setStatus({ phase: 'Healthy', message: null });
    await h.waitForApp(ns.name, 'rollout', 'Healthy', (a) => a.status?.health?.status === 'Healthy');
    await setStatus({ phase: 'Degraded', abort: true, message: 'RolloutAborted: metric failed' });
    await h.waitForApp(ns.name, 'rollout', 'Degraded', (a) => a.status?.health?.status === 'Degraded');
  });
});
