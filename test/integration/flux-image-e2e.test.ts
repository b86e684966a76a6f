import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerAnalysisController } from '../../src/analysis/index.js';
import { Manager } from '../../src/core/index.js';
import { type SlackServer, startSlackServer } from '../../src/dev/slack-server/index.js';
import {
  IMAGE_POLICY_GVK,
  IMAGE_UPDATE_AUTOMATION_GVK,
  type ImagePolicyView,
  type ImageUpdateAutomation,
} from '../../src/flux/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { notificationsModule } from '../../src/notifications/index.js';
import { Metrics, silentLogger } from '../../src/observability/index.js';
import { registerRolloutController } from '../../src/rollouts/index.js';
import { slackSecret, slackToken } from '../support/fixtures/notifications-env.js';
import { getRollout } from '../support/fixtures/rollout-scenario.js';
import {
  FluxHarness,
  gitRepository,
  kustomization,
  waitForKustomization,
} from '../support/flux/flux-harness.js';
import { GitHttpServer } from '../support/flux/git-http-server.js';
import { OciRegistry } from '../support/flux/oci-registry.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';

// Issue 19's end-to-end chain, every part real and local: tags pushed to a registry (Debian's
// docker-registry) → ImageRepository scan → ImagePolicy `>=1.0.0 <2.0.0` → ImageUpdateAutomation
// commits the marker change and pushes it (git http-backend) → the GitRepository fetches it → the
// Kustomization applies the Rollout → its canary runs an analysis (a web metric served here) → the
// Slack-compatible server hears the completion. Tag 2.0.0 is ignored throughout.

const skip = OciRegistry.available()
  ? false
  : 'docker-registry is not installed (apt-get install docker-registry)';

const manifests = (ns: string, image: string, metricsUrl: string): Record<string, string> => ({
  'apps/web/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [rollout.yaml, analysis.yaml]\n',
  'apps/web/rollout.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
  annotations:
    notifications.argoproj.io/subscribe.on-rollout-completed.slack: deploys
    notifications.argoproj.io/subscribe.on-rollout-step-completed.slack: deploys
spec:
  replicas: 2
  revisionHistoryLimit: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image} # {"$imagepolicy": "${ns}:web"}
        resources: {requests: {memory: 32Mi, cpu: 5m}}
  strategy:
    canary:
      steps:
      - setWeight: 50
      - analysis:
          templates: [{templateName: success-rate}]
`,
  'apps/web/analysis.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: success-rate
spec:
  metrics:
  - name: success-rate
    count: 2
    interval: 1s
    successCondition: result >= 0.95
    provider:
      web:
        url: ${metricsUrl}/rate
        jsonPath: '{$.rate}'
`,
});

