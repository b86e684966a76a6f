/**
 * Issue 15: Argo Rollouts' experiment examples (examples/experiment-with-analysis.yaml,
 * rollout-experiment-step.yaml, rollout-canary-preview.yaml, rollout-baseline-vs-canary.yaml) end to end
 * on the real cluster, with Slipway's Rollout, Experiment and AnalysisRun controllers together (nothing
 * played by the test): each reaches the phases, messages and template/analysis statuses Argo's controller
 * reaches (see experiments/experiment.go calculateStatus, rollout/experiment.go reconcileExperiments).
 * The analysis is the example's own Job metric, run by kwok; `random-fail`'s coin is fixed per scenario.
 * Also every scenario of Argo's test/e2e/experiment_test.go: TestRolloutWithExperimentAndAnalysis,
 * TestExperimentWithDryRunMetrics and TestExperimentWithMeasurementRetentionMetrics here; the three
 * TestExperimentWith*ServiceAndScaleDownDelay side by side with Argo's controller in
 * experiments-argo-diff.test.ts. None is skipped; adaptations: images are kwok's (any image runs).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerAnalysisController } from '../../src/analysis/index.js';
import { Manager } from '../../src/core/index.js';
import { type Experiment, registerExperimentController } from '../../src/experiments/index.js';
import type { KubeClient, KubeObject } from '../../src/kube/index.js';
import { Metrics, silentLogger } from '../../src/observability/index.js';
import { promoteRollout, type ReplicaSet, registerRolloutController } from '../../src/rollouts/index.js';
import { assessHealth } from '../../src/sync/index.js';
import { upstreamExperimentView } from '../support/argo/experiment-views.js';
import {
  applyAnalysisTemplates,
  type Checkpoint,
  EX,
  type ExampleWorld,
  experimentReaches,
  experimentWithAnalysis,
  getExperiment,
  rolloutExperimentStep,
  rolloutExperimentUntilPromoted,
  rolloutReaches,
} from '../support/experiments/upstream-examples.js';
import { checkInvariants } from '../support/fixtures/rollout-scenario.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

/** Slipway's three controllers in this process, for one namespace. */
async function startSlipway(client: KubeClient, namespace: string): Promise<Manager> {
  const manager = new Manager({
    client,
    logger: silentLogger(),
    metrics: new Metrics(),
    shutdownDeadlineMs: 2_000,
  });
  registerAnalysisController(manager, { namespace, workers: 4 });
  registerExperimentController(manager, { namespace, workers: 4 });
  registerRolloutController(manager, { namespace });
  await manager.start();
  await manager.waitForCacheSync();
  return manager;
}

/** A namespace with the example AnalysisTemplates and Slipway's controllers watching it. */
function useSlipwayWorld(prefix: string): ExampleWorld {
  let manager: Manager | undefined;
  after(async () => {
    await manager?.stop();
  });
  const { client, ns } = useTestNamespace(prefix, { crds: true });
  before(async () => {
    await applyAnalysisTemplates({ client, namespace: ns.name });
    manager = await startSlipway(client, ns.name);
  });
  return {
    client,
    get namespace() {
      return ns.name;
    },
  };
}

const mustGetExperiment = async (w: ExampleWorld, name: string) => {
  const ex = await getExperiment(w, name);
  assert.ok(ex, `experiment ${name} exists`);
  return ex;
};

const at = (checkpoints: readonly Checkpoint[], name: string) =>
  checkpoints.find((c) => c.at === name)?.summary ?? `no checkpoint ${name}`;

// Argo's run message, with the last measurement's (the Job's Failed condition) appended
const TAILS_MESSAGE =
  'Metric \\"random-fail\\" assessed Failed due to failed (2) > failureLimit (1): \\"Error Message: Job has reached the specified backoff limit\\"';

