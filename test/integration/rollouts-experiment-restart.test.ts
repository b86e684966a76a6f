// The experiment step survives a controller SIGKILLed anywhere: right after it created the Experiment,
// and at every step boundary over two revisions. No Experiment controller runs here: the test plays it
// (a new Experiment turns Running, then Successful) and checks that each experiment step got exactly one
// Experiment (no collision-suffixed twin), that no step ran backwards, and that the Rollout ends Healthy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Experiment } from '../../src/experiments/index.js';
import { isNotFound, type KubeClient } from '../../src/kube/index.js';
import type { CanaryStep } from '../../src/rollouts/index.js';
import { useRestartedController } from '../support/fixtures/restarted-controller.js';
import {
  checkInvariants,
  createRollout,
  getRollout,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { SideWatch } from '../support/fixtures/side-watch.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const EX = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment' } as const;

const experimentStep = (): CanaryStep => ({
  experiment: {
    templates: [
      { name: 'baseline', specRef: 'stable' },
      { name: 'canary', specRef: 'canary' },
    ],
  },
});

async function setPhase(client: KubeClient, namespace: string, name: string, phase: string): Promise<void> {
  const ref = { ...EX, namespace, name };
  try {
    await client.patch(ref, { status: { phase } }, { type: 'merge', subresource: 'status' });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await client.patch(ref, { status: { phase } }, { type: 'merge' });
  }
}

const listExperiments = async (client: KubeClient, namespace: string) =>
  (await client.listAll<Experiment>(EX, { namespace })).items;

describe('rollouts: the experiment step with the controller SIGKILLed', () => {
  const controller = useRestartedController('rollout-controller-process');
  const { client, ns } = useTestNamespace('ro-restart-ex', { crds: true });

  it('killed right after the Experiment create: one Experiment for the step, and the Rollout proceeds', async () => {
    const name = 'ex-twin-guard';
    await createRollout(client, ns.name, { name, replicas: 2, steps: [{ setWeight: 50 }, experimentStep()] });
    await controller.start(ns.name, { SLIPWAY_TEST_KILL_AFTER_CREATE: 'Experiment' });
    await eventually(
      'initial deploy Healthy',
      async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
      90_000,
    );
    await setImage(client, ns.name, name, 'argoproj/rollouts-demo:green');
    assert.equal(await controller.exited(120_000), 'SIGKILL', 'killed right after the Experiment create');
    const [created, ...others] = await listExperiments(client, ns.name);
    assert.ok(created !== undefined, 'the experiment was created before the kill');
    assert.deepEqual(others, []);
    const named = await getRollout(client, ns.name, name);
    assert.equal(named.status?.canary?.currentExperiment, created.metadata.name, 'status named it first');

    await setPhase(client, ns.name, created.metadata.name ?? '', 'Successful');
    await controller.start(ns.name);
    await eventually(
      'Healthy after the experiment step, or a twin experiment',
      async () => {
        if ((await listExperiments(client, ns.name)).length > 1) return true;
        const r = await getRollout(client, ns.name, name);
        return r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash;
      },
      120_000,
    );
    assert.deepEqual(
      (await listExperiments(client, ns.name)).map((e) => e.metadata.name),
      [created.metadata.name],
      'exactly one experiment for the step',
    );
    controller.kill();
    await checkInvariants(client, ns.name, name);
  });

  it('SIGKILLs at step boundaries over two revisions: one experiment per step, no step backwards, Healthy', async () => {
    const name = 'ex-restart';
    const steps: CanaryStep[] = [
      { setWeight: 25 },
      experimentStep(),
      { setWeight: 50 },
      experimentStep(),
      { pause: { duration: 1 } },
    ];
    await createRollout(client, ns.name, { name, replicas: 4, steps });
    await controller.start(ns.name);
    await eventually(
      'initial deploy Healthy',
      async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
      90_000,
    );

    // the Experiment controller's part: a new experiment runs, then succeeds a moment later
    const runningSince = new Map<string, number>();
    const player = new SideWatch(async (w) => {
      for (const ex of await listExperiments(client, ns.name)) {
        if (!ex.metadata.name?.startsWith(`${name}-`) || ex.spec?.terminate) continue;
        const exName = ex.metadata.name;
        const phase = ex.status?.phase ?? '';
        if (phase === '') {
          await setPhase(client, ns.name, exName, 'Running');
          runningSince.set(exName, Date.now());
        } else if (phase === 'Running' && Date.now() - (runningSince.get(exName) ?? 0) > 700) {
          await setPhase(client, ns.name, exName, 'Successful');
        }
      }
      const r = await getRollout(client, ns.name, name);
      w.stepNeverBack(r.status?.currentPodHash ?? '', r.status?.currentStepIndex ?? 0);
    }, 100);

    let kills = 0;
    let revision = 0;
    const images = ['red', 'green', 'yellow', 'orange'];
    while (kills < 10 || (await getRollout(client, ns.name, name)).status?.phase !== 'Healthy') {
      const r = await getRollout(client, ns.name, name);
      if (r.status?.phase === 'Healthy' && revision < 2) {
        await setImage(client, ns.name, name, `argoproj/rollouts-demo:${images[revision++]}`);
      } else if (r.status?.phase === 'Healthy' && kills >= 10) break;
      const before = (await getRollout(client, ns.name, name)).status?.currentStepIndex;
      await controller.killAtNextMove(
        async () => (await getRollout(client, ns.name, name)).status?.currentStepIndex !== before,
      );
      kills++;
      if (kills > 40) break;
    }
    const done = await eventually(
      'Healthy after the last revision',
      async () => {
        const r = await getRollout(client, ns.name, name);
        return r.status?.phase === 'Healthy' && revision >= 2 ? r : undefined;
      },
      120_000,
    );
    await player.stop();
    process.stdout.write(`# ${kills} SIGKILLs over ${revision} revisions\n`);
    assert.deepEqual(player.problems, []);
    assert.equal(done.status?.currentStepIndex, steps.length);
    // Argo's names, one per experiment step and revision: no collision-suffixed twin
    const names = (await listExperiments(client, ns.name))
      .map((e) => e.metadata.name ?? '')
      .filter((n) => n.startsWith(`${name}-`))
      .sort();
    const expected = (
      await client.listAll({ apiVersion: 'apps/v1', kind: 'ReplicaSet' }, { namespace: ns.name })
    ).items
      .filter((rs) => rs.metadata.name?.startsWith(`${name}-`))
      .map((rs) => ({
        hash: rs.metadata.labels?.['rollouts-pod-template-hash'] ?? '',
        revision: rs.metadata.annotations?.['rollout.argoproj.io/revision'] ?? '',
      }))
      .filter((rs) => rs.revision !== '1')
      .flatMap((rs) => [1, 3].map((step) => `${name}-${rs.hash}-${rs.revision}-${step}`))
      .sort();
    assert.deepEqual(names, expected);
    await checkInvariants(client, ns.name, name);
  });
});
