import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { registerAnalysisController } from '../../src/analysis/index.js';
import { Manager } from '../../src/core/index.js';
import {
  EXPERIMENT_NAME_ANNOTATION,
  EXPERIMENT_TEMPLATE_NAME_ANNOTATION,
  type Experiment,
  type ExperimentSpec,
  registerExperimentController,
} from '../../src/experiments/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import { Metrics, silentLogger } from '../../src/observability/index.js';
import { POD_TEMPLATE_HASH_LABEL, type ReplicaSet } from '../../src/rollouts/index.js';
import { assessHealth } from '../../src/sync/index.js';
import { spawnControllerFixture, whenExited, whenStarted } from '../support/fixtures/fixture-process.js';
import { eventMessages } from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const EX = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment' } as const;
const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;
const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;
const SVC = { apiVersion: 'v1', kind: 'Service' } as const;
type ExperimentObject = Experiment & KubeObject;

const WAIT = 120_000;

/** Argo's examples/experiment-with-analysis.yaml: two templates of rollouts-demo, purple and orange. */
function template(name: string, color: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    selector: { matchLabels: { app: 'rollouts-demo' } },
    template: {
      metadata: { labels: { app: 'rollouts-demo' } },
      spec: {
        containers: [
          {
            name: 'rollouts-demo',
            image: `argoproj/rollouts-demo:${color}`,
            imagePullPolicy: 'Always',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          },
        ],
        ...extra,
      },
    },
  };
}

const getExperiment = (client: KubeClient, namespace: string, name: string) =>
  client.get<ExperimentObject>({ ...EX, namespace, name });

async function ownedBy<T extends KubeObject>(
  client: KubeClient,
  gvk: { apiVersion: string; kind: string },
  namespace: string,
  ex: ExperimentObject,
): Promise<T[]> {
  const { items } = await client.listAll<T>(gvk, { namespace });
  return items.filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === ex.metadata.uid));
}

/** STYLE §19 for experiments: one ReplicaSet per template, unique statuses, phase agreeing with conditions. */
async function checkInvariants(client: KubeClient, namespace: string, name: string): Promise<void> {
  const ex = await getExperiment(client, namespace, name);
  const sets = await ownedBy<ReplicaSet>(client, RS, namespace, ex);
  const templates = sets.map((rs) => rs.metadata.annotations?.[EXPERIMENT_TEMPLATE_NAME_ANNOTATION] ?? '');
  assert.equal(new Set(templates).size, templates.length, `two ReplicaSets for one template: ${templates}`);
  const statuses = (ex.status?.templateStatuses ?? []).map((t) => t.name);
  assert.equal(new Set(statuses).size, statuses.length, 'a template status twice');
  const runs = (ex.status?.analysisRuns ?? []).map((r) => r.name);
  assert.equal(new Set(runs).size, runs.length, 'an analysis status twice');
  const progressing = ex.status?.conditions?.find((c) => c.type === 'Progressing');
  if (ex.status?.phase === 'Successful') assert.equal(progressing?.reason, 'ExperimentCompleted');
  if (progressing?.reason === 'ExperimentCompleted') assert.equal(ex.status?.phase, 'Successful');
}

function reaches(
  client: KubeClient,
  namespace: string,
  name: string,
  what: string,
  check: (ex: ExperimentObject) => boolean,
): Promise<ExperimentObject> {
  return eventually(
    `experiment ${name} ${what}`,
    async () => {
      const ex = await getExperiment(client, namespace, name);
      return check(ex) ? ex : undefined;
    },
    WAIT,
    200,
  ).catch(async (err: Error) => {
    // say where it stood: the experiment's status and its runs'
    const ex = await getExperiment(client, namespace, name);
    const runs = (await ownedBy<KubeObject & { status?: unknown }>(client, AR, namespace, ex)).map((r) => ({
      name: r.metadata.name,
      status: r.status,
    }));
    throw new Error(`${err.message}; status ${JSON.stringify(ex.status)}; runs ${JSON.stringify(runs)}`);
  });
}

const phaseIs = (phase: string) => (ex: ExperimentObject) => ex.status?.phase === phase;

