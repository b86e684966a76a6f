import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanaryStep } from '../../src/rollouts/index.js';
import {
  checkInvariants,
  getRollout,
  ROLLOUT,
  type RolloutObject,
  replicaSetsOf,
  rolloutManifest,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';

describe('rollouts: invalid specs and deletion', () => {
  const s = useRolloutScenario('ro-invalid');

  const cases: { name: string; field: string; mutate: (r: RolloutObject) => RolloutObject }[] = [
    {
      name: 'selector-mismatch',
      field: 'spec.template.metadata.labels',
      mutate: (r) => ({ ...r, spec: { ...r.spec, selector: { matchLabels: { app: 'other' } } } }),
    },
    {
      name: 'bad-duration',
      field: 'spec.strategy.steps[1].pause.duration',
      mutate: (r) => withSteps(r, [{ setWeight: 10 }, { pause: { duration: 'soon' } }]),
    },
    {
      name: 'two-actions',
      field: 'spec.strategy.steps[0]',
      mutate: (r) => withSteps(r, [{ setWeight: 10, pause: {} }]),
    },
    {
      name: 'weight-too-big',
      field: 'spec.strategy.steps[0].setWeight',
      mutate: (r) => withSteps(r, [{ setWeight: 150 }]),
    },
  ];

  for (const c of cases) {
    it(`${c.name}: InvalidSpec naming ${c.field}, Degraded, no ReplicaSet; fixed → Healthy`, async () => {
      const valid = rolloutManifest({
        name: c.name,
        namespace: s.namespace,
        replicas: 1,
        steps: [{ setWeight: 50 }],
      });
      await s.client.create(c.mutate(valid));
      const r = await eventually('InvalidSpec', async () => {
        const x = await getRollout(s.client, s.namespace, c.name);
        return x.status?.phase === 'Degraded' ? x : undefined;
      });
      const condition = r.status?.conditions?.find((k) => k.type === 'InvalidSpec');
      assert.equal(condition?.status, 'True');
      assert.ok(condition?.message.includes(c.field), `message names ${c.field}: ${condition?.message}`);
      assert.ok(r.status?.message?.startsWith('InvalidSpec: The Rollout'), r.status?.message);
      await new Promise((res) => setTimeout(res, 500));
      const sets = (await replicaSetsOf(s.client, s.namespace)).filter((rs) =>
        rs.metadata.name?.startsWith(`${c.name}-`),
      );
      assert.equal(sets.length, 0, 'no ReplicaSet for an invalid spec');

      await s.client.patch(
        { ...ROLLOUT, namespace: s.namespace, name: c.name },
        { spec: valid.spec },
        { type: 'merge' },
      );
      await eventually(
        'Healthy once fixed',
        async () => {
          const x = await getRollout(s.client, s.namespace, c.name);
          return x.status?.phase === 'Healthy' && !x.status.conditions?.some((k) => k.type === 'InvalidSpec');
        },
        60_000,
      );
      await checkInvariants(s.client, s.namespace, c.name);
    });
  }

  it('a Rollout deleted mid-canary leaves no ReplicaSets or pods behind', async () => {
    const name = 'deleted';
    await s.createRollout({
      name,
      replicas: 3,
      steps: [{ setWeight: 50 }, { pause: {} }],
    });
    await eventually(
      'Healthy',
      async () => (await getRollout(s.client, s.namespace, name)).status?.phase === 'Healthy',
      60_000,
    );
    const current = await getRollout(s.client, s.namespace, name);
    const template = structuredClone(current.spec?.template ?? {}) as {
      spec: { containers: { image: string }[] };
    };
    template.spec.containers[0]!.image = 'argoproj/rollouts-demo:green';
    await s.client.patch(
      { ...ROLLOUT, namespace: s.namespace, name },
      { spec: { template } },
      { type: 'merge' },
    );
    await eventually(
      'paused mid-canary',
      async () => (await getRollout(s.client, s.namespace, name)).status?.phase === 'Paused',
      60_000,
    );
    assert.equal(
      (await replicaSetsOf(s.client, s.namespace)).filter((rs) => rs.metadata.name?.startsWith(`${name}-`))
        .length,
      2,
    );
    await s.client.delete({ ...ROLLOUT, namespace: s.namespace, name }, { propagationPolicy: 'Background' });
    await eventually(
      'ReplicaSets and pods garbage-collected',
      async () => {
        const sets = (await replicaSetsOf(s.client, s.namespace)).filter((rs) =>
          rs.metadata.name?.startsWith(`${name}-`),
        );
        const { items: pods } = await s.client.listAll(
          { apiVersion: 'v1', kind: 'Pod' },
          { namespace: s.namespace, labelSelector: `app=${name}` },
        );
        return sets.length === 0 && pods.length === 0;
      },
      60_000,
    );
  });
});

function withSteps(r: RolloutObject, steps: CanaryStep[]): RolloutObject {
  return { ...r, spec: { ...r.spec, strategy: { canary: { steps } } } };
}
