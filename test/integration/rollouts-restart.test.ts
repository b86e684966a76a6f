import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useRestartedController } from '../support/fixtures/restarted-controller.js';
import {
  checkInvariants,
  createRollout,
  getRollout,
  replicaSetsOf,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { SideWatch } from '../support/fixtures/side-watch.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

describe('rollouts: the controller killed at step boundaries', () => {
  const controller = useRestartedController('rollout-controller-process');
  const { client, ns } = useTestNamespace('ro-restart', { crds: true });

  it('completes after ≥ 20 SIGKILLs: no duplicate ReplicaSet, no step backwards, pause start times kept', async () => {
    const name = 'restart-demo';
    const steps = [10, 20, 40, 60, 80, 90].flatMap((w) => [{ setWeight: w }, { pause: { duration: 2 } }]);
    await createRollout(client, ns.name, { name, replicas: 4, steps });
    await controller.start(ns.name);
    await eventually(
      'initial deploy Healthy',
      async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
      60_000,
    );

    // watch the world from the side: step index per revision never decreases, pause start times never change
    const watch = new SideWatch(async (w) => {
      const r = await getRollout(client, ns.name, name);
      const hash = r.status?.currentPodHash ?? '';
      const step = r.status?.currentStepIndex ?? 0;
      w.stepNeverBack(hash, step);
      w.mark(`${hash.slice(0, 4)}:${step}${(r.status?.pauseConditions ?? []).length > 0 ? 'P' : ''}`);
      for (const p of r.status?.pauseConditions ?? [])
        w.pauseStartKept(`${hash}/${step}/${p.reason}`, p.startTime);
      w.noDuplicateHashes(await replicaSetsOf(client, ns.name));
    }, 50);

    let kills = 0;
    let revision = 0;
    const images = Array.from({ length: 12 }, (_, i) => `v${i + 1}`);
    while (kills < 20 || (await getRollout(client, ns.name, name)).status?.phase !== 'Healthy') {
      const r = await getRollout(client, ns.name, name);
      if (r.status?.phase === 'Healthy') {
        assert.ok(revision < images.length, 'too many revisions needed');
        await setImage(client, ns.name, name, `argoproj/rollouts-demo:${images[revision++]}`);
      }
      const before = (await getRollout(client, ns.name, name)).status?.currentStepIndex;
      // kill at the next step boundary (or after 1.5 s, which lands inside a pause)
      await controller.killAtNextMove(
        async () => (await getRollout(client, ns.name, name)).status?.currentStepIndex !== before,
      );
      kills++;
      if (kills > 60) break;
    }
    await eventually(
      'Healthy after the last revision',
      async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
      90_000,
    );
    await watch.stop();
    process.stdout.write(`# ${watch.seq.join(' ')}\n`);
    process.stdout.write(
      `# ${kills} SIGKILLs over ${revision} revisions; ${watch.pauseStarts.size} pauses observed\n`,
    );
    assert.ok(kills >= 20, `only ${kills} kills`);
    assert.deepEqual(watch.problems, []);
    const final = await getRollout(client, ns.name, name);
    assert.equal(final.status?.currentStepIndex, steps.length);
    assert.equal(final.status?.stableRS, final.status?.currentPodHash);
    await checkInvariants(client, ns.name, name);
  });
});
