import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/core/index.js';
import { promoteRollout } from '../../src/rollouts/index.js';
import {
  checkInvariants,
  createRollout,
  eventReasons,
  getRollout,
  readyPodsByHash,
  replicaSetsOf,
  setImage,
  startRolloutController,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

describe('rollouts: the appendix canary', () => {
  let manager: Manager;
  const recorded: string[] = [];
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    await manager.stop();
  });
  const { client, ns } = useTestNamespace('ro-canary', { crds: true });

  before(async () => {
    manager = await startRolloutController(client, ns.name);
    manager.events.onEvent((e) => {
      if (e.subject.metadata.name === 'rollouts-demo') recorded.push(e.reason);
    });
  });

  it('initial deploy goes to 100%, then an image change walks the steps to Healthy', async () => {
    const name = 'rollouts-demo';
    await createRollout(client, ns.name, {
      name,
      steps: [
        { setWeight: 20 },
        { pause: {} },
        { setWeight: 40 },
        { pause: { duration: 2 } },
        { setWeight: 60 },
        { pause: { duration: '2s' } },
        { setWeight: 80 },
        { pause: { duration: 2 } },
      ],
    });
    const initial = await eventually(
      'the initial deploy to be Healthy',
      async () => {
        const r = await getRollout(client, ns.name, name);
        return r.status?.phase === 'Healthy' && r.status.availableReplicas === 5 ? r : undefined;
      },
      60_000,
    );
    const stableHash = initial.status?.stableRS ?? '';
    assert.equal(initial.status?.currentPodHash, stableHash);
    assert.equal(initial.status?.currentStepIndex, 8);
    await eventually(
      'the revision annotation on the Rollout',
      async () =>
        (await getRollout(client, ns.name, name)).metadata.annotations?.['rollout.argoproj.io/revision'] ===
        '1',
    );

    await setImage(client, ns.name, name, 'argoproj/rollouts-demo:yellow');
    const paused = await eventually(
      'the first pause with 4 stable / 1 canary pods',
      async () => {
        const r = await getRollout(client, ns.name, name);
        if (r.status?.phase !== 'Paused' || r.status.currentStepIndex !== 1) return undefined;
        const pods = await readyPodsByHash(client, ns.name);
        const canaryHash = r.status.currentPodHash ?? '';
        return pods[stableHash] === 4 && pods[canaryHash] === 1 ? r : undefined;
      },
      60_000,
    );
    assert.equal(paused.status?.message, 'CanaryPauseStep');
    assert.equal(paused.status?.pauseConditions?.[0]?.reason, 'CanaryPauseStep');
    const canaryHash = paused.status?.currentPodHash ?? '';
    assert.notEqual(canaryHash, stableHash);

    await promoteRollout(client, { namespace: ns.name, name });
    const done = await eventually(
      'the rollout to finish every step and be Healthy',
      async () => {
        const r = await getRollout(client, ns.name, name);
        return r.status?.phase === 'Healthy' && r.status.stableRS === canaryHash ? r : undefined;
      },
      120_000,
    );
    assert.equal(done.status?.currentStepIndex, 8);
    assert.equal(done.metadata.annotations?.['rollout.argoproj.io/revision'], '2');
    await eventually('the old ReplicaSet scaled to 0', async () => {
      const sets = await replicaSetsOf(client, ns.name);
      const old = sets.find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === stableHash);
      return old?.spec?.replicas === 0;
    });
    const pods = await eventually('5 new pods only', async () => {
      const p = await readyPodsByHash(client, ns.name);
      return p[canaryHash] === 5 && (p[stableHash] ?? 0) === 0 ? p : undefined;
    });
    assert.deepEqual(pods, { [canaryHash]: 5 });

    // every step in order: the in-process listener sees each event (the API aggregates repeats)
    const expected = [
      'RolloutUpdated', // as Argo: the revision is set, then the ReplicaSet's creation reported
      'NewReplicaSetCreated',
      'RolloutCompleted',
      'ScalingReplicaSet',
      'RolloutUpdated',
      'NewReplicaSetCreated',
      'ScalingReplicaSet',
      'RolloutStepCompleted', // setWeight 20
      'RolloutPaused',
      'RolloutStepCompleted', // pause {} (promoted)
      'RolloutResumed',
      'ScalingReplicaSet',
      'RolloutStepCompleted', // setWeight 40
      'RolloutPaused',
      'RolloutStepCompleted', // pause 2
      'RolloutResumed',
      'RolloutStepCompleted', // setWeight 60
      'RolloutPaused',
      'RolloutStepCompleted',
      'RolloutResumed',
      'RolloutStepCompleted', // setWeight 80
      'RolloutPaused',
      'RolloutStepCompleted',
      'RolloutResumed',
      'RolloutCompleted',
    ];
    let at = 0;
    for (const reason of recorded) if (reason === expected[at]) at++;
    assert.equal(at, expected.length, `events out of order: ${recorded.join(', ')}`);
    assert.equal(recorded.filter((r) => r === 'RolloutStepCompleted').length, 8);
    assert.ok(
      (await eventReasons(client, ns.name, name)).includes('RolloutStepCompleted'),
      'events are written',
    );
    await checkInvariants(client, ns.name, name);
  });
});
