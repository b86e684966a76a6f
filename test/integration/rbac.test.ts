import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { applyAll, installCrds } from '../../src/install/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import type { Application } from '../../src/sync/index.js';
import { createRollout, eventMessages, getRollout, setImage } from '../support/fixtures/rollout-scenario.js';
import {
  applyDeployRbac,
  deployManifests,
  grants,
  impersonatingClient,
  type ResourceRule,
  rulesIn,
  SA_NAME,
  SA_NAMESPACE,
  serviceAccountKubeconfig,
} from '../support/fixtures/service-account-access.js';
import { TestRepo } from '../support/git/repo.js';
import { application } from '../support/git/sync-harness.js';
import { eventually, testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

const BIN = fileURLToPath(new URL('../../bin/slipway.js', import.meta.url));

/** The acceptance: no wildcard anywhere, none of the takeover verbs/subresources. */
function assertNoTakeoverRights(rules: readonly ResourceRule[], where: string): void {
  for (const r of rules) {
    for (const field of ['verbs', 'apiGroups', 'resources'] as const)
      assert.ok(!(r[field] ?? []).includes('*'), `${where}: wildcard in ${field}: ${JSON.stringify(r)}`);
    for (const verb of ['escalate', 'bind', 'impersonate'])
      assert.ok(!r.verbs.includes(verb), `${where}: verb ${verb}: ${JSON.stringify(r)}`);
    for (const sub of ['pods/exec', 'pods/attach', 'serviceaccounts/token'])
      assert.ok(!(r.resources ?? []).includes(sub), `${where}: ${sub}: ${JSON.stringify(r)}`);
  }
  for (const kind of ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'])
    assert.ok(!grants(rules, 'rbac.authorization.k8s.io', kind, 'create'), `${where}: may create ${kind}`);
}

function assertNoSecretRead(rules: readonly ResourceRule[], where: string): void {
  for (const verb of ['get', 'list', 'watch'])
    assert.ok(!grants(rules, '', 'secrets', verb), `${where}: may ${verb} secrets`);
}

describe('rbac: deploy/ is least privilege', () => {
  let admin: KubeClient;
  let asController: KubeClient;
  let bound: { name: string; delete(): Promise<void> };
  let outside: { name: string; delete(): Promise<void> };

  before(async () => {
    admin = testClient();
    await installCrds(admin);
    await applyDeployRbac(admin);
    asController = impersonatingClient(testKubeconfigPath());
    bound = await testNamespace(admin, 'rbac-bound');
    outside = await testNamespace(admin, 'rbac-outside');
    await applyAll(admin, [
      ...deployManifests('sync/apply-role.yaml'),
      ...deployManifests('sync/namespace-binding.yaml', bound.name),
    ]);
  });
  after(async () => {
    await bound?.delete();
    await outside?.delete();
    asController?.close();
    admin?.close();
  });

  it('can-i --list: no wildcard, no cluster-wide Secret read, no exec/token/escalation', async () => {
    const rules = await rulesIn(asController, outside.name);
    process.stdout.write(`# ${rules.length} rules for ${SA_NAME} in an unrelated namespace\n`);
    assertNoTakeoverRights(rules, outside.name);
    assertNoSecretRead(rules, outside.name);
    assert.ok(grants(rules, 'argoproj.io', 'rollouts', 'watch'), 'the Rollout controller can watch Rollouts');
    assert.ok(grants(rules, 'apps', 'replicasets', 'create'), 'and create ReplicaSets');
    assert.ok(!grants(rules, 'apps', 'deployments', 'create'), 'but sync rights are not bound by default');
    assert.ok(!grants(rules, '', 'configmaps', 'list'), 'no ConfigMap reads outside the config namespaces');
  });

  it('Secrets are readable only where notification and repository config lives', async () => {
    for (const ns of [SA_NAMESPACE, 'argocd', 'argo-rollouts']) {
      const rules = await rulesIn(asController, ns);
      assertNoTakeoverRights(rules, ns);
      assert.ok(grants(rules, '', 'secrets', 'watch'), `${ns}: notification Secret is readable`);
      assert.ok(!grants(rules, '', 'secrets', 'create'), `${ns}: Secrets are never written`);
    }
    // Rollouts' notification Secret by name only; Argo CD's namespace holds labelled repo Secrets
    const rollouts = await rulesIn(asController, 'argo-rollouts');
    assert.ok(!grants(rollouts, '', 'secrets', 'list', { ignoreNamed: true }), 'argo-rollouts: by name only');
  });

  it('with the per-namespace sync recipe, apply rights exist in that namespace and nowhere else', async () => {
    const inside = await rulesIn(asController, bound.name);
    assertNoTakeoverRights(inside, bound.name);
    assertNoSecretRead(inside, bound.name);
    for (const [group, resource] of [
      ['apps', 'deployments'],
      ['', 'configmaps'],
      ['', 'services'],
      ['argoproj.io', 'rollouts'],
    ] as const)
      assert.ok(grants(inside, group, resource, 'create'), `${bound.name}: may create ${resource}`);
    const elsewhere = await rulesIn(asController, outside.name);
    assertNoTakeoverRights(elsewhere, outside.name);
    assertNoSecretRead(elsewhere, outside.name);
    assert.ok(!grants(elsewhere, 'apps', 'deployments', 'create'), 'no apply rights outside the recipe');
    assert.ok(!grants(elsewhere, '', 'namespaces', 'create'), 'no Namespace creation');
  });
});

describe('rbac: the controller runs as the service account', () => {
  let admin: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let dest: { name: string; delete(): Promise<void> };
  let unbound: { name: string; delete(): Promise<void> };
  let repo: TestRepo;
  let proc: ChildProcess | undefined;
  const logs: string[] = [];

  before(async () => {
    admin = testClient();
    await installCrds(admin);
    await applyDeployRbac(admin);
    ns = await testNamespace(admin, 'rbac-run');
    dest = await testNamespace(admin, 'rbac-dest');
    unbound = await testNamespace(admin, 'rbac-unbound');
    await applyAll(admin, [
      ...deployManifests('sync/apply-role.yaml'),
      ...deployManifests('sync/namespace-binding.yaml', dest.name),
    ]);
    repo = TestRepo.create({
      'app/config.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: app-config}',
        'data: {greeting: hello}',
        '',
      ].join('\n'),
    });
    const kubeconfig = await serviceAccountKubeconfig(admin, testKubeconfigPath());
    // the shipped command, watching one namespace so it leaves other tests' objects alone
    proc = spawn(
      process.execPath,
      [
        BIN,
        'controller',
        '--kubeconfig',
        kubeconfig,
        '-n',
        ns.name,
        `--sync-namespaces=${dest.name},${unbound.name}`,
        // self-service config in the watched namespace is not granted (no RoleBinding of
        // slipway-notifications-self-service there): those informers are refused from the start
        '--self-service-notification-enabled',
        '--metrics-port=0',
        '--log-format=json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SLIPWAY_REPO_POLL_SECONDS: '2' } },
    );
    for (const stream of [proc.stdout, proc.stderr])
      stream?.setEncoding('utf8').on('data', (chunk: string) => logs.push(...chunk.split('\n')));
  });
  after(async () => {
    proc?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    proc?.kill('SIGKILL');
    await ns?.delete();
    await dest?.delete();
    await unbound?.delete();
    admin?.close();
  });

  const logLines = (msg: string) => logs.filter((l) => l.includes(`"msg":"${msg}"`));

  it('starts; each informer RBAC refuses is logged', async () => {
    await eventually('the controller to start', () => logLines('controller started').length > 0, 120_000);
    assert.equal(proc?.exitCode, null);
    const refused = await eventually(
      'the refused self-service config informers logged',
      () => {
        const lines = logLines('list or watch forbidden, retrying slowly').filter((l) => l.includes(ns.name));
        return lines.length >= 2 ? lines : undefined;
      },
      60_000,
    );
    assert.ok(refused.some((l) => l.includes('"resource":"Secret"')));
    assert.ok(refused.some((l) => l.includes('"resource":"ConfigMap"')));
  });

  it('reconciles a Rollout through a canary to Healthy', async () => {
    const name = 'rbac-canary';
    await createRollout(admin, ns.name, {
      name,
      replicas: 2,
      steps: [{ setWeight: 50 }, { pause: { duration: 1 } }],
    });
    const first = await eventually(
      'the first revision Healthy',
      async () => {
        const r = await getRollout(admin, ns.name, name);
        return r.status?.phase === 'Healthy' && r.status.stableRS ? r.status.stableRS : undefined;
      },
      120_000,
    );
    await setImage(admin, ns.name, name, 'argoproj/rollouts-demo:yellow');
    await eventually(
      'the canary promoted to a new stable ReplicaSet',
      async () => {
        const r = await getRollout(admin, ns.name, name);
        return (
          r.status?.phase === 'Healthy' &&
          r.status.stableRS !== first &&
          r.status.currentPodHash === r.status.stableRS
        );
      },
      120_000,
    );
  });

  it('a forbidden Secret read ends the AnalysisRun with the missing permission and the recipe', async () => {
    const run: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name: 'needs-secret', namespace: ns.name },
      spec: {
        args: [{ name: 'token', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } }],
        metrics: [{ name: 'probe', provider: { web: { url: 'http://127.0.0.1:9/{{args.token}}' } } }],
      },
    };
    await admin.create(run);
    const status = await eventually(
      'the AnalysisRun to end in Error',
      async () => {
        const r = await admin.get<KubeObject & { status?: { phase?: string; message?: string } }>({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          namespace: ns.name,
          name: 'needs-secret',
        });
        return r.status?.phase === 'Error' ? r.status : undefined;
      },
      120_000,
    );
    assert.match(status.message ?? '', /cannot get resource "secrets"/);
    assert.match(status.message ?? '', /slipway-analysis-secrets/);
    assert.match(status.message ?? '', /docs\/permissions\.md/);
    await eventually(
      'a Warning event on the run',
      async () =>
        (await eventMessages(admin, ns.name, 'needs-secret')).some((m) => m.startsWith('AnalysisRunError')),
      60_000,
    );
  });

  it('syncs into a namespace bound by the recipe; an unbound destination gets a clear condition and event', async () => {
    const app = (name: string, destination: string) =>
      application(ns.name, name, {
        source: { repoURL: repo.url, targetRevision: 'HEAD', path: 'app' },
        destination: { server: 'https://kubernetes.default.svc', namespace: destination },
        syncPolicy: { automated: { prune: true } },
      });
    await admin.create(app('bound', dest.name));
    await admin.create(app('unbound', unbound.name));
    const get = (name: string) =>
      admin.get<Application>({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        namespace: ns.name,
        name,
      });
    const comparisonError = async (name: string) =>
      (await get(name)).status?.conditions?.find((c) => c.type === 'ComparisonError')?.message;
    const warned = (name: string, what: string) =>
      eventually(
        `a Warning event on ${name} about ${what}`,
        async () =>
          (await eventMessages(admin, ns.name, name)).some(
            (m) => m.startsWith('ComparisonError') && m.includes(what),
          ),
        60_000,
      );

    // `-n` reads repository Secrets in the watched namespace, which deploy/ does not grant
    const denied = await eventually(
      'a ComparisonError naming the repository Secrets',
      () => comparisonError('bound'),
      120_000,
    );
    assert.match(denied, /cannot list resource "secrets"/);
    assert.match(denied, new RegExp(`bind ClusterRole slipway-repo-credentials in namespace ${ns.name}`));
    await warned('bound', 'slipway-repo-credentials');
    // the documented recipe for -n: bind slipway-repo-credentials there; a refresh retries at once
    await applyAll(admin, [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'slipway-repo-credentials', namespace: ns.name },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'slipway-repo-credentials',
        },
        subjects: [{ kind: 'ServiceAccount', name: SA_NAME, namespace: SA_NAMESPACE }],
      } as KubeObject,
    ]);
    for (const name of ['bound', 'unbound'])
      await admin.patch(
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ns.name, name },
        { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
        { type: 'merge' },
      );

    await eventually(
      'the bound app Synced and Healthy',
      async () => {
        const a = await get('bound');
        return a.status?.sync?.status === 'Synced' && a.status.health?.status === 'Healthy';
      },
      120_000,
    ).catch(async (err: unknown) => {
      const status = JSON.stringify((await get('bound')).status);
      throw new Error(`${String(err)}; status ${status}; log tail:\n${logs.slice(-20).join('\n')}`);
    });
    await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: dest.name, name: 'app-config' });
    const message = await eventually(
      'a ComparisonError about the unbound destination',
      async () => {
        const m = await comparisonError('unbound');
        return m?.includes('configmaps') ? m : undefined;
      },
      120_000,
    );
    assert.match(message, /cannot list resource "configmaps"/);
    assert.match(message, new RegExp(`in namespace ${unbound.name}`));
    assert.match(message, /deploy\/sync\/namespace-binding\.yaml/);
    await warned('unbound', 'configmaps');
    // the refused informer itself: a Warning Event where `kubectl get events -n` shows it
    await eventually(
      'an InformerForbidden event in the unbound namespace',
      async () =>
        (await eventMessages(admin, unbound.name, unbound.name)).some(
          (m) => m.startsWith('InformerForbidden') && m.includes('configmaps'),
        ),
      60_000,
    );
    // the forbidden informer is logged once, not once per retry
    assert.equal(
      logLines('list or watch forbidden, retrying slowly').filter((l) => l.includes(unbound.name)).length,
      1,
    );
  });
});
