import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeClient } from '../../src/kube/index.js';
import { POD_TEMPLATE_HASH_LABEL, promoteRollout } from '../../src/rollouts/index.js';
import {
  checkInvariants,
  eventRecorded,
  ROLLOUT,
  readyPodsByHash,
  replicaSetsOf,
  setImage,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';

interface Scale {
  readonly spec?: { readonly replicas?: number };
  readonly status?: { readonly replicas?: number; readonly selector?: string };
}

/** The Rollout's scale subresource (what `kubectl scale` and the HPA controller read and write). */
async function getScale(client: KubeClient, namespace: string, name: string): Promise<Scale> {
  const path = await client.path(ROLLOUT, namespace, name, 'scale');
  return client.transport.request<Scale>({ method: 'GET', path });
}

const setScale = (client: KubeClient, namespace: string, name: string, replicas: number) =>
  client.patch(
    { ...ROLLOUT, namespace, name },
    { spec: { replicas } },
    { type: 'merge', subresource: 'scale' },
  );

/** spec.replicas of the ReplicaSets per pod-template hash. */
async function replicaSetSizes(client: KubeClient, namespace: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const rs of await replicaSetsOf(client, namespace))
    out[rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? ''] = rs.spec?.replicas ?? 0;
  return out;
}

describe('rollouts: scaling a Rollout mid-canary', () => {
  const s = useRolloutScenario('ro-scale');

  const at = s.reaches;

  /** Creates a Rollout, lets it go Healthy, then updates it and waits for the pause at `weight`. */
  async function pausedMidCanary(name: string, replicas: number, weight: number) {
    await s.createRollout({
      name,
      replicas,
      steps: [{ setWeight: weight }, { pause: {} }],
    });
    const initial = await at(name, 'initial deploy Healthy', (r) => r.status?.phase === 'Healthy');
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:yellow');
    const paused = await at(
      name,
      `the pause at ${weight}%`,
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1,
    );
    return { stable: initial.status?.stableRS ?? '', canary: paused.status?.currentPodHash ?? '' };
  }

  it('the scale subresource resizes the split at 20%: 5 → 10 gives 8 stable / 2 canary, and back', async () => {
    const name = 'scale-demo';
    const { stable, canary } = await pausedMidCanary(name, 5, 20);
    assert.notEqual(stable, canary);
    await eventually('4 stable / 1 canary pods', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[stable] === 4 && pods[canary] === 1;
    });
    const before = await getScale(s.client, s.namespace, name);
    assert.deepEqual(
      { spec: before.spec?.replicas, status: before.status?.replicas, selector: before.status?.selector },
      { spec: 5, status: 5, selector: `app=${name}` },
    );

    await setScale(s.client, s.namespace, name, 10);
    await eventually('ReplicaSets sized 8 stable / 2 canary', async () => {
      const sizes = await replicaSetSizes(s.client, s.namespace);
      return sizes[stable] === 8 && sizes[canary] === 2;
    });
    await eventually('8 stable / 2 canary pods ready', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[stable] === 8 && pods[canary] === 2;
    });
    const scaled = await at(
      name,
      'status counts for 10 replicas',
      (r) => r.status?.replicas === 10 && r.status.availableReplicas === 10,
    );
    assert.deepEqual(
      {
        phase: scaled.status?.phase,
        step: scaled.status?.currentStepIndex,
        replicas: scaled.status?.replicas,
        updated: scaled.status?.updatedReplicas,
        ready: scaled.status?.readyReplicas,
        hpa: scaled.status?.HPAReplicas,
        selector: scaled.status?.selector,
        stable: scaled.status?.stableRS,
      },
      {
        phase: 'Paused',
        step: 1,
        replicas: 10,
        updated: 2,
        ready: 10,
        hpa: 10,
        selector: `app=${name}`,
        stable,
      },
    );
    const after = await getScale(s.client, s.namespace, name);
    assert.deepEqual(
      { spec: after.spec?.replicas, status: after.status?.replicas, selector: after.status?.selector },
      { spec: 10, status: 10, selector: `app=${name}` },
    );
    await checkInvariants(s.client, s.namespace, name);

    // back down to 5: the split follows (4 / 1) and the rollout stays paused at its step
    await setScale(s.client, s.namespace, name, 5);
    await eventually('4 stable / 1 canary again', async () => {
      const sizes = await replicaSetSizes(s.client, s.namespace);
      const pods = await readyPodsByHash(s.client, s.namespace);
      return sizes[stable] === 4 && sizes[canary] === 1 && pods[stable] === 4 && pods[canary] === 1;
    });
    const down = await at(name, 'status counts for 5 replicas', (r) => r.status?.HPAReplicas === 5);
    assert.equal(down.status?.phase, 'Paused');
    assert.equal(down.status?.currentStepIndex, 1);

    await promoteRollout(s.client, { namespace: s.namespace, name });
    await at(
      name,
      'Healthy on the canary',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === canary,
    );
    await eventually('5 canary pods only', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[canary] === 5 && (pods[stable] ?? 0) === 0;
    });
    await checkInvariants(s.client, s.namespace, name);
  });

  it('a HorizontalPodAutoscaler below its minReplicas scales the Rollout mid-canary', async () => {
    const name = 'hpa-demo';
    const { stable, canary } = await pausedMidCanary(name, 4, 25);
    await eventually('3 stable / 1 canary pods', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[stable] === 3 && pods[canary] === 1;
    });

    // no metrics server: the HPA controller still raises a target below minReplicas to minReplicas
    await s.client.create({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace: s.namespace },
      spec: {
        scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name },
        minReplicas: 8,
        maxReplicas: 10,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
    });
    await at(name, 'spec.replicas raised to 8 by the HPA', (r) => r.spec?.replicas === 8, 90_000);
    await eventually('6 stable / 2 canary pods ready', async () => {
      const sizes = await replicaSetSizes(s.client, s.namespace);
      const pods = await readyPodsByHash(s.client, s.namespace);
      return sizes[stable] === 6 && sizes[canary] === 2 && pods[stable] === 6 && pods[canary] === 2;
    });
    const scaled = await at(name, 'HPAReplicas 8', (r) => r.status?.HPAReplicas === 8);
    assert.equal(scaled.status?.phase, 'Paused');
    assert.equal(scaled.status?.currentStepIndex, 1);
    assert.equal(scaled.status?.selector, `app=${name}`);
    // the HPA did it (its event shares the Rollout's name)
    await eventRecorded(s.client, s.namespace, name, 'SuccessfulRescale to minReplicas', (m) =>
      /^SuccessfulRescale: New size: 8; reason: .*below Spec.MinReplicas/.test(m),
    );
    await checkInvariants(s.client, s.namespace, name);
  });
});
