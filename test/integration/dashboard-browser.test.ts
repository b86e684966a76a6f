// The dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright-core) against the
// shared test cluster: sign in with service-account tokens from the TokenRequest API, see the fleet, watch
// a canary advance live on the Rollout page with its analysis chart gaining points, and promote as a user
// whose RBAC allows it and as one whose RBAC does not; the Application page with its Rollout, the
// Notifications page with the seed configuration, Restart and Undo (sent impersonating the operator),
// and promoting several paused Rollouts at once from the Fleet page. Screenshots go to
// test-artifacts/dashboard/; with SLIPWAY_DASHBOARD_DOC_IMAGES=1 one per page also to docs/images/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { registerAnalysisController } from '../../src/analysis/index.js';
import { Manager } from '../../src/core/index.js';
import type { DashboardServer } from '../../src/dashboard/index.js';
import { registerAnalysisMetrics, startDashboard } from '../../src/dashboard/index.js';
import { startSlackServer } from '../../src/dev/slack-server/index.js';
import { registerExperimentController } from '../../src/experiments/index.js';
import { notificationsModule } from '../../src/notifications/index.js';
import { Metrics, silentLogger } from '../../src/observability/index.js';
import { registerRolloutController } from '../../src/rollouts/index.js';
import type { Application } from '../../src/sync/index.js';
import { getRollout, rolloutManifest, setImage } from '../support/fixtures/rollout-scenario.js';
import { TestRepo } from '../support/git/repo.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const CHROMIUM = process.env.SLIPWAY_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'dashboard');
const WAIT = 120_000;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const DOC_IMAGES =
  process.env.SLIPWAY_DASHBOARD_DOC_IMAGES === '1' ? join(process.cwd(), 'docs', 'images') : undefined;
const ROLLOUTS_CM = 'argo-rollouts-notification-configmap';

