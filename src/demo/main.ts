// npm run demo [-- --fast] [--keep-cluster]: the whole Slipway story on a local, embedded setup.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { instanceIdSelector } from '../analysis/index.js';
import {
  controllerModuleNames,
  controllerModulesOptions,
  registerControllerModules,
} from '../cli/controller-modules.js';
import { cliEnvironment } from '../cli/environment.js';
import { Manager } from '../core/index.js';
import { startDashboard } from '../dashboard/index.js';
import { devClusterUp, LocalCluster } from '../dev/cluster/index.js';
import { assertPrerequisites } from '../dev/prerequisites.js';
import { PrometheusServer } from '../dev/prometheus/index.js';
import { startSlackServer } from '../dev/slack-server/index.js';
import { installCrds } from '../install/index.js';
import { KubeClient, type KubeObject } from '../kube/index.js';
import { createLogger, Metrics } from '../observability/index.js';
import { startDemoApp } from './demo-app.js';
import { DemoRepo } from './git-repo.js';
import { APP_NAMESPACE, application, DEMO_NAMESPACE, repoFiles } from './manifests.js';
import { Narrator } from './narrator.js';
import { follow, type readWorld } from './observe.js';

const { values: flags } = parseArgs({
  options: {
    fast: { type: 'boolean' },
    'keep-cluster': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (flags.help) {
  process.stdout.write('usage: npm run demo [-- --fast] [--keep-cluster]\n');
  process.exit(0);
}
const fast = flags.fast === true;
const pause = fast ? '4s' : '15s';
const interval = fast ? '2s' : '5s';
const delay = fast ? '4s' : '10s';
const env = cliEnvironment();
const n = new Narrator(process.stdout.isTTY === true && !env.noColor);
const cleanups: (() => Promise<void> | void)[] = [];
const workDir = mkdtempSync(join(tmpdir(), 'slipway-demo-'));
let keepLogs = false;
cleanups.push(() => {
  if (keepLogs) process.stdout.write(`controller logs kept in ${workDir}\n`);
  else rmSync(workDir, { recursive: true, force: true });
});

async function cleanup(): Promise<void> {
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch {
      /* best effort */
    }
  }
  cleanups.length = 0;
}
process.once('SIGINT', () => {
  process.stdout.write('\ninterrupted: cleaning up\n');
  void cleanup().then(() => process.exit(130));
});

const catalog = (file: string, slackApiUrl: string): Record<string, string> => {
  const cm = parse(readFileSync(new URL(`../../templates/${file}`, import.meta.url), 'utf8')) as {
    data: Record<string, string>;
  };
  return { ...cm.data, 'service.slack': `token: $slack-token\napiURL: ${slackApiUrl}\nusername: slipway\n` };
};
const secret = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace },
  stringData: { 'slack-token': 'xoxb-demo-token' },
});

