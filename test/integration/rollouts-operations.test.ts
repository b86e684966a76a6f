import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { KubeObject } from '../../src/kube/index.js';
import { POD_TEMPLATE_HASH_LABEL, type ReplicaSet, revisionOf } from '../../src/rollouts/index.js';
import {
  checkInvariants,
  eventRecorded,
  getRollout,
  type RolloutObject,
  readyPodsByHash,
  replicaSetsOf,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually, testKubeconfigPath } from '../support/kube.js';

const isReady = (pod: KubeObject) =>
  ((pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

const hashOf = (rs: ReplicaSet) => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';

describe('rollouts: restart, undo and set-image', () => {
  const s = useRolloutScenario('ro-ops');

  /** Runs `slipway ARGS -n <namespace>` in process against the test cluster. */
  async function slipway(...args: string[]): Promise<void> {
    const code = await main([...args, '-n', s.namespace, '--kubeconfig', testKubeconfigPath()]);
    assert.equal(code, 0, `slipway ${args.join(' ')} exited ${code}`);
  }

  const at = s.reaches;

  const podsOf = async (app: string) =>
    (
      await s.client.listAll(
        { apiVersion: 'v1', kind: 'Pod' },
        { namespace: s.namespace, labelSelector: `app=${app}` },
      )
    ).items;

  const ownedReplicaSets = async (rollout: RolloutObject) =>
    (await replicaSetsOf(s.client, s.namespace)).filter((rs) =>
      rs.metadata.ownerReferences?.some((o) => o.uid === rollout.metadata.uid),
    );

  /** Samples pods while `run` executes; returns the fewest ready, non-terminating pods seen. */
  async function minReadyDuring(app: string, run: () => Promise<unknown>): Promise<number> {
    let min = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const pods = await podsOf(app).catch(() => undefined);
        if (pods !== undefined)
          min = Math.min(min, pods.filter((p) => !p.metadata.deletionTimestamp && isReady(p)).length);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    try {
      await run();
    } finally {
      sampling = false;
      await sampler;
    }
    return min;
  }

  it('restart (spec.restartAt) replaces every pod, at most maxUnavailable at a time, and sets status.restartedAt', async () => {
    const name = 'restart-demo';
    await s.createRollout({ name, replicas: 4 });
    const healthy = await at(name, 'Healthy with 4 pods', (r) => r.status?.phase === 'Healthy');
    const hash = healthy.status?.stableRS ?? '';
    await eventually('4 ready pods', async () => (await readyPodsByHash(s.client, s.namespace))[hash] === 4);
    const pods = await podsOf(name);
    const original = new Set(pods.map((p) => p.metadata.name));
    assert.equal(original.size, 4);
    // restartAt has a resolution of one second, and a pod created in that very second counts as new
    const newest = Math.max(...pods.map((p) => Date.parse(p.metadata.creationTimestamp ?? '')));
    await eventually('a second after the newest pod', () => Date.now() >= newest + 1000);

    // replicas 4, maxUnavailable 25% → 1: never fewer than 3 ready pods
    const minReady = await minReadyDuring(name, async () => {
      await slipway('rollout', 'restart', name);
      await at(
        name,
        'status.restartedAt = spec.restartAt',
        (r) => r.spec?.restartAt !== undefined && r.status?.restartedAt === r.spec.restartAt,
      );
      await eventually('4 ready pods, all new', async () => {
        const pods = (await podsOf(name)).filter((p) => !p.metadata.deletionTimestamp);
        return pods.length === 4 && pods.every((p) => !original.has(p.metadata.name) && isReady(p));
      });
    });
    assert.ok(minReady >= 3, `more than maxUnavailable pods were down at once (saw ${minReady} ready)`);

    const done = await at(
      name,
      'Healthy after the restart',
      (r) => r.status?.phase === 'Healthy' && r.status.availableReplicas === 4,
    );
    const restartAt = Date.parse(done.spec?.restartAt ?? '');
    for (const pod of await podsOf(name))
      assert.ok(
        Date.parse(pod.metadata.creationTimestamp ?? '') >= restartAt,
        `${pod.metadata.name} is older`,
      );
    assert.equal(done.status?.restartedAt, done.spec?.restartAt);
    assert.equal(done.status?.stableRS, hash, 'a restart is not a new revision');
    assert.equal((await ownedReplicaSets(done)).length, 1);
    await checkInvariants(s.client, s.namespace, name);
  });

  it('a new template cancels a pending restart: status.restartedAt is set, no pod is evicted', async () => {
    const name = 'restart-update';
    await s.createRollout({
      name,
      replicas: 4,
      steps: [{ setWeight: 25 }, { pause: {} }],
    });
    const healthy = await at(name, 'Healthy with 4 pods', (r) => r.status?.phase === 'Healthy');
    const stable = healthy.status?.stableRS ?? '';
    await eventually(
      '4 ready pods',
      async () => (await readyPodsByHash(s.client, s.namespace))[stable] === 4,
    );
    const pods = await podsOf(name);
    const newest = Math.max(...pods.map((p) => Date.parse(p.metadata.creationTimestamp ?? '')));
    await eventually('a second after the newest pod', () => Date.now() >= newest + 1000);

    // one write changes the image and asks for a restart (as applying both edits at once does)
    const restartAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const template = structuredClone(healthy.spec?.template) as { spec: { containers: { image: string }[] } };
    template.spec.containers[0]!.image = 'argoproj/rollouts-demo:yellow';
    await s.client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', namespace: s.namespace, name },
      { spec: { template, restartAt } },
      { type: 'merge' },
    );
    const paused = await at(
      name,
      'paused at 25% with the restart recorded',
      (r) =>
        r.status?.phase === 'Paused' && r.status.currentStepIndex === 1 && r.status.restartedAt === restartAt,
    );
    const canary = paused.status?.currentPodHash ?? '';
    await eventually('3 stable / 1 canary pods', async () => {
      const ready = await readyPodsByHash(s.client, s.namespace);
      return ready[stable] === 3 && ready[canary] === 1;
    });
    const stablePods = (await podsOf(name)).filter(
      (p) => p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === stable && !p.metadata.deletionTimestamp,
    );
    const original = new Set(pods.map((p) => p.metadata.name));
    assert.deepEqual(
      stablePods.filter((p) => !original.has(p.metadata.name)).map((p) => p.metadata.name),
      [],
      'the stable pods were scaled down, not restarted',
    );
    await checkInvariants(s.client, s.namespace, name);
  });

  it('undo: outside rollbackWindow walks the steps; back to stable mid-canary is immediate; within the window skips the steps', async () => {
    const name = 'undo-demo';
    const steps = [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }];
    await s.createRollout({
      name,
      replicas: 4,
      steps,
      spec: { revisionHistoryLimit: 10, rollbackWindow: { revisions: 1 } },
    });
    const rs1 = await at(name, 'revision 1 Healthy', (r) => r.status?.phase === 'Healthy');
    const blue = rs1.status?.stableRS ?? '';

    /** set-image through the CLI, then promote --full, each revision's ReplicaSet in a later second. */
    const deploy = async (image: string): Promise<string> => {
      const sets = await ownedReplicaSets(await getRollout(s.client, s.namespace, name));
      const newest = Math.max(...sets.map((rs) => Date.parse(rs.metadata.creationTimestamp ?? '')));
      await eventually('a later second for creationTimestamp', () => Date.now() >= newest + 1000);
      await slipway('rollout', 'set-image', name, `app=argoproj/rollouts-demo:${image}`);
      const paused = await at(
        name,
        `${image} paused at step 1`,
        (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
      );
      assert.match(JSON.stringify(paused.spec?.template), new RegExp(`rollouts-demo:${image}`));
      await slipway('rollout', 'promote', name, '--full');
      const hash = paused.status?.currentPodHash ?? '';
      await at(name, `${image} Healthy`, (r) => r.status?.phase === 'Healthy' && r.status.stableRS === hash);
      return hash;
    };
    const yellow = await deploy('yellow');
    const red = await deploy('red');
    const revisions = async () => {
      const sets = await ownedReplicaSets(await getRollout(s.client, s.namespace, name));
      return Object.fromEntries(sets.map((rs) => [hashOf(rs), revisionOf(rs)]));
    };
    assert.deepEqual(await revisions(), { [blue]: 1, [yellow]: 2, [red]: 3 });
    await eventually('4 red pods', async () => (await readyPodsByHash(s.client, s.namespace))[red] === 4);

    // 1) back to revision 1: the yellow ReplicaSet lies between it and stable, outside a window of 1
    await slipway('rollout', 'undo', name, '--to-revision', '1');
    const undone = await at(
      name,
      'blue paused at step 1 (25%)',
      (r) =>
        r.status?.phase === 'Paused' && r.status.currentStepIndex === 1 && r.status.currentPodHash === blue,
    );
    assert.equal(undone.status?.stableRS, red);
    await eventually('3 red / 1 blue pods', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[red] === 3 && pods[blue] === 1;
    });
    assert.deepEqual(await revisions(), { [blue]: 4, [yellow]: 2, [red]: 3 }, 'the old ReplicaSet is reused');

    // 2) mid-canary, undo to the previous revision, the stable one: no steps, straight back
    await slipway('rollout', 'undo', name);
    const back = await at(
      name,
      'Healthy on red again',
      (r) => r.status?.phase === 'Healthy' && r.status.currentPodHash === red,
    );
    assert.equal(back.status?.stableRS, red);
    assert.equal(back.status?.currentStepIndex, steps.length);
    await eventually('4 red pods, blue scaled to 0', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      const sets = await ownedReplicaSets(back);
      return (
        pods[red] === 4 &&
        (pods[blue] ?? 0) === 0 &&
        sets.find((rs) => hashOf(rs) === blue)?.spec?.replicas === 0
      );
    });
    await eventRecorded(
      s.client,
      s.namespace,
      name,
      'SkipSteps',
      (m) => m === 'SkipSteps: Rollback to stable',
    );
    assert.deepEqual(await revisions(), { [blue]: 4, [yellow]: 2, [red]: 5 });

    // 3) back to yellow (revision 2): nothing was created between it and stable, so within the window
    let paused = false;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const r = await getRollout(s.client, s.namespace, name).catch(() => undefined);
        if ((r?.status?.pauseConditions ?? []).length > 0) paused = true;
        await new Promise((res) => setTimeout(res, 25));
      }
    })();
    await slipway('rollout', 'undo', name, '--to-revision', '2');
    const fast = await at(
      name,
      'Healthy on yellow without steps',
      (r) =>
        r.status?.phase === 'Healthy' && r.status.stableRS === yellow && r.status.currentPodHash === yellow,
    );
    watching = false;
    await watcher;
    assert.equal(paused, false, 'no pause step was entered');
    assert.equal(fast.status?.currentStepIndex, steps.length);
    await eventRecorded(s.client, s.namespace, name, 'RolloutCompleted (rollback within window)', (m) =>
      /^RolloutCompleted: Rollout completed update to revision 6 \(\w+\): Rollback within window$/.test(m),
    );
    await eventually('4 yellow pods only', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[yellow] === 4 && (pods[red] ?? 0) === 0 && (pods[blue] ?? 0) === 0;
    });
    assert.equal((await ownedReplicaSets(fast)).length, 3, 'no new ReplicaSet for any undo');
    await checkInvariants(s.client, s.namespace, name);
  });
});