describe('upstream experiment examples under Slipway (heads: every analysis passes)', {
  concurrency: true,
}, () => {
  const w = useSlipwayWorld('ex-heads');

  it('experiment-with-analysis.yaml: Running with both runs Successful until terminated, then Successful', async () => {
    const c = await experimentWithAnalysis(w, 'heads');
    // no duration and no requiredForCompletion: finished analyses do not end the experiment
    assert.equal(
      at(c, 'analyses done'),
      'phase=Running message="" conditions=[Progressing=True/NewReplicaSetAvailable] templates=[purple:Running,orange:Running] analyses=[random-fail:Successful,pass:Successful]',
    );
    assert.equal(
      at(c, 'terminated'),
      'phase=Successful message="" conditions=[Progressing=False/ExperimentCompleted] templates=[purple:Successful,orange:Successful] analyses=[random-fail:Successful,pass:Successful]',
    );
    assert.equal(assessHealth(await mustGetExperiment(w, 'experiment-with-analysis'))?.status, 'Healthy');
  });

  it('rollout-experiment-step.yaml: the step waits on the running experiment; promote moves on and terminates it', async () => {
    const name = 'rollout-experiment-step';
    const c = await rolloutExperimentStep(w, 'heads');
    assert.match(
      at(c, 'experiment running'),
      /^phase=Progressing .* step=1 abort=false .*\| phase=Running .*templates=\[canary:Running\]/,
    );
    assert.match(
      at(c, 'analysis done'),
      /^phase=Progressing .* step=1 abort=false .*\| phase=Running message="" .*templates=\[canary:Running\] analyses=\[random-fail:Successful\]$/,
    );
    assert.match(
      at(c, 'promoted'),
      /^phase=Healthy message="" step=2 abort=false .*\| phase=Successful message="" conditions=\[Progressing=False\/ExperimentCompleted\] templates=\[canary:Successful\] analyses=\[random-fail:Successful\]$/,
    );
    assert.equal(at(c, 'terminate'), 'terminate=true');
    await checkInvariants(w.client, w.namespace, name);
  });

  for (const name of ['rollout-canary-preview', 'rollout-baseline-vs-canary'] as const)
    it(`${name}.yaml: the experiment runs until promote, which terminates it and finishes the update`, async () => {
      const c = await rolloutExperimentUntilPromoted(w, name);
      const templates =
        name === 'rollout-canary-preview' ? 'canary-preview:Running' : 'baseline:Running,canary:Running';
      assert.match(
        at(c, 'experiment running'),
        new RegExp(
          `^phase=Progressing .* step=0 abort=false .*\\| phase=Running message="" .*templates=\\[${templates}\\] analyses=\\[\\]$`,
        ),
      );
      assert.match(
        at(c, 'promoted'),
        new RegExp(
          `^phase=Healthy message="" step=1 abort=false .*\\| phase=Successful message="" conditions=\\[Progressing=False/ExperimentCompleted\\] templates=\\[${templates.replaceAll('Running', 'Successful')}\\] analyses=\\[\\]$`,
        ),
      );
      assert.equal(at(c, 'terminate'), 'terminate=true');
      await checkInvariants(w.client, w.namespace, name);
    });
});

describe('upstream experiment examples under Slipway (tails: random-fail fails)', {
  concurrency: true,
}, () => {
  const w = useSlipwayWorld('ex-tails');

  it('experiment-with-analysis.yaml: the failing analysis fails the experiment', async () => {
    const c = await experimentWithAnalysis(w, 'tails');
    assert.equal(
      at(c, 'ended'),
      `phase=Failed message="${TAILS_MESSAGE}" conditions=[Progressing=True/NewReplicaSetAvailable] templates=[purple:Successful,orange:Successful] analyses=[random-fail:Failed,pass:Successful]`,
    );
    assert.equal(assessHealth(await mustGetExperiment(w, 'experiment-with-analysis'))?.status, 'Degraded');
    // the upstream plugin: status, message, both template ReplicaSets and both runs
    const view = await upstreamExperimentView(w.namespace, 'experiment-with-analysis');
    assert.equal(view.fields.Status, '✖ Failed');
    assert.equal(view.fields.Message, JSON.parse(`"${TAILS_MESSAGE}"`));
    const rows = view.tree.join('\n');
    assert.match(rows, /^Σ experiment-with-analysis \| Experiment \| ✖ Failed \| $/m);
    for (const t of ['purple', 'orange'])
      assert.match(rows, new RegExp(`⧉ experiment-with-analysis-${t} \\| ReplicaSet \\| `), rows);
    assert.match(rows, /α experiment-with-analysis-random-fail \| AnalysisRun \| ✖ Failed \| ✖ 2$/m);
    assert.match(rows, /α experiment-with-analysis-pass \| AnalysisRun \| ✔ Successful \| ✔ 1$/m);
  });

  it('rollout-experiment-step.yaml: the failed experiment aborts the Rollout', async () => {
    const name = 'rollout-experiment-step';
    const c = await rolloutExperimentStep(w, 'tails');
    const aborted = at(c, 'aborted');
    assert.ok(
      aborted.startsWith(
        `phase=Degraded message="RolloutAborted: Rollout aborted update to revision 2: Experiment analysis phase is error/failed: ${TAILS_MESSAGE}" step=0 abort=true`,
      ),
      aborted,
    );
    assert.ok(
      aborted.endsWith(
        `| phase=Failed message="${TAILS_MESSAGE}" conditions=[Progressing=True/NewReplicaSetAvailable] templates=[canary:Successful] analyses=[random-fail:Failed]`,
      ),
      aborted,
    );
    await checkInvariants(w.client, w.namespace, name);
  });
});

