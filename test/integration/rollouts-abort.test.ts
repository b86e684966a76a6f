import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abortRollout, promoteRollout, retryRollout } from '../../src/rollouts/index.js';
import {
  checkInvariants,
  getRollout,
  readyPodsByHash,
  replicaSetsOf,
  setImage,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';

describe('rollouts: abort, retry and promote --full', () => {
  const s = useRolloutScenario('ro-abort');

  const at = s.reaches;

  it('abort at 40% scales the canary away; retry restarts at step 0; promote --full goes to 100%', async () => {
    const name = 'abort-demo';
    const ref = { namespace: s.namespace, name };
    await s.createRollout({
      name,
      steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 40 }, { pause: {} }, { setWeight: 80 }],
    });
    const initial = await at(name, 'initial deploy Healthy', (r) => r.status?.phase === 'Healthy');
    const stable = initial.status?.stableRS ?? '';
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:red');
    await s.pausedAt(name, 'pause at 20%', 1);
    await promoteRollout(s.client, ref);
    const at40 = await s.pausedAt(name, 'pause at 40%', 3);
    const canary = at40.status?.currentPodHash ?? '';
    await eventually('2 canary / 3 stable pods', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[canary] === 2 && pods[stable] === 3;
    });

    await abortRollout(s.client, ref);
    const aborted = await at(name, 'Degraded after abort', (r) => r.status?.phase === 'Degraded');
    assert.match(aborted.status?.message ?? '', /^RolloutAborted: Rollout aborted update to revision 2/);
    assert.equal(aborted.status?.abort, true);
    assert.ok(aborted.status?.abortedAt);
    await eventually('canary 0 / stable 5', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      const sets = await replicaSetsOf(s.client, s.namespace);
      const canaryRS = sets.find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === canary);
      return canaryRS?.spec?.replicas === 0 && pods[stable] === 5 && (pods[canary] ?? 0) === 0;
    });
    const spec = await getRollout(s.client, s.namespace, name);
    assert.match(JSON.stringify(spec.spec?.template), /rollouts-demo:red/, 'spec keeps the new version');
    await checkInvariants(s.client, s.namespace, name);

    await retryRollout(s.client, ref);
    const retried = await s.pausedAt(name, 'paused at step 1 after retry', 1);
    assert.equal(retried.status?.abort, undefined);
    await eventually('1 canary / 4 stable pods again', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[canary] === 1 && pods[stable] === 4;
    });

    // promote --full: straight to 100%, within maxSurge (25% of 5 → 2) and maxUnavailable (25% → 1)
    let maxTotal = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const sets = await replicaSetsOf(s.client, s.namespace);
        maxTotal = Math.max(
          maxTotal,
          sets.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0),
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await promoteRollout(s.client, ref, { full: true });
    const done = await at(
      name,
      'Healthy on the new version',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === canary,
      90_000,
    );
    sampling = false;
    await sampler;
    assert.equal(done.status?.promoteFull, undefined);
    assert.ok(maxTotal <= 7, `at most replicas + maxSurge pods were requested (saw ${maxTotal})`);
    await eventually(
      '5 canary pods',
      async () => (await readyPodsByHash(s.client, s.namespace))[canary] === 5,
    );
    await checkInvariants(s.client, s.namespace, name);
  });
});