/**
 * Successful with every template done. With requiredForCompletion the passed analysis may end the
 * experiment before its duration; the templates then turn Successful in the reconcile after (Argo's
 * IsTerminating), so this waits for both.
 */
const reachesDone = (client: KubeClient, namespace: string, name: string) =>
  reaches(
    client,
    namespace,
    name,
    'Successful with its templates done',
    (ex) =>
      phaseIs('Successful')(ex) && (ex.status?.templateStatuses ?? []).every((t) => t.status !== 'Running'),
  );

async function specReplicas(client: KubeClient, namespace: string, ex: ExperimentObject): Promise<number[]> {
  return (await ownedBy<ReplicaSet>(client, RS, namespace, ex))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
    .map((rs) => rs.spec?.replicas ?? -1);
}

function analysisTemplate(namespace: string, name: string, path: string, count: number): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name, namespace },
    spec: {
      args: [{ name: 'hash', value: 'none' }],
      metrics: [
        {
          name: name,
          count,
          interval: '1s',
          successCondition: 'result.value == 1',
          provider: { web: { url: `${path}?hash={{args.hash}}`, timeoutSeconds: 10 } },
        },
      ],
    },
  };
}

describe('experiments: the Experiment controller with the AnalysisRun controller', () => {
  let server: LocalHttpServer;
  let manager: Manager | undefined;
  const hashes: string[] = [];
  after(async () => {
    await manager?.stop();
    await server?.close();
  });
  const { client, ns } = useTestNamespace('experiments', { crds: true });
  const create = (name: string, spec: ExperimentSpec) =>
    client.create<ExperimentObject>({ ...EX, metadata: { name, namespace: ns.name }, spec });

  before(async () => {
    server = await startLocalHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      hashes.push(url.searchParams.get('hash') ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ value: url.pathname === '/pass' ? 1 : 0 }));
    });
    for (const t of [
      analysisTemplate(ns.name, 'pass', `${server.base}/pass`, 2),
      analysisTemplate(ns.name, 'fail', `${server.base}/fail`, 1),
      analysisTemplate(ns.name, 'forever', `${server.base}/pass`, 1000),
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisTemplate',
        metadata: { name: 'dry-and-kept', namespace: ns.name },
        spec: {
          metrics: [
            {
              name: 'dry-fail',
              count: 1,
              successCondition: 'result.value == 1',
              provider: { web: { url: `${server.base}/fail`, timeoutSeconds: 10 } },
            },
            {
              name: 'kept',
              count: 4,
              interval: '1s',
              successCondition: 'result.value == 1',
              provider: { web: { url: `${server.base}/pass`, timeoutSeconds: 10 } },
            },
          ],
        },
      },
    ])
      await client.create(t);
    manager = new Manager({
      client,
      logger: silentLogger(),
      metrics: new Metrics(),
      shutdownDeadlineMs: 2_000,
    });
    registerAnalysisController(manager, { namespace: ns.name, workers: 4 });
    registerExperimentController(manager, { namespace: ns.name, workers: 4 });
    await manager.start();
    await manager.waitForCacheSync();
  });

  it('experiment-with-analysis: Running, then Successful after its duration, then scaled down', async () => {
    const name = 'with-analysis';
    await create(name, {
      duration: '6s',
      scaleDownDelaySeconds: 2,
      templates: [template('purple', 'purple'), { ...template('orange', 'orange'), service: {} }],
      analyses: [
        {
          name: 'pass',
          templateName: 'pass',
          args: [{ name: 'hash', value: '{{templates.orange.podTemplateHash}}' }],
        },
      ],
    });
    const running = await reaches(client, ns.name, name, 'Running', phaseIs('Running'));
    assert.ok(running.status?.availableAt, 'availableAt is set when every template is available');
    assert.equal(assessHealth(running)?.status, 'Progressing');

    const sets = await ownedBy<ReplicaSet>(client, RS, ns.name, running);
    assert.deepEqual(sets.map((rs) => rs.metadata.name).sort(), [`${name}-orange`, `${name}-purple`]);
    for (const rs of sets) {
      assert.equal(rs.metadata.annotations?.[EXPERIMENT_NAME_ANNOTATION], name);
      const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
      assert.ok(hash, 'each template has its own pod-template hash');
      assert.equal(rs.spec?.selector?.matchLabels?.[POD_TEMPLATE_HASH_LABEL], hash);
    }
    const orange = sets.find((rs) => rs.metadata.name === `${name}-orange`);
    const orangeHash = orange?.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
    assert.notEqual(orangeHash, sets.find((rs) => rs !== orange)?.metadata.labels?.[POD_TEMPLATE_HASH_LABEL]);
    const service = await client.get<KubeObject & { spec?: { selector?: Record<string, string> } }>({
      ...SVC,
      namespace: ns.name,
      name: `${name}-orange`,
    });
    assert.equal(service.spec?.selector?.[POD_TEMPLATE_HASH_LABEL], orangeHash);
    const orangeStatus = running.status?.templateStatuses?.find((t) => t.name === 'orange');
    assert.equal(orangeStatus?.serviceName, `${name}-orange`);
    assert.equal(orangeStatus?.podTemplateHash, orangeHash);

    const done = await reachesDone(client, ns.name, name);
    assert.deepEqual(
      done.status?.templateStatuses?.map((t) => [t.name, t.status]),
      [
        ['purple', 'Successful'],
        ['orange', 'Successful'],
      ],
    );
    assert.deepEqual(
      done.status?.analysisRuns?.map((r) => [r.name, r.analysisRun, r.phase]),
      [['pass', `${name}-pass`, 'Successful']],
    );
    assert.equal(assessHealth(done)?.status, 'Healthy');
    assert.ok(hashes.includes(orangeHash), 'the run measured with the orange template hash as its arg');
    const completed = done.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(completed?.status, 'False');
    assert.equal(completed?.reason, 'ExperimentCompleted');
    assert.equal(completed?.message, `Experiment "${name}" has successfully ran and completed.`);

    // scaleDownDelaySeconds later the templates have no pods and the Service is gone
    await eventually(
      'templates scaled to 0',
      async () => (await specReplicas(client, ns.name, done)).every((n) => n === 0),
      WAIT,
    );
    await eventually(
      'template Service deleted',
      async () => (await ownedBy(client, SVC, ns.name, done)).length === 0,
      WAIT,
    );
    const messages = await eventMessages(client, ns.name, name);
    for (const expected of [
      'ExperimentRunning: Experiment transitioned from Pending -> Running',
      'ExperimentSuccessful: Experiment transitioned from Running -> Successful',
      "TemplateRunning: Template 'orange' transitioned from Progressing -> Running",
    ])
      assert.ok(messages.includes(expected), `event ${expected} in ${messages.join(' | ')}`);
    await checkInvariants(client, ns.name, name);
  });

  it('a failing analysis fails the experiment and its templates are scaled down', async () => {
    const name = 'failing';
    await create(name, {
      scaleDownDelaySeconds: 0,
      templates: [template('baseline', 'blue'), template('canary', 'red')],
      analyses: [{ name: 'fail', templateName: 'fail' }],
    });
    const failed = await reaches(client, ns.name, name, 'Failed', phaseIs('Failed'));
    assert.match(failed.status?.message ?? '', /Metric "fail" assessed Failed/);
    assert.equal(failed.status?.analysisRuns?.[0]?.phase, 'Failed');
    assert.equal(assessHealth(failed)?.status, 'Degraded');
    await eventually(
      'templates scaled to 0',
      async () => (await specReplicas(client, ns.name, failed)).every((n) => n === 0),
      WAIT,
    );
    await checkInvariants(client, ns.name, name);
  });

  it('terminate: true ends a running experiment Successful and terminates its analysis', async () => {
    const name = 'terminated';
    await create(name, {
      templates: [template('only', 'yellow')],
      analyses: [{ name: 'forever', templateName: 'forever' }],
    });
    await reaches(
      client,
      ns.name,
      name,
      'Running with its analysis Running',
      (ex) => ex.status?.phase === 'Running' && ex.status.analysisRuns?.[0]?.phase === 'Running',
    );
    await client.patch({ ...EX, namespace: ns.name, name }, { spec: { terminate: true } }, { type: 'merge' });
    const done = await reachesDone(client, ns.name, name);
    assert.equal(done.status?.templateStatuses?.[0]?.status, 'Successful');
    await eventually(
      'the analysis run terminated',
      async () => {
        const run = await client.get<KubeObject & { spec?: { terminate?: boolean } }>({
          ...AR,
          namespace: ns.name,
          name: `${name}-forever`,
        });
        return run.spec?.terminate === true;
      },
      WAIT,
    );
    await checkInvariants(client, ns.name, name);
  });

  it('a template whose pods never become available fails the experiment at its progress deadline', async () => {
    const name = 'deadline';
    await create(name, {
      progressDeadlineSeconds: 5,
      templates: [
        template('ready', 'blue'),
        // no node accepts these pods: they stay Pending, never available
        template('stuck', 'red', { nodeSelector: { 'slipway.dev/no-such-node': 'true' } }),
      ],
    });
    const failed = await reaches(client, ns.name, name, 'Failed', phaseIs('Failed'));
    assert.equal(failed.status?.message, "Template 'stuck' exceeded its progressDeadlineSeconds (5)");
    const stuck = failed.status?.templateStatuses?.find((t) => t.name === 'stuck');
    assert.equal(stuck?.status, 'Failed');
    assert.equal(failed.status?.availableAt, undefined);
    await eventually(
      'a TemplateFailed warning',
      async () =>
        (await eventMessages(client, ns.name, name)).includes(
          "TemplateFailed: Template 'stuck' transitioned from Progressing -> Failed: Template 'stuck' exceeded its progressDeadlineSeconds (5)",
        ),
      WAIT,
    );
    await checkInvariants(client, ns.name, name);
  });

  it('dryRun and measurementRetention reach the runs (Argo e2e TestExperimentWithDryRunMetrics / MeasurementRetention)', async () => {
    const name = 'dry-run';
    await create(name, {
      duration: '4s',
      templates: [template('baseline', 'blue')],
      // the rules apply to every analysis of the experiment, and each must match one of its metrics
      analyses: [{ name: 'both', templateName: 'dry-and-kept', requiredForCompletion: true }],
      dryRun: [{ metricName: 'dry-.*' }],
      measurementRetention: [{ metricName: 'kept', limit: 2 }],
    });
    const done = await reachesDone(client, ns.name, name);
    assert.deepEqual(
      done.status?.analysisRuns?.map((r) => [r.name, r.phase]),
      [['both', 'Successful']],
    );
    type Run = KubeObject & {
      status?: {
        dryRunSummary?: Record<string, number>;
        metricResults?: { name: string; count?: number; measurements?: unknown[] }[];
      };
    };
    const run = await client.get<Run>({ ...AR, namespace: ns.name, name: `${name}-both` });
    assert.equal(run.status?.dryRunSummary?.count, 1);
    assert.equal(run.status?.dryRunSummary?.failed, 1);
    const kept = run.status?.metricResults?.find((r) => r.name === 'kept');
    assert.equal(kept?.count, 4);
    assert.equal(kept?.measurements?.length, 2);
    await checkInvariants(client, ns.name, name);
  });

  it('an invalid spec gets InvalidSpec and a Warning, and nothing is created', async () => {
    const name = 'invalid';
    const ex = await create(name, { templates: [template('a', 'blue'), template('a', 'red')] });
    const invalid = await reaches(client, ns.name, name, 'InvalidSpec', (e) =>
      (e.status?.conditions ?? []).some((c) => c.type === 'InvalidSpec'),
    );
    const condition = invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec');
    assert.equal(condition?.message, `Experiment ${name} has repeated template name 'a' in templates`);
    assert.deepEqual(await ownedBy(client, RS, ns.name, ex), []);
  });
});