type Job = KubeObject & {
  spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } };
};
type PodSpecOf = { spec?: { template?: { spec?: unknown; metadata?: { labels?: Record<string, string> } } } };

const ownedBy = async <T extends KubeObject>(
  client: KubeClient,
  gvk: { apiVersion: string; kind: string },
  namespace: string,
  uid: string | undefined,
) =>
  (await client.listAll<T>(gvk, { namespace })).items.filter((o) =>
    o.metadata.ownerReferences?.some((r) => r.uid === uid),
  );

const HASH = 'rollouts-pod-template-hash';

describe("Argo's e2e experiment scenarios (experiment_test.go) under Slipway", { concurrency: true }, () => {
  const w = useSlipwayWorld('ex-e2e');

  it('TestRolloutWithExperimentAndAnalysis: specRef stable/canary, podTemplateHashValue and templates.X.podTemplateHash reach the Job', async () => {
    const name = 'rollout-experiment';
    // Given: test/e2e/functional/rollout-experiment-analysis.yaml
    await w.client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'echo-pod-hash', namespace: w.namespace },
      spec: {
        args: ['latest-hash', 'stable-hash', 'baseline-hash', 'canary-hash'].map((n) => ({ name: n })),
        metrics: [
          {
            name: 'echo-pod-hash',
            provider: {
              job: {
                metadata: { labels: { foo: 'bar' }, annotations: { foo2: 'bar2' } },
                spec: {
                  backoffLimit: 0,
                  template: {
                    spec: {
                      restartPolicy: 'Never',
                      containers: [
                        {
                          name: 'echo-pod-hash',
                          image: 'nginx:1.19-alpine',
                          command: ['sh', '-c'],
                          args: ['echo "latest hash: $(LATEST_HASH)"'],
                          env: ['latest', 'stable', 'baseline', 'canary'].map((n) => ({
                            name: `${n.toUpperCase()}_HASH`,
                            value: `{{args.${n}-hash}}`,
                          })),
                        },
                      ],
                    },
                  },
                },
              },
            },
          },
        ],
      },
    });
    await w.client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name, namespace: w.namespace },
      spec: {
        strategy: {
          canary: {
            steps: [
              {
                experiment: {
                  templates: [
                    { name: 'baseline', specRef: 'stable' },
                    { name: 'canary', specRef: 'canary' },
                  ],
                  analyses: [
                    {
                      name: 'echo-pod-hash',
                      templateName: 'echo-pod-hash',
                      requiredForCompletion: true,
                      args: [
                        { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
                        { name: 'latest-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
                        { name: 'baseline-hash', value: '{{templates.baseline.podTemplateHash}}' },
                        { name: 'canary-hash', value: '{{templates.canary.podTemplateHash}}' },
                      ],
                    },
                  ],
                },
              },
              { pause: {} },
            ],
          },
        },
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: 'rollouts-demo',
                image: 'nginx:1.19-alpine',
                resources: { requests: { memory: '16Mi', cpu: '5m' } },
              },
            ],
          },
        },
      },
    });
    // When: Healthy, no experiment; then a spec update (Argo's UpdateSpec: a template annotation)
    await rolloutReaches(w, name, 'Healthy', (r) => r.status?.phase === 'Healthy');
    assert.equal(
      (await w.client.listAll(EX, { namespace: w.namespace })).items.filter(ownedByName(name)).length,
      0,
    );
    await w.client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: w.namespace, name },
      { spec: { template: { metadata: { annotations: { update: new Date().toISOString() } } } } },
      { type: 'merge' },
    );
    const paused = await rolloutReaches(w, name, 'Paused', (r) => r.status?.phase === 'Paused');
    // Then: one experiment, of revision 2, Successful
    const experiments = (await w.client.listAll<Experiment>(EX, { namespace: w.namespace })).items.filter(
      ownedByName(name),
    );
    assert.equal(experiments.length, 1);
    const [ex] = experiments;
    assert.equal(ex?.metadata.annotations?.['rollout.argoproj.io/revision'], '2');
    assert.equal(ex?.status?.phase, 'Successful');
    assert.equal(ex?.status?.message, 'Required AnalysisRuns completed');

    const sets = await ownedBy<ReplicaSet & PodSpecOf>(w.client, RS, w.namespace, paused.metadata.uid);
    const byRevision = (rev: string) =>
      sets.find((rs) => rs.metadata.annotations?.['rollout.argoproj.io/revision'] === rev);
    const [rs1, rs2] = [byRevision('1'), byRevision('2')];
    const [rs1Hash, rs2Hash] = [rs1?.metadata.labels?.[HASH], rs2?.metadata.labels?.[HASH]];
    assert.ok(rs1Hash && rs2Hash);
    assert.notEqual(rs1Hash, rs2Hash);
    const exSets = await ownedBy<ReplicaSet & PodSpecOf>(w.client, RS, w.namespace, ex?.metadata.uid);
    const fromTemplate = (t: string) =>
      exSets.find((rs) => rs.metadata.annotations?.['experiment.argoproj.io/template-name'] === t);
    const [baseline, canary] = [fromTemplate('baseline'), fromTemplate('canary')];
    // specRef: the experiment's pod specs are the stable's and the canary's
    assert.deepEqual(baseline?.spec?.template?.spec, rs1?.spec?.template?.spec);
    assert.deepEqual(canary?.spec?.template?.spec, rs2?.spec?.template?.spec);

    const [run] = await ownedBy<KubeObject>(w.client, AR, w.namespace, ex?.metadata.uid);
    const jobs = await ownedBy<Job>(w.client, JOB, w.namespace, run?.metadata.uid);
    assert.equal(jobs.length, 1, 'one Job for the run');
    const [job] = jobs;
    const env = job?.spec?.template?.spec?.containers?.[0]?.env ?? [];
    assert.equal(env[0]?.value, rs2Hash, 'podTemplateHashValue: Latest');
    assert.equal(env[1]?.value, rs1Hash, 'podTemplateHashValue: Stable');
    // the job's metadata from the template's provider.job.metadata
    assert.equal(job?.metadata.labels?.foo, 'bar');
    assert.equal(job?.metadata.annotations?.foo2, 'bar2');
    // templates.X.podTemplateHash, and experiment hashes differ from the Rollout's (Argo issue 380)
    const baselineHash = baseline?.spec?.template?.metadata?.labels?.[HASH];
    const canaryHash = canary?.spec?.template?.metadata?.labels?.[HASH];
    assert.equal(env[2]?.value, baselineHash);
    assert.equal(env[3]?.value, canaryHash);
    assert.notEqual(baselineHash, canaryHash);
    assert.notEqual(baselineHash, rs1Hash);
    assert.notEqual(canaryHash, rs2Hash);

    await promoteRollout(w.client, { namespace: w.namespace, name });
    await rolloutReaches(w, name, 'Healthy after promote', (r) => r.status?.phase === 'Healthy');
    await checkInvariants(w.client, w.namespace, name);
  });

  it('an analysis that errors ends the experiment Error: Argo CD health and the upstream plugin show it', async () => {
    const name = 'experiment-error';
    await w.client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'unreachable', namespace: w.namespace },
      spec: {
        metrics: [
          {
            name: 'unreachable',
            consecutiveErrorLimit: 0,
            successCondition: 'result == 1',
            // nothing listens on port 1: the measurement is an Error
            provider: { web: { url: 'http://127.0.0.1:1/', timeoutSeconds: 2 } },
          },
        ],
      },
    });
    await w.client.create(
      oneTemplateExperiment(w.namespace, name, {
        analyses: [{ name: 'unreachable', templateName: 'unreachable' }],
      }),
    );
    const ex = await experimentReaches(w, name, 'Error', (e) => e.status?.phase === 'Error');
    assert.equal(ex.status?.analysisRuns?.[0]?.phase, 'Error');
    assert.match(
      ex.status?.message ?? '',
      /^Metric "unreachable" assessed Error due to consecutiveErrors \(1\) > consecutiveErrorLimit \(0\)/,
    );
    assert.deepEqual(assessHealth(ex), { status: 'Degraded', message: 'Experiment had an error' });
    const view = await upstreamExperimentView(w.namespace, name);
    assert.equal(view.fields.Status, '⚠ Error');
    assert.equal(view.fields.Message, ex.status?.message);
    assert.ok(
      view.tree.some((row) => /α experiment-error-unreachable \| AnalysisRun \| ⚠ Error \| /.test(row)),
      view.tree.join('\n'),
    );
  });

  it('TestExperimentWithDryRunMetrics: a failing dry-run Job metric leaves the experiment Successful', async () => {
    const name = 'experiment-with-dry-run';
    await w.client.create(jobTemplate(w.namespace, 'dry-run-job', { command: ['exit', '1'] }, {}));
    await w.client.create(
      oneTemplateExperiment(w.namespace, name, {
        analyses: [{ name: 'dry-run-job', templateName: 'dry-run-job' }],
        dryRun: [{ metricName: 'test.*' }],
      }),
    );
    await experimentReaches(w, name, 'Successful', (ex) => ex.status?.phase === 'Successful');
    const [run] = await ownedBy<KubeObject & { status?: { dryRunSummary?: Record<string, number> } }>(
      w.client,
      AR,
      w.namespace,
      (await mustGetExperiment(w, name)).metadata.uid,
    );
    // Argo: ExpectExperimentDryRunSummary(1, 0, 1)
    assert.deepEqual(
      [
        run?.status?.dryRunSummary?.count,
        run?.status?.dryRunSummary?.successful ?? 0,
        run?.status?.dryRunSummary?.failed,
      ],
      [1, 0, 1],
    );
  });

  it('TestExperimentWithMeasurementRetentionMetrics: only the last 2 measurements are kept', async () => {
    const name = 'experiment-with-mr';
    await w.client.create(
      jobTemplate(
        w.namespace,
        'measurement-retention-job',
        { command: ['sh', '-c'], args: ['exit 0'] },
        {
          interval: '3s',
          failureLimit: 1,
        },
      ),
    );
    await w.client.create(
      oneTemplateExperiment(w.namespace, name, {
        analyses: [{ name: 'measurement-retention-job', templateName: 'measurement-retention-job' }],
        measurementRetention: [{ metricName: 'test.*', limit: 2 }],
      }),
    );
    await experimentReaches(w, name, 'Successful', (ex) => ex.status?.phase === 'Successful');
    const [run] = await ownedBy<KubeObject & { status?: { metricResults?: { measurements?: unknown[] }[] } }>(
      w.client,
      AR,
      w.namespace,
      (await mustGetExperiment(w, name)).metadata.uid,
    );
    // Argo: ExpectExperimentMeasurementsLength(0, 2)
    assert.equal(run?.status?.metricResults?.[0]?.measurements?.length, 2);
  });
});