describe('dashboard in a browser', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let manager: Manager;
  let server: DashboardServer;
  let metricsServer: LocalHttpServer;
  let browser: Browser;
  let repo: TestRepo;
  let slack: Awaited<ReturnType<typeof startSlackServer>>;
  const stopNotifications = new AbortController();
  const shas: { first: string; second: string } = { first: '', second: '' };
  const metrics = new Metrics();
  const tokens: Record<'operator' | 'viewer', string> = { operator: '', viewer: '' };
  after(async () => {
    await browser?.close();
    stopNotifications.abort();
    await manager?.stop();
    await slack?.stop();
    await metricsServer?.close();
    repo?.dispose();
  });
  const { client, ns } = useTestNamespace('dash', { crds: true });

  async function serviceAccountToken(name: string): Promise<string> {
    const answer = await client.transport.request<{ status?: { token?: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/${ns.name}/serviceaccounts/${name}/token`,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    });
    assert.ok(answer.status?.token, 'TokenRequest returned a token');
    return answer.status.token;
  }

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    let n = 0;
    metricsServer = await startLocalHttpServer((_req, res) => {
      n++;
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ rate: 0.96 + (n % 3) / 100 }));
    });
    const rbac = (kind: string, name: string, extra: Record<string, unknown>) =>
      client.create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind,
        metadata: { name, namespace: ns.name },
        ...extra,
      });
    for (const sa of ['dash-operator', 'dash-viewer'])
      await client.create({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: sa, namespace: ns.name },
      });
    await rbac('Role', 'dash-view', {
      rules: [
        {
          apiGroups: ['argoproj.io'],
          resources: ['rollouts', 'analysisruns', 'applications', 'experiments'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods', 'events'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: [ROLLOUTS_CM, 'web-settings'],
          verbs: ['get'],
        },
        // the diff shows this Secret (its values hidden)
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['web-db'], verbs: ['get'] },
      ],
    });
    await rbac('Role', 'dash-operate', {
      rules: [
        { apiGroups: ['argoproj.io'], resources: ['rollouts', 'rollouts/status'], verbs: ['patch'] },
        // Sync, Refresh and Rollback
        { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['patch'] },
      ],
    });
    const bind = (role: string, sa: string) =>
      rbac('RoleBinding', `${role}-${sa}`, {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
        subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns.name }],
      });
    await bind('dash-view', 'dash-operator');
    await bind('dash-view', 'dash-viewer');
    await bind('dash-operate', 'dash-operator');
    tokens.operator = await serviceAccountToken('dash-operator');
    tokens.viewer = await serviceAccountToken('dash-viewer');

    await client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'success-rate', namespace: ns.name },
      spec: {
        metrics: [
          {
            name: 'success-rate',
            interval: '2s',
            count: 4,
            successCondition: 'result >= 0.95',
            failureCondition: 'result < 0.9',
            provider: { web: { url: `${metricsServer.base}/rate`, jsonPath: '{$.rate}' } },
          },
        ],
      },
    });
    await client.create(
      rolloutManifest({
        name: 'web',
        namespace: ns.name,
        replicas: 4,
        steps: [
          { setWeight: 25 },
          { pause: {} },
          { setWeight: 50 },
          { analysis: { templates: [{ templateName: 'success-rate' }] } },
          { setWeight: 75 },
          { pause: { duration: 2 } },
        ],
      }),
    );
    await client.create(
      rolloutManifest({
        name: 'api',
        namespace: ns.name,
        replicas: 2,
        steps: [{ setWeight: 50 }, { pause: {} }],
      }),
    );
    // the Application's Git repository: two commits; the cluster holds the first one's objects
    const settings = (color: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-settings\ndata:\n  color: ${color}\n`;
    repo = TestRepo.create({
      'deploy/settings.yaml': settings('blue'),
      'deploy/db.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-db\nstringData:\n  password: s3cr3t-in-git\n',
    });
    repo.git('commit', '--quiet', '--amend', '-m', 'Add the web settings and database Secret');
    shas.first = repo.head();
    repo.write({ 'deploy/settings.yaml': settings('green') });
    shas.second = repo.commit('Turn web green');
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-settings', namespace: ns.name },
      data: { color: 'blue' },
    });
    await client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-db', namespace: ns.name },
      stringData: { password: 's3cr3t-in-cluster' },
    });
    await client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web-app', namespace: ns.name },
      spec: {
        project: 'default',
        source: { repoURL: repo.url, path: 'deploy', targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc', namespace: ns.name },
      },
    });
    // No Application controller runs here: its status is written as a sync would leave it (Argo CD's
    // Application has no status subresource), so the page shows a synced app that owns Rollout web.
    await client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: ns.name, name: 'web-app' },
      {
        status: {
          sync: { status: 'Synced', revision: shas.first },
          health: { status: 'Healthy' },
          resources: [
            {
              group: '',
              version: 'v1',
              kind: 'Service',
              namespace: ns.name,
              name: 'web',
              status: 'Synced',
              health: { status: 'Healthy' },
            },
            {
              group: 'argoproj.io',
              version: 'v1alpha1',
              kind: 'Rollout',
              namespace: ns.name,
              name: 'web',
              status: 'Synced',
              health: { status: 'Healthy' },
            },
          ],
          operationState: {
            phase: 'Succeeded',
            message: 'successfully synced (all tasks run)',
            startedAt: '2026-12-06T18:00:00Z',
            finishedAt: '2026-12-06T18:00:04Z',
            operation: {
              sync: { revision: shas.first },
              initiatedBy: { automated: true },
            },
            syncResult: { revision: shas.first },
          },
          // deployed the second commit, then went back to the first by hand
          history: [
            { id: 1, revision: shas.first, deployedAt: '2026-12-06T17:00:04Z' },
            { id: 2, revision: shas.second, deployedAt: '2026-12-06T17:30:04Z' },
            {
              id: 3,
              revision: shas.first,
              deployedAt: '2026-12-06T18:00:04Z',
              initiatedBy: { username: 'ops' },
            },
          ],
        },
      },
      { type: 'merge' },
    );
    await client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: ROLLOUTS_CM, namespace: ns.name },
      data: {
        'service.slack': 'token: $slack-token',
        'trigger.on-rollout-completed':
          '- when: rollout.status.phase == "Healthy"\n  send: [rollout-completed]\n',
        'template.rollout-completed': 'message: Rollout {{.rollout.metadata.name}} is done\n',
        // an event trigger (Argo Rollouts' kind): the step events of a real rollout
        'trigger.on-rollout-step-completed': '- send: [rollout-step-completed]\n',
        'template.rollout-step-completed':
          'message: Rollout {{.rollout.metadata.name}} step {{.rollout.status.currentStepIndex}} completed\n',
      },
    });
    await client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'argo-rollouts-notification-secret', namespace: ns.name },
      stringData: { 'slack-token': 'xoxb-dash' },
    });
    await client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: ns.name, name: 'web' },
      {
        metadata: {
          annotations: {
            'notifications.argoproj.io/subscribe.on-rollout-completed.slack': 'deploys',
            'notifications.argoproj.io/subscribe.on-rollout-step-completed.slack': 'deploys',
          },
        },
      },
      { type: 'merge' },
    );

    manager = new Manager({
      client,
      logger: silentLogger(),
      metrics,
      shutdownDeadlineMs: 2_000,
      watchCrds: false,
    });
    registerAnalysisController(manager, { namespace: ns.name });
    registerRolloutController(manager, { namespace: ns.name });
    registerExperimentController(manager, { namespace: ns.name });
    // the notification controller beside them, delivering to the local Slack server
    slack = await startSlackServer({ tokens: ['xoxb-dash'], channels: ['deploys'] });
    notificationsModule({
      configNamespace: ns.name,
      slackApiUrl: slack.apiUrl,
      signal: stopNotifications.signal,
      backoff: { initialMs: 200, maxMs: 2_000 },
    }).register(manager, { namespace: ns.name });
    registerAnalysisMetrics(
      metrics,
      manager.informer({
        gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' },
        namespace: ns.name,
      }).store,
    );
    server = await startDashboard(manager, {
      port: 0,
      mode: 'token',
      namespace: ns.name,
      notificationsNamespace: ns.name,
    });
    await manager.start();
    await eventually(
      'the Rollouts Healthy',
      async () =>
        (await getRollout(client, ns.name, 'web')).status?.phase === 'Healthy' &&
        (await getRollout(client, ns.name, 'api')).status?.phase === 'Healthy',
      WAIT,
      250,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });

  async function signIn(context: BrowserContext, token: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Kubernetes bearer token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor({ timeout: WAIT });
    return page;
  }

  const field = (page: Page, name: string) => page.locator(`[data-field="${name}"]`);
  const shot = async (page: Page, name: string, docImage?: string) => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    // the README's pictures: the viewport only, to keep them small
    if (DOC_IMAGES !== undefined && docImage !== undefined)
      await page.screenshot({ path: join(DOC_IMAGES, `dashboard-${docImage}.png`) });
  };

  async function confirm(page: Page, action: string): Promise<void> {
    await page.getByRole('button', { name: action, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  }

  it('refuses a wrong token, then lists the fleet for a signed-in user', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Kubernetes bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('did not accept this token').waitFor({ timeout: WAIT });
    await context.close();

    const operator = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const fleet = await signIn(operator, tokens.operator);
    await fleet.locator('tr[data-kind="Rollout"][data-name="web"]').waitFor({ timeout: WAIT });
    await fleet.locator('tr[data-kind="Application"][data-name="web-app"]').waitFor({ timeout: WAIT });
    await fleet.locator('tr[data-name="web"]').getByText('Healthy').waitFor({ timeout: WAIT });
    await shot(fleet, 'fleet');
    const axe = await accessibilityViolations(fleet);
    assert.deepEqual(axe, [], `serious accessibility problems on the Fleet page: ${JSON.stringify(axe)}`);
    await operator.close();
  });

  it('shows the canary advancing live; promote is refused without RBAC and works with it', async () => {
    const operator = await browser.newContext({ viewport: { width: 1280, height: 1200 }, bypassCSP: true });
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 1200 } });
    const page = await signIn(operator, tokens.operator);
    await page.getByRole('link', { name: 'web', exact: true }).click();
    await field(page, 'status').getByText('Healthy').waitFor({ timeout: WAIT });

    // a new image: the open page follows the canary to its indefinite pause without a reload
    await setImage(client, ns.name, 'web', 'argoproj/rollouts-demo:green');
    await field(page, 'step').getByText('1/6').waitFor({ timeout: WAIT });
    await field(page, 'status').getByText('Paused').waitFor({ timeout: WAIT });
    await assertText(field(page, 'set-weight'), '25%');
    await shot(page, 'rollout-paused');

    // the viewer may read but not patch: a clear refusal, and the Rollout stays where it is
    const readOnly = await signIn(viewer, tokens.viewer);
    await readOnly.goto(`${server.url}rollouts/${ns.name}/web`);
    await field(readOnly, 'step').getByText('1/6').waitFor({ timeout: WAIT });
    await confirm(readOnly, 'Promote');
    const refusal = readOnly.getByRole('alert');
    await refusal.waitFor({ timeout: WAIT });
    const message = (await refusal.textContent()) ?? '';
    assert.match(message, /system:serviceaccount:.*:dash-viewer" may not patch rollouts\/status/);
    await shot(readOnly, 'rollout-promote-refused');
    assert.equal((await getRollout(client, ns.name, 'web')).status?.currentStepIndex, 1);

    // the operator promotes: the page shows the steps advance and the analysis chart gain points
    await confirm(page, 'Promote');
    await page.getByRole('status').getByText('promote sent').waitFor({ timeout: WAIT });
    const chart = page.locator('[data-metric="success-rate"] figure');
    await eventually(
      'a first point on the chart',
      async () => Number(await chart.getAttribute('data-points')) >= 1,
      WAIT,
      200,
    );
    const first = Number(await chart.getAttribute('data-points'));
    await eventually(
      'more points on the chart',
      async () => Number(await chart.getAttribute('data-points')) > first,
      WAIT,
      200,
    );
    await shot(page, 'rollout-analysis');
    await field(page, 'status').getByText('Healthy').waitFor({ timeout: WAIT });
    await assertText(field(page, 'step'), '6/6');
    assert.equal(Number(await chart.getAttribute('data-points')), 4, 'all four measurements charted');
    await shot(page, 'rollout-done');
    const axe = await accessibilityViolations(page);
    assert.deepEqual(axe, [], `serious accessibility problems on the Rollout page: ${JSON.stringify(axe)}`);

    // /metrics: the analysis metric's last value and phase
    const text = await metrics.registry.metrics();
    assert.match(
      text,
      new RegExp(
        `slipway_analysis_run_metric_value\\{namespace="${ns.name}",analysisrun="web-[^"]+",metric="success-rate"\\} 0\\.9\\d`,
      ),
    );
    assert.match(
      text,
      /slipway_analysis_run_metric_phase\{[^}]*metric="success-rate",phase="Successful"\} 1/,
    );
    await operator.close();
    await viewer.close();
  });

  it('shows the Application with its Rollout, and the Notifications page the seed configuration', async () => {
    const operator = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await signIn(operator, tokens.operator);
    await page.getByRole('link', { name: 'web-app', exact: true }).click();
    await field(page, 'sync').getByText('Synced').waitFor({ timeout: WAIT });
    await field(page, 'health').getByText('Healthy').waitFor({ timeout: WAIT });
    const rolloutNode = page.locator(`[data-resource="Rollout/${ns.name}/web"]`);
    await rolloutNode.locator('[data-field="rollout-phase"]').getByText('Healthy').waitFor({ timeout: WAIT });
    await rolloutNode.locator('[data-kind="ReplicaSet"]').first().waitFor({ timeout: WAIT });
    await rolloutNode.locator('[data-pod]').first().waitFor({ timeout: WAIT });
    await shot(page, 'application', 'application');
    const appAxe = await accessibilityViolations(page);
    assert.deepEqual(
      appAxe,
      [],
      `serious accessibility problems on the Application page: ${JSON.stringify(appAxe)}`,
    );
    // its Rollout links to the Rollout page
    await page.getByRole('link', { name: `${ns.name}/web` }).click();
    await page.getByRole('heading', { name: `Rollout ${ns.name}/web` }).waitFor({ timeout: WAIT });

    await page.getByRole('link', { name: 'Notifications', exact: true }).click();
    const config = page.locator(`[data-config="${ns.name}/${ROLLOUTS_CM}"]`);
    await config.locator('[data-trigger="on-rollout-completed"]').waitFor({ timeout: WAIT });
    await config.locator('[data-template="rollout-completed"]').waitFor({ timeout: WAIT });
    await config.locator('[data-service="slack"]').waitFor({ timeout: WAIT });
    await page
      .locator(
        `[data-object="Rollout/${ns.name}/web"] [data-subscription="on-rollout-completed:slack:deploys"]`,
      )
      .waitFor({ timeout: WAIT });
    // the canary's step events went to Slack, and the page lists them as sent to #deploys
    await slack.server.waitFor(
      (s) => s.messages('deploys').some((m) => /Rollout web step \d+ completed/.test(m.text ?? '')),
      WAIT,
    );
    await page
      .locator(`[data-object="Rollout/${ns.name}/web"] tr[data-delivery="Sent"]`)
      .filter({ hasText: 'on-rollout-step-completed → slack:deploys' })
      .first()
      .waitFor({ timeout: WAIT });
    assert.equal(
      ((await page.content()).match(/slack-token|xoxb-dash/g) ?? []).length,
      0,
      'no service option in the page',
    );
    await shot(page, 'notifications', 'notifications');
    const axe = await accessibilityViolations(page);
    assert.deepEqual(
      axe,
      [],
      `serious accessibility problems on the Notifications page: ${JSON.stringify(axe)}`,
    );
    await operator.close();
  });

  it('Application page: the diff against Git (no Secret value), history with commit messages, Rollback', async () => {
    const operator = await browser.newContext({ viewport: { width: 1280, height: 1400 }, bypassCSP: true });
    const page = await signIn(operator, tokens.operator);
    await page.goto(`${server.url}applications/${ns.name}/web-app`);
    // HEAD turns the ConfigMap green; the Secret differs, shown only as plus signs
    const settings = page.locator(`[data-diff="ConfigMap/${ns.name}/web-settings"]`);
    await settings.getByText('OutOfSync').waitFor({ timeout: WAIT });
    await settings.locator('pre').getByText('+  color: green').waitFor({ timeout: WAIT });
    await settings.locator('pre').getByText('-  color: blue').waitFor({ timeout: WAIT });
    const db = page.locator(`[data-diff="Secret/${ns.name}/web-db"]`);
    await db.locator('pre').getByText('+  password: ++++++++').waitFor({ timeout: WAIT });
    const content = await page.content();
    for (const secret of ['s3cr3t-in-git', 's3cr3t-in-cluster'])
      for (const form of [secret, Buffer.from(secret).toString('base64')])
        assert.ok(!content.includes(form), `no Secret value (${form}) in the page`);
    await assertText(field(page, 'diff-summary'), '2 of 2 resources differ');
    // each history entry with its commit's subject and author
    const row = (id: number) => page.locator(`tr[data-history="${id}"]`);
    await row(2).getByText('Turn web green').waitFor({ timeout: WAIT });
    await row(1).getByText('Add the web settings and database Secret').waitFor({ timeout: WAIT });
    await assertText(row(2).locator('[data-field="commit"]'), 'test <test@example.com>');
    await shot(page, 'application-diff', 'application-diff');
    const axe = await accessibilityViolations(page);
    assert.deepEqual(
      axe,
      [],
      `serious accessibility problems on the Application diff: ${JSON.stringify(axe)}`,
    );

    // Rollback to entry 2, confirmed: a sync of its revision, sent as the operator
    await page.getByRole('button', { name: 'Rollback to 2' }).click();
    await page.getByRole('dialog').getByText('Turn web green').waitFor({ timeout: WAIT });
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').getByText('rollback to 2').waitFor({ timeout: WAIT });
    const appRef = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      namespace: ns.name,
      name: 'web-app',
    };
    const requested = await client.get<Application>(appRef);
    assert.equal(requested.operation?.sync?.revision, shas.second);
    assert.match(requested.operation?.initiatedBy?.username ?? '', /:dash-operator$/);

    // with automated sync on, Argo CD's refusal
    await client.patch(
      appRef,
      { operation: null, spec: { syncPolicy: { automated: { prune: false } } } },
      { type: 'merge' },
    );
    await page.getByText('Automated sync is on').waitFor({ timeout: WAIT });
    await eventually(
      'Rollback enabled again',
      async () => page.getByRole('button', { name: 'Rollback to 1' }).isEnabled(),
      WAIT,
      200,
    );
    await page.getByRole('button', { name: 'Rollback to 1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page
      .getByRole('alert')
      .getByText('rollback cannot be initiated when auto-sync is enabled')
      .waitFor({ timeout: WAIT });
    assert.equal((await client.get<Application>(appRef)).operation, undefined);
    await shot(page, 'application-rollback-refused');
    await operator.close();
  });

  it('Restart and Undo work for the operator (sent as them) and are refused for the viewer', async () => {
    const operator = await browser.newContext({ viewport: { width: 1280, height: 1000 }, bypassCSP: true });
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const rolloutUrl = `${server.url}rollouts/${ns.name}/web`;
    const readOnly = await signIn(viewer, tokens.viewer);
    await readOnly.goto(rolloutUrl);
    await field(readOnly, 'status').getByText('Healthy').waitFor({ timeout: WAIT });
    for (const action of ['Restart', 'Undo']) {
      await confirm(readOnly, action);
      await readOnly
        .getByRole('alert')
        .getByText(/dash-viewer" may not patch rollouts\.argoproj\.io/)
        .waitFor({ timeout: WAIT });
    }
    const before = await getRollout(client, ns.name, 'web');
    assert.equal(before.spec?.restartAt, undefined);

    const page = await signIn(operator, tokens.operator);
    await page.goto(rolloutUrl);
    await field(page, 'status').getByText('Healthy').waitFor({ timeout: WAIT });
    await page.locator('[data-pod]').first().waitFor({ timeout: WAIT });
    await shot(page, 'rollout-pods', 'rollout');
    await confirm(page, 'Restart');
    await page.getByRole('status').getByText('restart sent').waitFor({ timeout: WAIT });
    await eventually(
      'spec.restartAt set',
      async () => (await getRollout(client, ns.name, 'web')).spec?.restartAt !== undefined,
      WAIT,
      250,
    );
    // undo to the previous revision (the first image) from the dialog's revision list
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.getByRole('dialog').getByLabel('Revision').selectOption('1');
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').getByText('undo to revision 1 sent').waitFor({ timeout: WAIT });
    await eventually(
      'the template back at the first image',
      async () => {
        const r = await getRollout(client, ns.name, 'web');
        const containers = (r.spec?.template as { spec?: { containers?: { image?: string }[] } } | undefined)
          ?.spec?.containers;
        return containers?.[0]?.image === 'argoproj/rollouts-demo:blue';
      },
      WAIT,
      250,
    );
    await field(page, 'status').getByText('Paused').waitFor({ timeout: WAIT });
    await operator.close();
    await viewer.close();
  });

  it('promotes several paused Rollouts at once from the Fleet page', async () => {
    await setImage(client, ns.name, 'api', 'argoproj/rollouts-demo:green');
    const paused = async (name: string) =>
      (await getRollout(client, ns.name, name)).status?.phase === 'Paused';
    await eventually(
      'web and api paused',
      async () => (await paused('web')) && (await paused('api')),
      WAIT,
      250,
    );
    const stepOf = async (name: string) =>
      (await getRollout(client, ns.name, name)).status?.currentStepIndex ?? 0;
    const webStep = await stepOf('web');
    const apiStep = await stepOf('api');
    const operator = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await signIn(operator, tokens.operator);
    for (const name of ['web', 'api']) {
      const box = page.getByRole('checkbox', { name: `Select ${ns.name}/${name}` });
      await box.waitFor({ timeout: WAIT });
      await box.check();
    }
    await shot(page, 'fleet-selected', 'fleet');
    await page.getByRole('button', { name: 'Promote selected (2)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'rollout "web": promote sent' })
      .waitFor({ timeout: WAIT });
    await page
      .getByRole('status')
      .filter({ hasText: 'rollout "api": promote sent' })
      .waitFor({ timeout: WAIT });
    await eventually(
      'both left their pause',
      async () => (await stepOf('web')) > webStep && (await stepOf('api')) > apiStep,
      WAIT,
      250,
    );
    await operator.close();
  });

  it('Rollout page: blue-green Services with the auto-promotion countdown, Promote; an experiment step', async () => {
    for (const svc of ['bg-active', 'bg-preview'])
      await client.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svc, namespace: ns.name },
        spec: { selector: { app: 'bg' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
    await client.create(
      rolloutManifest({
        name: 'bg',
        namespace: ns.name,
        replicas: 2,
        spec: {
          strategy: {
            blueGreen: {
              activeService: 'bg-active',
              previewService: 'bg-preview',
              autoPromotionSeconds: 600,
            },
          },
        },
      }),
    );
    await client.create(
      rolloutManifest({
        name: 'exp',
        namespace: ns.name,
        replicas: 1,
        steps: [
          { setWeight: 50 },
          {
            experiment: { duration: '60s', templates: [{ name: 'preview', specRef: 'canary', replicas: 1 }] },
          },
        ],
      }),
    );
    await eventually(
      'bg and exp Healthy',
      async () =>
        (await getRollout(client, ns.name, 'bg')).status?.phase === 'Healthy' &&
        (await getRollout(client, ns.name, 'exp')).status?.phase === 'Healthy',
      WAIT,
      250,
    );
    await setImage(client, ns.name, 'bg', 'argoproj/rollouts-demo:green');
    await setImage(client, ns.name, 'exp', 'argoproj/rollouts-demo:green');
    const operator = await browser.newContext({ viewport: { width: 1280, height: 1000 }, bypassCSP: true });
    const page = await signIn(operator, tokens.operator);
    await page.goto(`${server.url}rollouts/${ns.name}/bg`);
    await field(page, 'status').getByText('Paused').waitFor({ timeout: WAIT });
    const countdown = field(page, 'auto-promotion');
    await eventually(
      'a countdown',
      async () => /^in \d+s \(after 600s\)$/.test(((await countdown.textContent()) ?? '').trim()),
      WAIT,
      200,
    );
    const paused = await getRollout(client, ns.name, 'bg');
    const preview = paused.status?.blueGreen?.previewSelector ?? '';
    assert.notEqual(preview, paused.status?.blueGreen?.activeSelector);
    await assertText(field(page, 'preview'), `bg-${preview}`);
    await shot(page, 'rollout-bluegreen', 'rollout-bluegreen');
    const axe = await accessibilityViolations(page);
    assert.deepEqual(
      axe,
      [],
      `serious accessibility problems on the blue-green page: ${JSON.stringify(axe)}`,
    );
    // as in Argo Rollouts, a plain promote does not cut an autoPromotionSeconds countdown short
    // (CompletedBlueGreenPause waits for the deadline); Promote full does
    await confirm(page, 'Promote full');
    await page.getByRole('status').getByText('promote-full sent').waitFor({ timeout: WAIT });
    await assertText(field(page, 'active'), `bg-${preview}`);
    await field(page, 'status').getByText('Healthy').waitFor({ timeout: WAIT });

    // the experiment step: its template's ReplicaSet and phase, live
    await page.goto(`${server.url}rollouts/${ns.name}/exp`);
    const experiment = page.locator('[data-experiment]').first();
    await experiment
      .locator('[data-template="preview"] td.mono')
      .getByText(/^exp-/)
      .waitFor({ timeout: WAIT });
    await experiment.getByText('Running').first().waitFor({ timeout: WAIT });
    await shot(page, 'rollout-experiment', 'rollout-experiment');
    await operator.close();
  });
});

async function assertText(locator: ReturnType<Page['locator']>, expected: string): Promise<void> {
  await eventually(
    `text ${expected}`,
    async () => ((await locator.textContent()) ?? '').includes(expected),
    WAIT,
    200,
  );
}

/** axe-core's serious and critical findings on the page as it is now. */
async function accessibilityViolations(page: Page): Promise<{ id: string; nodes: number }[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(({ id, nodes }) => ({ id, nodes }));
}
