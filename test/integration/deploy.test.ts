// The shipped Deployment works: deploy/ is installed the way a user does it, and the compiled controller
// runs with the image's ENTRYPOINT and deployment.yaml's args, env, uid/gid, read-only root and emptyDir
// volumes, in-cluster as the Deployment's service account. (A Pod cannot run on kwok's fake nodes, so
// the container's runtime conditions are reproduced in a mount namespace; see support/deploy/.)
// Runs on a private control plane: the controller watches the whole cluster, as shipped, and would act
// on other test files' Rollouts and Applications on the shared one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalCluster } from '../../src/dev/cluster/index.js';
import { KubeClient, type KubeObject } from '../../src/kube/index.js';
import { promoteRollout } from '../../src/rollouts/index.js';
import type { Application } from '../../src/sync/index.js';
import { runSandboxed, sandboxUnavailableReason } from '../support/deploy/container-sandbox.js';
import { shippedContainer } from '../support/deploy/shipped-container.js';
import {
  applySyncRecipe,
  compileDist,
  installController,
  type ShippedController,
  startShippedController,
} from '../support/deploy/shipped-controller.js';
import {
  checkInvariants,
  getRollout,
  readyPodsByHash,
  rolloutManifest,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually } from '../support/kube.js';

const unavailable = sandboxUnavailableReason();
const ROLLOUT_NS = 'shop';
const APP_NS = 'argocd';
const DEST_NS = 'guestbook';
const REPO_IN_POD = '/srv/git/guestbook.git';

const chart = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: guestbook\nversion: 0.1.0\n',
  'chart/values.yaml': 'greeting: hello\nreplicas: 1\n',
  'chart/templates/config.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: guestbook-config}',
    'data: {greeting: {{ .Values.greeting | quote }}, release: {{ .Release.Name | quote }}}',
    '',
  ].join('\n'),
  'chart/templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: guestbook}',
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  selector: {matchLabels: {app: guestbook}}',
    '  template:',
    '    metadata: {labels: {app: guestbook}}',
    '    spec: {containers: [{name: web, image: "nginx:1.27"}]}',
    '',
  ].join('\n'),
};