function stop(proc: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

describe('experiments: the controller stopped (SIGTERM) and killed (SIGKILL) mid-experiment', () => {
  let server: LocalHttpServer;
  let proc: ChildProcess | undefined;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    if (proc !== undefined) await stop(proc, 'SIGKILL');
    await server?.close();
  });
  const { client, ns } = useTestNamespace('experiments-restart', { crds: true });

  before(async () => {
    server = await startLocalHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ value: 1 }));
    });
    await client.create(analysisTemplate(ns.name, 'pass', `${server.base}/pass`, 6));
  });

  it('carries on after each restart: one ReplicaSet per template, one run, Successful, scaled down', async () => {
    const name = 'restarted';
    await client.create<ExperimentObject>({
      ...EX,
      metadata: { name, namespace: ns.name },
      spec: {
        duration: '8s',
        scaleDownDelaySeconds: 1,
        templates: [template('baseline', 'blue'), template('canary', 'green')],
        analyses: [{ name: 'pass', templateName: 'pass', requiredForCompletion: true }],
      },
    });
    const start = () => whenStarted(spawnControllerFixture('experiment-controller-process', ns.name));
    proc = await start();
    const stages: [string, (ex: ExperimentObject) => boolean, 'SIGTERM' | 'SIGKILL'][] = [
      ['ReplicaSets created', (ex) => (ex.status?.templateStatuses?.length ?? 0) === 2, 'SIGKILL'],
      ['Running', phaseIs('Running'), 'SIGTERM'],
      ['its analysis run named', (ex) => (ex.status?.analysisRuns?.[0]?.analysisRun ?? '') !== '', 'SIGKILL'],
      ['its analysis measuring', (ex) => ex.status?.analysisRuns?.[0]?.phase === 'Running', 'SIGTERM'],
    ];
    for (const [what, check, signal] of stages) {
      await reaches(client, ns.name, name, what, (ex) => check(ex) || phaseIs('Successful')(ex));
      await stop(proc, signal);
      proc = await start();
    }
    const done = await reachesDone(client, ns.name, name);
    assert.deepEqual(
      done.status?.templateStatuses?.map((t) => t.status),
      ['Successful', 'Successful'],
    );
    // SIGKILL right after it completed: the scale-down still happens (its deadline is on the ReplicaSet)
    await stop(proc, 'SIGKILL');
    proc = await start();
    await eventually(
      'templates scaled to 0 after the restart',
      async () => (await specReplicas(client, ns.name, done)).every((n) => n === 0),
      WAIT,
    );
    const runs = await ownedBy(client, AR, ns.name, done);
    assert.deepEqual(
      runs.map((r) => r.metadata.name),
      [`${name}-pass`],
      'exactly one AnalysisRun (no ".1" twin)',
    );
    const sets = await ownedBy<ReplicaSet>(client, RS, ns.name, done);
    assert.equal(sets.length, 2, 'one ReplicaSet per template');
    await checkInvariants(client, ns.name, name);
  });

  it('killed right after creating a ReplicaSet, then an AnalysisRun, before status names them: no twins', async () => {
    const name = 'crash-points';
    // the previous test's controller must not serve this experiment
    if (proc !== undefined) await stop(proc, 'SIGKILL');
    await client.create<ExperimentObject>({
      ...EX,
      metadata: { name, namespace: ns.name },
      spec: {
        scaleDownDelaySeconds: 0,
        templates: [template('only', 'blue')],
        analyses: [{ name: 'pass', templateName: 'pass', requiredForCompletion: true }],
      },
    });
    for (const kind of ['ReplicaSet', 'AnalysisRun']) {
      proc = spawnControllerFixture('experiment-controller-process', ns.name, {
        SLIPWAY_TEST_KILL_AFTER_CREATE: kind,
      });
      assert.equal(await whenExited(proc, WAIT), 'SIGKILL', `killed right after creating a ${kind}`);
    }
    const ex = await getExperiment(client, ns.name, name);
    assert.equal(ex.status?.analysisRuns?.[0]?.analysisRun ?? '', '', 'the status never named the run');
    proc = await whenStarted(spawnControllerFixture('experiment-controller-process', ns.name));
    const done = await reachesDone(client, ns.name, name);
    assert.equal(done.status?.message, 'Required AnalysisRuns completed');
    assert.deepEqual(
      (await ownedBy(client, AR, ns.name, done)).map((r) => r.metadata.name),
      [`${name}-pass`],
      'the run created before the kill was adopted',
    );
    assert.deepEqual(
      (await ownedBy(client, RS, ns.name, done)).map((r) => r.metadata.name),
      [`${name}-only`],
    );
    await checkInvariants(client, ns.name, name);
  });
});