describe('flux e2e: a pushed image tag canaries through Git to Slack', { skip, timeout: 600_000 }, () => {
  const client = testClient();
  let ns: { name: string; delete(): Promise<void> };
  let registry: OciRegistry;
  let repo: TestRepo;
  let git: GitHttpServer;
  let h: FluxHarness;
  let rollouts: Manager;
  let slack: { server: SlackServer; stop(): Promise<void> };
  let metrics: LocalHttpServer;
  let metricReads = 0;
  let image: string;
  let firstStable: string | undefined;

  before(async () => {
    ns = await testNamespace(client, 'flux-img-e2e');
    registry = await OciRegistry.start();
    image = `${registry.host}/org/web`;
    for (const tag of ['1.0.0', '1.2.4']) await registry.pushImage('org/web', tag);
    metrics = await startLocalHttpServer((_req, res) => {
      metricReads++;
      // no keep-alive: a pooled connection would keep close() (and the test process) waiting
      res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' }).end('{"rate": 0.99}');
    });
    repo = TestRepo.create(manifests(ns.name, `${image}:1.2.4`, metrics.base));
    git = await GitHttpServer.start(repo, undefined, { push: true });
    const started = await startSlackServer({ tokens: [slackToken] });
    slack = { server: started.server, stop: started.stop };
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: ns.name, name: 'argo-rollouts-notification-configmap' },
      data: {
        'service.slack': 'token: $slack-token',
        'template.completed':
          'message: "{{.rollout.metadata.name}} completed: {{(index .rollout.spec.template.spec.containers 0).image}}"',
        'template.step':
          'message: "{{.rollout.metadata.name}} step {{.rollout.status.currentStepIndex}}: {{(index .rollout.spec.template.spec.containers 0).image}}"',
        'trigger.on-rollout-completed': '- send: [completed]',
        'trigger.on-rollout-step-completed': '- send: [step]',
      },
    } as KubeObject);
    await client.create(slackSecret(ns.name, 'argo-rollouts-notification-secret'));

    rollouts = new Manager({
      client,
      logger: silentLogger(),
      metrics: new Metrics(),
      shutdownDeadlineMs: 2_000,
    });
    registerRolloutController(rollouts, { namespace: ns.name });
    registerAnalysisController(rollouts, { namespace: ns.name, workers: 2 });
    notificationsModule({
      configNamespace: ns.name,
      slackApiUrl: started.apiUrl,
      kinds: ['Rollout'],
      backoff: { initialMs: 200, maxMs: 2_000 },
    }).register(rollouts, { namespace: ns.name });
    await rollouts.start();
    h = await FluxHarness.start(ns.name);

    await client.create(
      gitRepository(ns.name, 'apps', { url: git.url, interval: '10m', ref: { branch: 'main' } }),
    );
    await client.create(
      kustomization(ns.name, 'web', {
        sourceRef: { kind: 'GitRepository', name: 'apps' },
        path: './apps/web',
        interval: '10m',
        prune: true,
        targetNamespace: ns.name,
      }),
    );
    await client.create({
      apiVersion: 'image.toolkit.fluxcd.io/v1',
      kind: 'ImageRepository',
      metadata: { name: 'web', namespace: ns.name },
      spec: { image, interval: '2s', insecure: true },
    } as KubeObject);
    await client.create({
      ...IMAGE_POLICY_GVK,
      metadata: { name: 'web', namespace: ns.name },
      spec: { imageRepositoryRef: { name: 'web' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } } },
    } as KubeObject);
    await client.create({
      ...IMAGE_UPDATE_AUTOMATION_GVK,
      metadata: { name: 'web', namespace: ns.name },
      spec: {
        interval: '10m',
        sourceRef: { kind: 'GitRepository', name: 'apps' },
        git: {
          checkout: { ref: { branch: 'main' } },
          commit: {
            author: { name: 'Flux Bot', email: 'fluxbot@example.com' },
            messageTemplate:
              '{{ range $obj, $changes := .Changed.Objects }}{{ range $changes }}{{ $obj.Kind }}/{{ $obj.Name }}: {{ .OldValue }} -> {{ .NewValue }}{{ end }}{{ end }}',
          },
          push: { branch: 'main' },
        },
        update: { path: './apps/web', strategy: 'Setters' },
      },
    } as KubeObject);
  });
  after(async () => {
    await h?.stop();
    await rollouts?.stop();
    await slack?.stop();
    await git?.close();
    await metrics?.close();
    await registry?.stop();
    repo?.dispose();
    await ns?.delete();
  });

  const policyTag = async () =>
    (await client.get<ImagePolicyView>({ ...IMAGE_POLICY_GVK, namespace: ns.name, name: 'web' })).status
      ?.latestRef?.tag;
  const rolloutImage = async () =>
    (
      (await getRollout(client, ns.name, 'web')).spec?.template?.spec as
        | { containers?: { image?: string }[] }
        | undefined
    )?.containers?.[0]?.image;
  const automationCommits = () =>
    repo
      .git('log', '--format=%an|%s', 'main')
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('Flux Bot|'));

  it('1.2.4 is deployed from Git; the policy already points at it; nothing is committed', async () => {
    await waitForKustomization(
      client,
      ns.name,
      'web',
      'applied',
      (k) => (k.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      120_000,
    );
    await eventually('the policy at 1.2.4', async () => (await policyTag()) === '1.2.4', 120_000, 250);
    await eventually(
      'the first revision Healthy',
      async () => {
        const r = await getRollout(client, ns.name, 'web');
        firstStable = r.status?.stableRS;
        return r.status?.phase === 'Healthy' && firstStable !== undefined;
      },
      120_000,
      250,
    );
    await eventually(
      'the automation ran and found nothing to change',
      async () => {
        const a = await client.get<ImageUpdateAutomation>({
          ...IMAGE_UPDATE_AUTOMATION_GVK,
          namespace: ns.name,
          name: 'web',
        });
        return a.status?.observedPolicies?.web?.tag === '1.2.4';
      },
      120_000,
      250,
    );
    assert.deepEqual(automationCommits(), []);
  });

  it('tag 2.0.0 is ignored; tag 1.2.5 is committed, applied, canaried with its analysis, and announced', async () => {
    await registry.pushImage('org/web', '2.0.0');
    await registry.pushImage('org/web', '1.2.5');
    await eventually('the policy at 1.2.5', async () => (await policyTag()) === '1.2.5', 120_000, 250);
    await eventually('the automation commit', async () => automationCommits().length === 1, 120_000, 250);
    assert.deepEqual(automationCommits(), [`Flux Bot|Rollout/web: ${image}:1.2.4 -> ${image}:1.2.5`]);
    await eventually(
      'the Rollout at 1.2.5',
      async () => (await rolloutImage()) === `${image}:1.2.5`,
      120_000,
      250,
    );
    const done = await eventually(
      'the canary completed',
      async () => {
        const r = await getRollout(client, ns.name, 'web');
        // the new revision promoted: a stable ReplicaSet other than the first one's
        return r.status?.phase === 'Healthy' &&
          r.status.currentStepIndex === 2 &&
          r.status.stableRS !== firstStable &&
          r.status.stableRS === r.status.currentPodHash
          ? r
          : undefined;
      },
      180_000,
      250,
    );
    assert.equal(done.status?.stableRS, done.status?.currentPodHash);
    const runs = await client.list<KubeObject & { status?: { phase?: string } }>(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' },
      { namespace: ns.name },
    );
    assert.ok(
      runs.items.some((r) => r.status?.phase === 'Successful'),
      JSON.stringify(runs.items.map((r) => r.status?.phase)),
    );
    assert.ok(metricReads >= 2, `metric reads: ${metricReads}`);
    const texts = await eventually(
      'Slack heard the completion',
      async () => {
        const t = slack.server.messages('deploys').map((m) => m.text ?? '');
        return t.some((x) => x === `web completed: ${image}:1.2.5`) ? t : undefined;
      },
      120_000,
      250,
    );
    assert.ok(texts.includes(`web step 1: ${image}:1.2.5`), texts.join('\n'));
    assert.ok(!texts.some((t) => t.includes('2.0.0')), texts.join('\n'));
    // the policy never went past the range
    assert.equal(await policyTag(), '1.2.5');
    assert.ok(!repo.git('log', '-p', 'main').includes(':2.0.0'));
  });
});
