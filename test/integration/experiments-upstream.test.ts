/**
 * Issue 15: Argo Rollouts' experiment examples (examples/experiment-with-analysis.yaml,
 * rollout-experiment-step.yaml, rollout-canary-preview.yaml, rollout-baseline-vs-canary.yaml) end to end
 * on the real cluster, with Slipway's Rollout, Experiment and AnalysisRun controllers together (nothing
 * played by the test): each reaches the phases, messages and template/analysis statuses Argo's controller
 * reaches (see experiments/experiment.go calculateStatus, rollout/experiment.go reconcileExperiments).
 * The analysis is the example's own Job metric, run by kwok; `random-fail`'s coin is fixed per scenario.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerAnalysisController } from '../../src/analysis/index.js';
import { Manager } from '../../src/core/index.js';
import { registerExperimentController } from '../../src/experiments/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import { Metrics, silentLogger } from '../../src/observability/index.js';
import { registerRolloutController } from '../../src/rollouts/index.js';
import { assessHealth } from '../../src/sync/index.js';
import {
  applyAnalysisTemplates,
  type Checkpoint,
  type ExampleWorld,
  experimentWithAnalysis,
  getExperiment,
  rolloutExperimentStep,
  rolloutExperimentUntilPromoted,
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