const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;
const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;
const JOB = { apiVersion: 'batch/v1', kind: 'Job' } as const;

const ownedByName = (owner: string) => (o: KubeObject) =>
  o.metadata.ownerReferences?.some((r) => r.name === owner) ?? false;

/** An AnalysisTemplate with one Job metric `test-1` (Argo's e2e dry-run and retention templates). */
function jobTemplate(
  namespace: string,
  name: string,
  container: { command: string[]; args?: string[] },
  metric: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name, namespace },
    spec: {
      metrics: [
        {
          name: 'test-1',
          ...metric,
          provider: {
            job: {
              spec: {
                template: {
                  spec: {
                    containers: [{ name: 'sleep', image: 'alpine:3.8', ...container }],
                    restartPolicy: 'Never',
                  },
                },
                backoffLimit: 0,
              },
            },
          },
        },
      ],
    },
  };
}

/** Argo's e2e experiment with one `baseline` template, a Service, duration 30 s and deadline 30 s. */
function oneTemplateExperiment(namespace: string, name: string, extra: Record<string, unknown>): KubeObject {
  return {
    ...EX,
    metadata: { name, namespace },
    spec: {
      duration: '30s',
      progressDeadlineSeconds: 30,
      templates: [
        {
          name: 'baseline',
          replicas: 1,
          service: {},
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              containers: [
                { name, image: 'nginx:1.19-alpine', resources: { requests: { memory: '16Mi', cpu: '1m' } } },
              ],
            },
          },
        },
      ],
      ...extra,
    },
  };
}
