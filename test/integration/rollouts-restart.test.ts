import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { spawnControllerFixture, whenStarted } from '../support/fixtures/fixture-process.js';
import {
  checkInvariants,
  createRollout,
  getRollout,
  replicaSetsOf,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

describe('rollouts: the controller killed at step boundaries', () => {
  let proc: ChildProcess | undefined;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    proc?.kill('SIGKILL');
  });
  const { client, ns } = useTestNamespace('ro-restart', { crds: true });

  it('completes after ≥ 20 SIGKILLs: no duplicate ReplicaSet, no step backwards, pause start times kept', async () => {
    const name = 'restart-demo';
    const steps = [10, 20, 40, 60, 80, 90].flatMap((w) => [{ setWeight: w }, { pause: { duration: 2 } }]);
    await createRollout(client, ns.name, { name, replicas: 4, steps });
    proc = await whenStarted(spawnControllerFixture('rollout-controller-process', ns.name));
    await eventually(
      'initial deploy Healthy',
      async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
      60_000,
    );

    // watch the world from the side: step index per revision never decreases, pause start times never change
    const problems: string[] = [];
    const maxStep = new Map<string, number>();
    const pauseStarts = new Map<string, string>();
    const seq: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        try {
          const r = await getRollout(client, ns.name, name);
          const hash = r.status?.currentPodHash ?? '';
          const step = r.status?.currentStepIndex ?? 0;
          if (step < (maxStep.get(hash) ?? 0))
            problems.push(`step went back from ${maxStep.get(hash)} to ${step} (${hash})`);
          maxStep.set(hash, Math.max(step, maxStep.get(hash) ?? 0));
          const mark = `${hash.slice(0, 4)}:${step}${(r.status?.pauseConditions ?? []).length > 0 ? 'P' : ''}`;
          if (seq.at(-1) !== mark) seq.push(mark);
          for (const p of r.status?.pauseConditions ?? []) {
            const key = `${hash}/${step}/${p.reason}`;
            const seen = pauseStarts.get(key);
            if (seen !== undefined && seen !== p.startTime)
              problems.push(`pause start time changed at ${key}`);
            pauseStarts.set(key, p.startTime);
          }
          const sets = await replicaSetsOf(client, ns.name);
          const hashes = sets.map((rs) => rs.metadata.labels?.['rollouts-pod-template-hash']);
          if (new Set(hashes).size !== hashes.length)
            problems.push(`duplicate ReplicaSet hash: ${hashes.join(',')}`);
        } catch {
          /* transient */
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

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
      await eventually(
        'a step boundary',
        async () => (await getRollout(client, ns.name, name)).status?.currentStepIndex !== before,
        1_500,
        20,
      ).catch(() => {});
      proc?.kill('SIGKILL');
      kills++;
      proc = await whenStarted(spawnControllerFixture('rollout-controller-process', ns.name));
      if (kills > 60) break;
    }
    await eventually(
      'Healthy after the last revision',
      async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
      90_000,
    );
    watching = false;
    await watcher;
    process.stdout.write(`# ${seq.join(' ')}\n`);
    process.stdout.write(
      `# ${kills} SIGKILLs over ${revision} revisions; ${pauseStarts.size} pauses observed\n`,
    );
    assert.ok(kills >= 20, `only ${kills} kills`);
    assert.deepEqual(problems, []);
    const final = await getRollout(client, ns.name, name);
    assert.equal(final.status?.currentStepIndex, steps.length);
    assert.equal(final.status?.stableRS, final.status?.currentPodHash);
    await checkInvariants(client, ns.name, name);
  });
});
