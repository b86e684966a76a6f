import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONTROLLER_INSTANCE_ID_LABEL } from '../../src/analysis/index.js';
import type { Manager } from '../../src/core/index.js';
import {
  getRollout,
  replicaSetsOf,
  rolloutManifest,
  startRolloutController,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

describe('rollouts: controller instance ids (Argo --instance-id)', () => {
  let teamA: Manager;
  let unlabelled: Manager;
  const touched = { teamA: new Set<string>(), unlabelled: new Set<string>() };
  after(async () => {
    await Promise.all([teamA?.stop(), unlabelled?.stop()]);
  });
  const { client, ns } = useTestNamespace('ro-instance', { crds: true });

  before(async () => {
    teamA = await startRolloutController(client, ns.name, { instanceId: 'team-a' });
    unlabelled = await startRolloutController(client, ns.name);
    teamA.events.onEvent((e) => touched.teamA.add(e.subject.metadata.name ?? ''));
    unlabelled.events.onEvent((e) => touched.unlabelled.add(e.subject.metadata.name ?? ''));
  });

  it('two controllers on one namespace each run only their own Rollouts; nobody runs team-b’s', async () => {
    const create = (name: string, instance?: string) => {
      const manifest = rolloutManifest({ name, namespace: ns.name, replicas: 1 });
      return client.create({
        ...manifest,
        metadata: {
          ...manifest.metadata,
          ...(instance !== undefined && { labels: { [CONTROLLER_INSTANCE_ID_LABEL]: instance } }),
        },
      });
    };
    await create('ours-a', 'team-a');
    await create('theirs-b', 'team-b');
    await create('plain');
    for (const name of ['ours-a', 'plain'])
      await eventually(
        `${name} to be Healthy`,
        async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
        60_000,
      );
    // both Healthy: give a stray reconcile of team-b's Rollout time to show
    await new Promise((r) => setTimeout(r, 2_000));
    assert.deepEqual([...touched.teamA].sort(), ['ours-a']);
    assert.deepEqual([...touched.unlabelled].sort(), ['plain']);
    const theirs = await getRollout(client, ns.name, 'theirs-b');
    assert.equal(theirs.status, undefined, 'no controller wrote team-b’s status');
    const owners = (await replicaSetsOf(client, ns.name)).map((rs) => rs.metadata.ownerReferences?.[0]?.name);
    assert.deepEqual(owners.sort(), ['ours-a', 'plain']);
  });
});
