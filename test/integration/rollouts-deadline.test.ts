import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkInvariants,
  getRollout,
  ROLLOUT,
  replicaSetsOf,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';

describe('rollouts: progress deadline', () => {
  const s = useRolloutScenario('ro-deadline');

  /** A new template whose pods no node accepts: they stay Pending, never Ready. */
  async function breakTemplate(name: string): Promise<void> {
    const r = await getRollout(s.client, s.namespace, name);
    const template = structuredClone(r.spec?.template ?? {}) as { spec: Record<string, unknown> };
    template.spec.nodeSelector = { 'slipway.dev/no-such-node': 'true' };
    await s.client.patch(
      { ...ROLLOUT, namespace: s.namespace, name },
      { spec: { template } },
      { type: 'merge' },
    );
  }

  async function deploy(name: string, progressDeadlineAbort: boolean): Promise<string> {
    await s.createRollout({
      name,
      replicas: 2,
      steps: [{ setWeight: 50 }, { pause: {} }],
      spec: { progressDeadlineSeconds: 3, progressDeadlineAbort },
    });
    const r = await s.reaches(name, 'initial deploy Healthy', (r) => r.status?.phase === 'Healthy');
    return r.status?.stableRS ?? '';
  }

  it('pods that never become Ready: ProgressDeadlineExceeded after the deadline', async () => {
    const name = 'deadline';
    await deploy(name, false);
    await breakTemplate(name);
    const r = await s.reaches(name, 'ProgressDeadlineExceeded', (r) => r.status?.phase === 'Degraded');
    const progressing = r.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.status, 'False');
    assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
    assert.match(
      r.status?.message ?? '',
      /^ProgressDeadlineExceeded: ReplicaSet "deadline-\w+" has timed out progressing\.$/,
    );
    assert.equal(r.status?.abort, undefined, 'no abort without progressDeadlineAbort');
    await checkInvariants(s.client, s.namespace, name);
  });

  it('with progressDeadlineAbort the rollout aborts back to stable', async () => {
    const name = 'deadline-abort';
    const stable = await deploy(name, true);
    await breakTemplate(name);
    const r = await s.reaches(
      name,
      'aborted',
      (r) => r.status?.abort === true && r.status.phase === 'Degraded',
    );
    assert.match(r.status?.message ?? '', /^RolloutAborted: /);
    await eventually('canary scaled to 0, stable at 2', async () => {
      const sets = await replicaSetsOf(s.client, s.namespace);
      const mine = sets.filter((rs) => rs.metadata.name?.startsWith(`${name}-`));
      const canary = mine.find(
        (rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === r.status?.currentPodHash,
      );
      const stableRS = mine.find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === stable);
      return canary?.spec?.replicas === 0 && stableRS?.spec?.replicas === 2;
    });
    await checkInvariants(s.client, s.namespace, name);
  });
});
