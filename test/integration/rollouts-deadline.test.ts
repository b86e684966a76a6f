import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/core/index.js';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import {
  checkInvariants,
  getRollout,
  ROLLOUT,
  replicaSetsOf,
  rolloutManifest,
  startRolloutController,
} from '../support/fixtures/rollout-scenario.js';
import { eventually, testClient, testNamespace } from '../support/kube.js';

describe('rollouts: progress deadline', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let manager: Manager;

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'ro-deadline');
    manager = await startRolloutController(client, ns.name);
  });
  after(async () => {
    await manager.stop();
    await ns.delete();
    client.close();
  });

  /** A new template whose pods no node accepts: they stay Pending, never Ready. */
  async function breakTemplate(name: string): Promise<void> {
    const r = await getRollout(client, ns.name, name);
    const template = structuredClone(r.spec?.template ?? {}) as { spec: Record<string, unknown> };
    template.spec.nodeSelector = { 'slipway.dev/no-such-node': 'true' };
    await client.patch({ ...ROLLOUT, namespace: ns.name, name }, { spec: { template } }, { type: 'merge' });
  }

  async function deploy(name: string, progressDeadlineAbort: boolean): Promise<string> {
    await client.create(
      rolloutManifest({
        name,
        namespace: ns.name,
        replicas: 2,
        steps: [{ setWeight: 50 }, { pause: {} }],
        spec: { progressDeadlineSeconds: 3, progressDeadlineAbort },
      }),
    );
    const r = await eventually(
      'initial deploy Healthy',
      async () => {
        const x = await getRollout(client, ns.name, name);
        return x.status?.phase === 'Healthy' ? x : undefined;
      },
      60_000,
    );
    return r.status?.stableRS ?? '';
  }

  it('pods that never become Ready: ProgressDeadlineExceeded after the deadline', async () => {
    const name = 'deadline';
    await deploy(name, false);
    await breakTemplate(name);
    const r = await eventually(
      'ProgressDeadlineExceeded',
      async () => {
        const x = await getRollout(client, ns.name, name);
        return x.status?.phase === 'Degraded' ? x : undefined;
      },
      60_000,
    );
    const progressing = r.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.status, 'False');
    assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
    assert.match(
      r.status?.message ?? '',
      /^ProgressDeadlineExceeded: ReplicaSet "deadline-\w+" has timed out progressing\.$/,
    );
    assert.equal(r.status?.abort, undefined, 'no abort without progressDeadlineAbort');
    await checkInvariants(client, ns.name, name);
  });

  it('with progressDeadlineAbort the rollout aborts back to stable', async () => {
    const name = 'deadline-abort';
    const stable = await deploy(name, true);
    await breakTemplate(name);
    const r = await eventually(
      'aborted',
      async () => {
        const x = await getRollout(client, ns.name, name);
        return x.status?.abort === true && x.status.phase === 'Degraded' ? x : undefined;
      },
      60_000,
    );
    assert.match(r.status?.message ?? '', /^RolloutAborted: /);
    await eventually('canary scaled to 0, stable at 2', async () => {
      const sets = await replicaSetsOf(client, ns.name);
      const mine = sets.filter((rs) => rs.metadata.name?.startsWith(`${name}-`));
      const canary = mine.find(
        (rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === r.status?.currentPodHash,
      );
      const stableRS = mine.find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === stable);
      return canary?.spec?.replicas === 0 && stableRS?.spec?.replicas === 2;
    });
    await checkInvariants(client, ns.name, name);
  });
});
