import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import { promoteRollout, WORKLOAD_GENERATION_ANNOTATION } from '../../src/rollouts/index.js';
import {
  checkInvariants,
  eventMessages,
  getRollout,
  ROLLOUT,
  type RolloutObject,
  replicaSetsOf,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;
const WAIT = 120_000;

function deployment(namespace: string, name: string, replicas: number, image: string): KubeObject {
  return {
    ...DEPLOYMENT,
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'app', image, resources: { requests: { memory: '16Mi', cpu: '1m' } } }],
        },
      },
    },
  };
}

function refRollout(
  namespace: string,
  name: string,
  o: { replicas: number; scaleDown?: string; steps?: readonly unknown[]; kind?: string },
): RolloutObject {
  return {
    ...ROLLOUT,
    metadata: { name, namespace },
    spec: {
      replicas: o.replicas,
      revisionHistoryLimit: 2,
      workloadRef: {
        apiVersion: 'apps/v1',
        kind: o.kind ?? 'Deployment',
        name,
        ...(o.scaleDown !== undefined && { scaleDown: o.scaleDown }),
      },
      strategy: { canary: { steps: o.steps ?? [] } },
    },
  } as RolloutObject;
}

const deploymentReplicas = async (s: ReturnType<typeof useRolloutScenario>, name: string) => {
  const d = await s.client.get({ ...DEPLOYMENT, namespace: s.namespace, name });
  return (d.spec as { replicas?: number }).replicas;
};

