// The dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright-core) against the
// shared test cluster: sign in with service-account tokens from the TokenRequest API, see the fleet, watch
// a canary advance live on the Rollout page with its analysis chart gaining points, and promote as a user
// whose RBAC allows it and as one whose RBAC does not. Screenshots go to test-artifacts/dashboard/.
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
import { Metrics, silentLogger } from '../../src/observability/index.js';
import { registerRolloutController } from '../../src/rollouts/index.js';
import { getRollout, rolloutManifest, setImage } from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const CHROMIUM = process.env.SLIPWAY_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'dashboard');
const WAIT = 120_000;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

describe('dashboard in a browser', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let manager: Manager;
  let server: DashboardServer;
  let metricsServer: LocalHttpServer;
  let browser: Browser;
  const metrics = new Metrics();
  const tokens: Record<'operator' | 'viewer', string> = { operator: '', viewer: '' };
  after(async () => {
    await browser?.close();
    await manager?.stop();
    await metricsServer?.close();
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
          resources: ['rollouts', 'analysisruns', 'applications'],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    await rbac('Role', 'dash-operate', {
      rules: [{ apiGroups: ['argoproj.io'], resources: ['rollouts', 'rollouts/status'], verbs: ['patch'] }],
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
    await client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web-app', namespace: ns.name },
      spec: {
        project: 'default',
        source: { repoURL: 'https://git.example.invalid/web.git', path: 'deploy', targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc', namespace: ns.name },
      },
    });

    manager = new Manager({
      client,
      logger: silentLogger(),
      metrics,
      shutdownDeadlineMs: 2_000,
      watchCrds: false,
    });
    registerAnalysisController(manager, { namespace: ns.name });
    registerRolloutController(manager, { namespace: ns.name });
    registerAnalysisMetrics(
      metrics,
      manager.informer({
        gvk: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' },
        namespace: ns.name,
      }).store,
    );
    server = await startDashboard(manager, { port: 0, mode: 'token', namespace: ns.name });
    await manager.start();
    await eventually(
      'the Rollout Healthy',
      async () => (await getRollout(client, ns.name, 'web')).status?.phase === 'Healthy',
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
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

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