async function main(): Promise<number> {
  const prometheusBin = env.prometheusBin;
  assertPrerequisites({ cluster: true, prometheus: { override: prometheusBin } });
  n.heading(
    'Starting a local Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)',
  );
  let kubeconfigPath: string;
  if (flags['keep-cluster']) {
    kubeconfigPath = (await devClusterUp({ onProgress: (m) => n.info(m) })).state.kubeconfigPath;
  } else {
    const cluster = await LocalCluster.start({ onProgress: (m) => n.info(m) });
    cleanups.push(() => cluster.stop());
    kubeconfigPath = cluster.kubeconfigPath;
  }
  const client = KubeClient.fromKubeConfig({ kubeconfigPath });
  cleanups.push(() => client.close());
  await installCrds(client);
  n.ok('CRDs installed (argoproj.io Rollout, AnalysisTemplate, AnalysisRun, Application, ...)');

  n.heading('Starting Slack (a local Slack-compatible API), Prometheus and the demo app');
  const slack = await startSlackServer({
    tokens: ['xoxb-demo-token'],
    channels: ['deploys', 'alerts'],
    console: (line) => n.slack(line),
  });
  cleanups.push(() => slack.stop());
  const app = await startDemoApp({
    client,
    namespace: DEMO_NAMESPACE,
    selector: 'app=demo',
    errorRates: { v1: 0.005, v2: 0.01, v3: 0.3 },
  });
  cleanups.push(() => app.stop());
  const prometheus = await PrometheusServer.launch({
    targets: [`127.0.0.1:${app.port}`],
    scrapeInterval: '1s',
    binary: prometheusBin,
    onProgress: (m) => n.info(m),
  });
  await prometheus.start();
  cleanups.push(() => prometheus.dispose());
  n.ok(`Slack API ${slack.apiUrl}, Prometheus ${prometheus.url}, demo app metrics ${app.url}/metrics`);
  n.info('versions: v1 and v2 fail 0.5-1% of requests, v3 fails 30%');

  n.heading('Creating a Git repository with a Rollout, an AnalysisTemplate and notification config');
  const repo = DemoRepo.create();
  cleanups.push(() => repo.remove());
  const rolloutsCatalog = catalog('argo-rollouts-notification-configmap.yaml', slack.apiUrl);
  const files = (version: string) =>
    repoFiles({
      version,
      prometheusUrl: prometheus.url,
      pause,
      analysisInterval: interval,
      analysisDelay: delay,
      rolloutsCatalog,
    });
  repo.commit('deploy demo v1', files('v1'));
  n.ok(`${repo.url} (apps/demo: rollout, analysis template, service, notifications)`);

  for (const ns of [APP_NAMESPACE, DEMO_NAMESPACE]) {
    await client.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      { fieldManager: 'slipway-demo' },
    );
  }
  await client.apply(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-notifications-cm', namespace: APP_NAMESPACE },
      data: catalog('argocd-notifications-cm.yaml', slack.apiUrl),
    },
    { fieldManager: 'slipway-demo' },
  );
  await client.apply(secret('argocd-notifications-secret', APP_NAMESPACE), { fieldManager: 'slipway-demo' });
  await client.apply(secret('argo-rollouts-notification-secret', DEMO_NAMESPACE), {
    fieldManager: 'slipway-demo',
  });

  n.heading('Starting the Slipway controller (rollouts, analysis, sync, notifications)');
  const logPath = join(workDir, 'controller.log');
  const { createWriteStream } = await import('node:fs');
  const logStream = createWriteStream(logPath);
  const manager = new Manager({
    client: KubeClient.fromKubeConfig({ kubeconfigPath }),
    logger: createLogger({ level: 'info', destination: logStream }),
    metrics: new Metrics(),
  });
  // The app team keeps its Rollout notification config next to the Rollout, in its own namespace:
  // Argo's self-service notifications (--self-service-notification-enabled).
  await registerControllerModules(
    manager,
    controllerModuleNames,
    controllerModulesOptions({ selfServiceNotification: true }, env),
    env,
  );
  const dashboard = await startDashboard(manager, {
    port: 0,
    mode: 'kubeconfig',
    argoSelector: instanceIdSelector(undefined),
  });
  await manager.start();
  cleanups.push(async () => {
    await manager.stop();
    logStream.end();
  });
  n.ok(`controllers: ${controllerModuleNames.join(', ')} (logs: ${logPath})`);
  n.ok(`dashboard: ${dashboard.url} (as the demo cluster's admin, while the demo runs)`);

  const results: { step: string; ok: boolean }[] = [];
  const check = (step: string, ok: boolean) => {
    results.push({ step, ok });
    (ok ? n.ok : n.warn).call(n, `${step}: ${ok ? 'yes' : 'NO'}`);
  };
  const refresh = () =>
    client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: APP_NAMESPACE, name: 'demo' },
      { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } } },
      { type: 'merge' },
    );
  const rolloutHealthyOn =
    (hashOf: (w: Awaited<ReturnType<typeof readWorld>>) => boolean) =>
    (w: Awaited<ReturnType<typeof readWorld>>) =>
      w.rollout?.status?.phase === 'Healthy' && w.app?.status?.sync?.status === 'Synced' && hashOf(w);

  n.heading('Deploying v1 through Git: the Application syncs it; a first deploy goes straight to 100%');
  await client.apply(application(repo.url) as KubeObject, { fieldManager: 'slipway-demo' });
  const v1 = await follow(
    client,
    n,
    rolloutHealthyOn(() => true),
    120_000,
  );
  const v1Hash = v1.rollout?.status?.stableRS;
  check('v1 Healthy and Synced', v1.rollout?.status?.phase === 'Healthy');

  n.heading(
    `Committing v2: canary 20% → analysis → 40% → 60% → 80% → 100%, pauses of ${pause}, gated by Prometheus`,
  );
  repo.commit('release demo v2', files('v2'));
  await refresh();
  const v2 = await follow(
    client,
    n,
    rolloutHealthyOn((w) => w.rollout?.status?.stableRS !== v1Hash),
    fast ? 240_000 : 480_000,
  );
  const v2Hash = v2.rollout?.status?.stableRS;
  check('v2 promoted to stable after passing analysis', v2Hash !== v1Hash);

  n.heading('Committing v3, which fails 30% of requests: analysis fails, the canary is aborted');
  repo.commit('release demo v3', files('v3'));
  await refresh();
  const v3 = await follow(
    client,
    n,
    (w) => w.rollout?.status?.phase === 'Degraded' && w.rollout.status.abort === true,
    fast ? 180_000 : 360_000,
  );
  check('v3 aborted automatically, stable v2 kept', v3.rollout?.status?.stableRS === v2Hash);
  await follow(client, n, (w) => w.app?.status?.health?.status === 'Degraded', 60_000);
  check('Application health Degraded', true);

  n.heading('Someone runs `kubectl scale rollout demo --replicas=2`: drift from Git is detected and healed');
  await client.patch(
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: DEMO_NAMESPACE, name: 'demo' },
    { spec: { replicas: 2 } },
    { type: 'merge', subresource: 'scale' },
  );
  const healed = await follow(
    client,
    n,
    (w) => w.rollout?.spec?.replicas === 5 && w.app?.status?.sync?.status === 'Synced',
    120_000,
  );
  check('drift healed (replicas back to 5, Synced)', healed.rollout?.spec?.replicas === 5);

  await new Promise((r) => setTimeout(r, 3_000));
  const messages = slack.server.allMessages();
  n.heading('What happened');
  n.info(
    `${messages.length} Slack messages: #deploys ${slack.server.messages('deploys').length}, #alerts ${slack.server.messages('alerts').length}`,
  );
  check(
    'Slack: deploy and alert messages received',
    slack.server.messages('deploys').length > 0 && slack.server.messages('alerts').length > 0,
  );
  n.info(
    `explore: export KUBECONFIG=${kubeconfigPath}; npx slipway rollout get demo -n demo; npx slipway app get demo -n argocd`,
  );
  if (!flags['keep-cluster'])
    n.info('(run with --keep-cluster to keep exploring after the demo; this cluster is removed now)');
  const failed = results.filter((r) => !r.ok);
  n.info(
    failed.length === 0
      ? `all ${results.length} checks passed in ${n.elapsed()}`
      : `${failed.length} checks failed`,
  );
  return failed.length === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  n.warn(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  keepLogs = code !== 0;
  await cleanup();
}
process.exit(code);
