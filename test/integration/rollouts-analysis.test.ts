import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/core/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { promoteRollout } from '../../src/rollouts/index.js';
import {
  checkInvariants,
  createRollout,
  getRollout,
  type RolloutObject,
  setImage,
  startRolloutController,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;

// No AnalysisRun controller runs here: the test plays its part by patching run status.
describe('rollouts: inline analysis steps', () => {
  let manager: Manager;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    await manager.stop();
  });
  const { client, ns } = useTestNamespace('ro-analysis', { crds: true });

  before(async () => {
    manager = await startRolloutController(client, ns.name);
    await client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'success-rate', namespace: ns.name },
      spec: {
        args: [{ name: 'service-name' }, { name: 'hash' }],
        metrics: [
          {
            name: 'success-rate',
            successCondition: 'result[0] >= 0.95',
            provider: { web: { url: 'http://metrics.invalid/{{args.service-name}}', jsonPath: '{$.rate}' } },
          },
        ],
      },
    });
  });

  const rollout = (name: string) => getRollout(client, ns.name, name);
  const runFor = async (name: string, step: number): Promise<KubeObject> => {
    const { items } = await client.listAll(AR, { namespace: ns.name, labelSelector: `step-index=${step}` });
    const live = items.filter(
      (r) => r.metadata.name?.startsWith(`${name}-`) && !(r.status as { phase?: string })?.phase,
    );
    assert.equal(live.length, 1, `one pending run for step ${step}`);
    return live[0]!;
  };
  const setPhase = (run: KubeObject, phase: string, message?: string) =>
    client.patch(
      { ...AR, namespace: ns.name, name: run.metadata.name ?? '' },
      { status: { phase, ...(message && { message }) } },
      {
        type: 'merge',
        subresource: 'status',
      },
    );

  it('Successful continues, Inconclusive pauses until promoted, Failed aborts', async () => {
    const name = 'analysis-demo';
    const analysis = {
      templates: [{ templateName: 'success-rate' }],
      args: [
        { name: 'service-name', value: 'demo' },
        { name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' as const } },
      ],
    };
    await createRollout(client, ns.name, {
      name,
      replicas: 4,
      steps: [
        { setWeight: 25 },
        { analysis },
        { setWeight: 50 },
        { analysis },
        { setWeight: 75 },
        { analysis },
      ],
    });
    await eventually('Healthy', async () => (await rollout(name)).status?.phase === 'Healthy', 60_000);
    await setImage(client, ns.name, name, 'argoproj/rollouts-demo:green');

    // step 1: a run named and labelled like Argo's, owned by the Rollout
    const at1 = await eventually(
      'analysis run for step 1',
      async () => {
        const r = await rollout(name);
        return r.status?.currentStepIndex === 1 && r.status.canary?.currentStepAnalysisRunStatus
          ? r
          : undefined;
      },
      60_000,
    );
    const hash = at1.status?.currentPodHash ?? '';
    // status names the run before it is created (a restart then finds it): wait for the create
    const run1 = await eventually('run for step 1', () => runFor(name, 1), 30_000);
    assert.equal(run1.metadata.name, `${name}-${hash}-2-1`);
    assert.deepEqual(
      {
        type: run1.metadata.labels?.['rollout-type'],
        hash: run1.metadata.labels?.['rollouts-pod-template-hash'],
      },
      { type: 'Step', hash },
    );
    assert.equal(run1.metadata.ownerReferences?.[0]?.kind, 'Rollout');
    const args = (run1.spec as { args?: { name: string; value?: string }[] }).args ?? [];
    assert.deepEqual(args.find((a) => a.name === 'hash')?.value, hash, 'podTemplateHashValue resolved');
    await setPhase(run1, 'Successful');
    await eventually(
      'step 3 (next analysis)',
      async () => (await rollout(name)).status?.currentStepIndex === 3,
      60_000,
    );

    // step 3: Inconclusive pauses; promote moves on
    const run3 = await eventually('run for step 3', () => runFor(name, 3), 30_000);
    await setPhase(run3, 'Inconclusive');
    const paused = await eventually('paused on InconclusiveAnalysisRun', async () => {
      const r = await rollout(name);
      return r.status?.phase === 'Paused' ? r : undefined;
    });
    assert.equal(paused.status?.pauseConditions?.[0]?.reason, 'InconclusiveAnalysisRun');
    await promoteRollout(client, { namespace: ns.name, name });
    await eventually(
      'step 5 after promote',
      async () => (await rollout(name)).status?.currentStepIndex === 5,
      60_000,
    );

    // step 5: Failed aborts
    const run5 = await eventually('run for step 5', () => runFor(name, 5), 30_000);
    await setPhase(
      run5,
      'Failed',
      'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    );
    const aborted: RolloutObject = await eventually('aborted', async () => {
      const r = await rollout(name);
      return r.status?.phase === 'Degraded' ? r : undefined;
    });
    assert.equal(aborted.status?.abort, true);
    assert.match(
      aborted.status?.message ?? '',
      /RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" assessed Failed/,
    );
    await eventually(
      'canary scaled to 0',
      async () => (await rollout(name)).status?.updatedReplicas === 0,
      30_000,
    );
    await checkInvariants(client, ns.name, name);
  });
});