describe('rollouts: spec.workloadRef (Argo functional_test.go workloadRef cases)', () => {
  const s = useRolloutScenario('ro-workload');

  for (const [mode, expected] of [
    ['never', 3],
    ['onsuccess', 0],
    ['progressively', 0],
  ] as const) {
    it(`scaleDown: ${mode} leaves the Deployment at ${expected} once the Rollout is Healthy`, async () => {
      const name = `sd-${mode}`;
      await s.client.create(deployment(s.namespace, name, 3, 'argoproj/rollouts-demo:green'));
      await s.client.create(refRollout(s.namespace, name, { replicas: 3, scaleDown: mode }));
      const healthy = await s.reaches(
        name,
        'Healthy',
        (r) => r.status?.phase === 'Healthy' && r.status.availableReplicas === 3,
        WAIT,
      );
      // the resolved template is never written back
      assert.equal(healthy.spec?.template, undefined);
      assert.equal(healthy.spec?.selector, undefined);
      await eventually(
        `Deployment at ${expected}`,
        async () => (await deploymentReplicas(s, name)) === expected,
        WAIT,
      );
      // status and annotation follow the Deployment's generation (scaling it bumps the generation)
      await eventually(
        'workloadObservedGeneration = the Deployment generation',
        async () => {
          const d = await s.client.get({ ...DEPLOYMENT, namespace: s.namespace, name });
          const r = await getRollout(s.client, s.namespace, name);
          const generation = String(d.metadata.generation);
          return (
            r.status?.workloadObservedGeneration === generation &&
            r.metadata.annotations?.[WORKLOAD_GENERATION_ANNOTATION] === generation
          );
        },
        WAIT,
      );
      if (mode === 'never') {
        await new Promise((r) => setTimeout(r, 2_000));
        assert.equal(await deploymentReplicas(s, name), 3, 'never: the Deployment is left alone');
      }
      const [rs] = (await replicaSetsOf(s.client, s.namespace)).filter((x) =>
        x.metadata.ownerReferences?.some((o) => o.kind === 'Rollout' && o.name === name),
      );
      const containers = (rs?.spec?.template?.spec as { containers?: { image: string }[] } | undefined)
        ?.containers;
      const image = containers?.[0]?.image;
      assert.equal(
        image,
        'argoproj/rollouts-demo:green',
        "the Rollout's ReplicaSet runs the Deployment's template",
      );
      await checkInvariants(s.client, s.namespace, name);
    });
  }

  it('a template change of the Deployment starts a new revision through the canary steps', async () => {
    const name = 'template-change';
    await s.client.create(deployment(s.namespace, name, 0, 'argoproj/rollouts-demo:blue'));
    await s.client.create(
      refRollout(s.namespace, name, { replicas: 2, steps: [{ setWeight: 50 }, { pause: {} }] }),
    );
    const first = await s.reaches(name, 'Healthy', (r) => r.status?.phase === 'Healthy', WAIT);
    const stable = first.status?.stableRS;
    await s.client.patch(
      { ...DEPLOYMENT, namespace: s.namespace, name },
      deployment(s.namespace, name, 0, 'argoproj/rollouts-demo:yellow'),
      { type: 'merge' },
    );
    const paused = await s.reaches(
      name,
      'paused at the pause step with the new template',
      (r) =>
        r.status?.phase === 'Paused' &&
        r.status.currentStepIndex === 1 &&
        r.status.currentPodHash !== stable &&
        r.status.workloadObservedGeneration === '2',
      WAIT,
    );
    assert.equal(paused.status?.stableRS, stable);
    assert.equal(paused.metadata.annotations?.[WORKLOAD_GENERATION_ANNOTATION], '2');
    await promoteRollout(s.client, { namespace: s.namespace, name });
    const done = await s.reaches(
      name,
      'Healthy on the new revision',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === paused.status?.currentPodHash,
      WAIT,
    );
    assert.equal(done.metadata.annotations?.['rollout.argoproj.io/revision'], '2');
    await checkInvariants(s.client, s.namespace, name);
  });

  it('a missing Deployment is InvalidSpec with a Warning Event, and recovers when it appears', async () => {
    const name = 'missing';
    await s.client.create(refRollout(s.namespace, name, { replicas: 1 }));
    const invalid = await s.reaches(name, 'Degraded', (r) => r.status?.phase === 'Degraded', WAIT);
    const condition = invalid.status?.conditions?.find((c) => c.type === 'InvalidSpec');
    assert.equal(
      condition?.message,
      // Argo's lister key is namespace/name (seen under Argo's controller: rollouts-workload-ref-argo.test.ts)
      `The Rollout "${name}" is invalid: deployments.apps "${s.namespace}/${name}" not found`,
    );
    await eventually(
      'InvalidSpec Warning Event',
      async () =>
        (await eventMessages(s.client, s.namespace, name)).some((m) =>
          m.startsWith(`InvalidSpec: The Rollout "${name}" is invalid: deployments.apps`),
        ),
      WAIT,
    );
    await s.client.create(deployment(s.namespace, name, 0, 'argoproj/rollouts-demo:blue'));
    await s.reaches(
      name,
      'Healthy once the Deployment exists',
      (r) => r.status?.phase === 'Healthy' && !r.status.conditions?.some((c) => c.type === 'InvalidSpec'),
      WAIT,
    );
    await checkInvariants(s.client, s.namespace, name);
  });

  it('pointing at a missing Deployment and back, then switching to an inline template (Argo TestWorkloadRef)', async () => {
    const name = 'switch';
    await s.client.create(deployment(s.namespace, name, 0, 'argoproj/rollouts-demo:blue'));
    await s.client.create(refRollout(s.namespace, name, { replicas: 1 }));
    await s.reaches(name, 'Healthy', (r) => r.status?.phase === 'Healthy', WAIT);
    const at = { ...ROLLOUT, namespace: s.namespace, name };
    const point = (target: string) =>
      s.client.patch(at, { spec: { workloadRef: { name: target } } }, { type: 'merge' });
    await point('non-existent-deploy');
    await s.reaches(name, 'Degraded', (r) => r.status?.phase === 'Degraded', WAIT);
    await point(name);
    await s.reaches(
      name,
      'Healthy again',
      (r) => r.status?.phase === 'Healthy' && !r.status.conditions?.some((c) => c.type === 'InvalidSpec'),
      WAIT,
    );
    const { spec } = deployment(s.namespace, name, 0, 'argoproj/rollouts-demo:blue') as unknown as {
      spec: { selector: unknown; template: unknown };
    };
    await s.client.patch(
      at,
      { spec: { workloadRef: null, selector: spec.selector, template: spec.template } },
      { type: 'merge' },
    );
    const inline = await s.reaches(
      name,
      'Healthy with an inline template, no workload generation',
      (r) =>
        r.status?.phase === 'Healthy' &&
        r.status.observedGeneration === String(r.metadata.generation) &&
        r.status.workloadObservedGeneration === undefined,
      WAIT,
    );
    assert.equal(inline.metadata.annotations?.[WORKLOAD_GENERATION_ANNOTATION], undefined);
    await checkInvariants(s.client, s.namespace, name);
  });

  it('a PodTemplate gives the template; the Rollout brings its selector', async () => {
    const name = 'pod-template';
    const { spec } = deployment(s.namespace, name, 0, 'argoproj/rollouts-demo:red') as unknown as {
      spec: { template: unknown };
    };
    await s.client.create({
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name, namespace: s.namespace },
      template: spec.template,
    });
    const r = refRollout(s.namespace, name, { replicas: 2 });
    await s.client.create({
      ...r,
      spec: {
        ...r.spec,
        selector: { matchLabels: { app: name } },
        workloadRef: { apiVersion: 'v1', kind: 'PodTemplate', name },
      },
    });
    await s.reaches(
      name,
      'Healthy',
      (x) => x.status?.phase === 'Healthy' && x.status.availableReplicas === 2,
      WAIT,
    );
    await checkInvariants(s.client, s.namespace, name);
  });

  it("a kind Argo does not resolve, or a template next to the reference, is InvalidSpec with Argo's message", async () => {
    await s.client.create(refRollout(s.namespace, 'wrong-kind', { replicas: 1, kind: 'StatefulSet' }));
    const wrong = await s.reaches('wrong-kind', 'Degraded', (r) => r.status?.phase === 'Degraded', WAIT);
    assert.equal(
      wrong.status?.conditions?.find((c) => c.type === 'InvalidSpec')?.message,
      'The Rollout "wrong-kind" is invalid: workload of type apps/StatefulSet is not supported',
    );
    const both = refRollout(s.namespace, 'with-template', { replicas: 1 });
    await s.client.create(deployment(s.namespace, 'with-template', 0, 'argoproj/rollouts-demo:blue'));
    await s.client.create({
      ...both,
      spec: { ...both.spec, template: { metadata: { labels: { app: 'with-template' } } } },
    });
    const r = await s.reaches('with-template', 'Degraded', (x) => x.status?.phase === 'Degraded', WAIT);
    assert.ok(
      r.status?.conditions
        ?.find((c) => c.type === 'InvalidSpec')
        ?.message.endsWith('template must be empty for workload reference rollout'),
    );
    const rollout = await getRollout(s.client, s.namespace, 'with-template');
    assert.equal(rollout.status?.workloadObservedGeneration, undefined);
  });
});