describe('the shipped Deployment (deploy/) runs read-only as its service account', {
  skip: unavailable ? `cannot reproduce the container here: ${unavailable}` : false,
}, () => {
  let cluster: LocalCluster;
  let admin: KubeClient;
  let repo: TestRepo;
  let scratch: string;
  let controller: ShippedController;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'slipway-deploy-test-'));
    const dist = join(scratch, 'dist');
    // the image's build stage, concurrently with a private control plane and the install
    let recipeArgs: string[] = [];
    const started = await Promise.allSettled([
      compileDist(dist),
      (async () => {
        cluster = await LocalCluster.start({
          readyTimeoutMs: 120_000,
          onProgress: (m) => process.stderr.write(`[deploy-test cluster] ${m}\n`),
        });
        admin = KubeClient.fromKubeConfig({ kubeconfigPath: cluster.kubeconfigPath });
        await installController(cluster.kubeconfigPath);
        // deploy/ may already create some of these (e.g. argocd for repository credentials)
        for (const name of [ROLLOUT_NS, APP_NS, DEST_NS]) {
          await admin.apply(
            { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
            { fieldManager: 'deploy-test', force: true },
          );
        }
        recipeArgs = await applySyncRecipe(admin, DEST_NS);
      })(),
    ]);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    repo = TestRepo.create(chart);
    // the "Git server": a bare copy owned by the pod's uid, because git refuses to serve a local
    // repository that another user owns (a remote server's files are never the pod's problem)
    const served = join(scratch, 'guestbook.git');
    execFileSync('git', ['clone', '--quiet', '--bare', repo.dir, served]);
    const { uid, gid } = shippedContainer();
    execFileSync('chown', ['-R', `${uid}:${gid}`, served]);
    controller = await startShippedController({
      kubeconfigPath: cluster.kubeconfigPath,
      adminClient: admin,
      distDir: dist,
      scratchDir: scratch,
      extraBinds: [{ source: served, target: REPO_IN_POD }],
      extraArgs: recipeArgs,
    });
  });

  after(async () => {
    await controller?.stop();
    if (process.env.SLIPWAY_TEST_LOG && controller) process.stderr.write(controller.process.output());
    admin?.close();
    await cluster?.stop();
    repo?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('runs compiled, as 65532, with only its volumes writable, and finds kustomize and helm', async () => {
    const paths = [
      '/',
      '/app',
      '/app/dist',
      '/usr/local/bin',
      '/var/run/secrets/kubernetes.io/serviceaccount',
    ];
    const volumes = controller.container.volumes.map((v) => v.mountPath);
    const script = [
      'id -u; id -g',
      `for p in ${[...paths, ...volumes].join(' ')}; do`,
      '  if touch "$p/.probe" 2>/dev/null; then echo "$p writable"; rm -f "$p/.probe"; else echo "$p read-only"; fi',
      'done',
      '"$SLIPWAY_KUSTOMIZE" version >/dev/null && echo kustomize runs',
      '"$SLIPWAY_HELM" version --short >/dev/null && echo helm runs',
      // the image has no sources, so bin/slipway.js runs dist/; no kubeconfig, so in-cluster credentials
      '[ ! -e /app/src ] && echo compiled only',
      '[ -z "$KUBECONFIG" ] && [ ! -e "$HOME/.kube/config" ] && echo in-cluster only',
    ].join('\n');
    const probe = await runSandboxed(controller.specWith(['/bin/sh', '-c', script]));
    assert.equal(probe.code, 0, probe.output);
    const lines = probe.output.trim().split('\n');
    assert.deepEqual(lines.slice(0, 2), [String(controller.container.uid), String(controller.container.gid)]);
    for (const p of paths)
      assert.ok(lines.includes(`${p} read-only`), `${p} must be read-only:\n${probe.output}`);
    for (const p of volumes)
      assert.ok(lines.includes(`${p} writable`), `${p} must be writable:\n${probe.output}`);
    for (const fact of ['kustomize runs', 'helm runs', 'compiled only', 'in-cluster only']) {
      assert.ok(lines.includes(fact), `expected "${fact}":\n${probe.output}`);
    }
  });

  it('holds its shard member Lease from its pod, claiming itself', async () => {
    // deploy/ runs --leader-elect with the default --shard-count auto: one Lease per replica
    const lease = await eventually(
      'the shard member Lease',
      async () => {
        const leases = await admin.list<KubeObject & { spec?: { holderIdentity?: string } }>(
          { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' },
          {
            namespace: controller.container.namespace,
            labelSelector: 'slipway.io/shard-group=slipway-controller',
          },
        );
        const [l] = leases.items;
        const id = l?.spec?.holderIdentity;
        return leases.items.length === 1 && id && l.metadata.annotations?.['slipway.io/shard-claim'] === id
          ? l
          : undefined;
      },
      60_000,
    );
    const id = lease.spec?.holderIdentity ?? '';
    assert.ok(id.startsWith(`${controller.podName}-`), id);
    assert.equal(lease.metadata.name, `slipway-shard-${id}`);
  });

  it('takes a Rollout through a canary to Healthy', async () => {
    const name = 'checkout';
    await admin.create(
      rolloutManifest({
        name,
        namespace: ROLLOUT_NS,
        replicas: 2,
        steps: [{ setWeight: 50 }, { pause: {} }],
      }),
    );
    const first = await eventually(
      'the first revision Healthy',
      async () => {
        const r = await getRollout(admin, ROLLOUT_NS, name);
        return r.status?.phase === 'Healthy' && r.status.availableReplicas === 2 ? r : undefined;
      },
      120_000,
      250,
    );
    const stable = first.status?.stableRS ?? '';
    await setImage(admin, ROLLOUT_NS, name, 'argoproj/rollouts-demo:yellow');
    const paused = await eventually(
      'the canary paused at 50 % (1 stable, 1 canary pod)',
      async () => {
        const r = await getRollout(admin, ROLLOUT_NS, name);
        if (r.status?.phase !== 'Paused' || r.status.currentStepIndex !== 1) return undefined;
        const pods = await readyPodsByHash(admin, ROLLOUT_NS);
        const canary = r.status.currentPodHash ?? '';
        return canary !== stable && pods[stable] === 1 && pods[canary] === 1 ? r : undefined;
      },
      120_000,
      250,
    );
    const canary = paused.status?.currentPodHash ?? '';
    await promoteRollout(admin, { namespace: ROLLOUT_NS, name });
    const done = await eventually(
      'the canary promoted to stable and Healthy',
      async () => {
        const r = await getRollout(admin, ROLLOUT_NS, name);
        return r.status?.phase === 'Healthy' && r.status.stableRS === canary ? r : undefined;
      },
      120_000,
      250,
    );
    assert.equal(done.status?.currentStepIndex, 2);
    await eventually('only canary pods left', async () => {
      const pods = await readyPodsByHash(admin, ROLLOUT_NS);
      return pods[canary] === 2 && (pods[stable] ?? 0) === 0;
    });
    await checkInvariants(admin, ROLLOUT_NS, name);
  });

  it('syncs a Helm chart from Git into an Application that is Synced and Healthy', async () => {
    await admin.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'guestbook', namespace: APP_NS },
      spec: {
        project: 'default',
        source: { repoURL: `file://${REPO_IN_POD}`, targetRevision: 'main', path: 'chart' },
        destination: { server: 'https://kubernetes.default.svc', namespace: DEST_NS },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    let last: Application | undefined;
    try {
      await eventually(
        'the Application Synced and Healthy at the repository head',
        async () => {
          last = await admin.get<Application>({
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Application',
            namespace: APP_NS,
            name: 'guestbook',
          });
          const s = last.status;
          return (
            s?.sync?.status === 'Synced' && s.sync.revision === repo.head() && s.health?.status === 'Healthy'
          );
        },
        120_000,
        250,
      );
    } catch (err) {
      const s = last?.status;
      const seen = JSON.stringify({ sync: s?.sync, health: s?.health, conditions: s?.conditions });
      throw new Error(
        `${(err as Error).message}; last status ${seen}\n${controller.process.output().slice(-4000)}`,
      );
    }
    const config = await admin.get<KubeObject & { data?: Record<string, string> }>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: DEST_NS,
      name: 'guestbook-config',
    });
    assert.deepEqual(config.data, { greeting: 'hello', release: 'guestbook' });
  });

  it('logged no write or permission failure and stops cleanly on SIGTERM', async () => {
    const code = await controller.stop();
    const failures = controller
      .logs()
      .filter((l) => /EROFS|EACCES|read-only file system|permission denied/i.test(JSON.stringify(l)));
    assert.deepEqual(failures, []);
    assert.equal(code, 0, controller.process.output().slice(-4000));
  });
});
