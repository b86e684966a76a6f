import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import { useRestartedController } from '../support/fixtures/restarted-controller.js';
import {
  checkInvariants,
  createRollout,
  getRollout,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;

// No AnalysisRun controller runs here: the test plays its part by setting the run's phase.
describe('rollouts: the controller killed between an AnalysisRun create and the status naming it', () => {
  const controller = useRestartedController('rollout-controller-process');
  const { client, ns } = useTestNamespace('ro-restart-ar', { crds: true });

  before(async () => {
    await client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'quick', namespace: ns.name },
      spec: {
        metrics: [
          { name: 'ok', successCondition: 'result == 1', provider: { web: { url: 'http://x.invalid' } } },
        ],
      },
    });
  });

  it('after the restart exactly one run exists for the step (no ".1" twin) and the Rollout proceeds', async () => {
    const name = 'twin-guard';
    await createRollout(client, ns.name, {
      name,
      replicas: 2,
      steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'quick' }] } }],
    });
    // this process SIGKILLs itself right after it creates an AnalysisRun
    await controller.start(ns.name, { SLIPWAY_TEST_KILL_AFTER_CREATE: 'AnalysisRun' });
    await eventually(
      'initial deploy Healthy',
      async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
      90_000,
    );
    await setImage(client, ns.name, name, 'argoproj/rollouts-demo:green');
    assert.equal(await controller.exited(120_000), 'SIGKILL', 'killed right after the AnalysisRun create');
    const stepRuns = async (): Promise<KubeObject[]> =>
      (await client.listAll(AR, { namespace: ns.name, labelSelector: 'step-index=1' })).items;
    const [created, ...others] = await stepRuns();
    assert.ok(created !== undefined, 'the run was created before the kill');
    assert.deepEqual(others, []);

    // the analysis finished while the controller was down (a fast metric)
    await client.patch(
      { ...AR, namespace: ns.name, name: created.metadata.name ?? '' },
      { status: { phase: 'Successful' } },
      { type: 'merge', subresource: 'status' },
    );
    await controller.start(ns.name);
    // done when the Rollout is through the step, or as soon as a twin run shows up
    await eventually(
      'Healthy after the analysis step, or a twin run',
      async () => {
        if ((await stepRuns()).length > 1) return true;
        const r = await getRollout(client, ns.name, name);
        return r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash;
      },
      120_000,
    );
    assert.deepEqual(
      (await stepRuns()).map((r) => r.metadata.name),
      [created.metadata.name],
      'exactly one run for the analysis step',
    );
    const done = await getRollout(client, ns.name, name);
    assert.equal(done.status?.phase, 'Healthy');
    assert.equal(done.status?.stableRS, done.status?.currentPodHash);
    await checkInvariants(client, ns.name, name);
  });
});
