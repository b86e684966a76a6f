/**
 * Issue 15: a canary Rollout started by Argo Rollouts' own controller (v1.10.1, built from the Go
 * module proxy, namespaced to this test's namespace) and finished by Slipway's. Argo runs the update
 * to a pause step mid-rollout and is stopped; Slipway's controller (its own process) takes over and
 * must hold the Rollout exactly where Argo left it (same ReplicaSets, same replica counts, same step
 * and pause start time), then continue from that step to Healthy on the same canary ReplicaSet.
 * Twice: a basic canary, and an Istio-routed one whose VirtualService weights Argo set.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promoteRollout } from '../../src/rollouts/index.js';
import { VIRTUAL_SERVICE } from '../../src/rollouts/traffic/istio/index.js';
import { assertHeldAsArgoLeftIt, handOverToSlipway, readRolloutWorld } from '../support/argo/handover.js';
import { type ArgoController, argoBinaries, startArgoController } from '../support/argo/upstream-binaries.js';
import {
  checkInvariants,
  createRollout,
  type RolloutObject,
  rolloutAt,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';
import { requireUpstreamCrd } from '../support/traffic/upstream-crds.js';

const LONG = 120_000;

describe('handover: a canary started by Argo Rollouts and finished by Slipway', () => {
  let argo: ArgoController | undefined;
  let slipway: ChildProcess | undefined;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    slipway?.kill('SIGKILL');
    await argo?.stop();
  });
  const { client, ns } = useTestNamespace('argo-handover', { crds: true });

  before(async () => {
    await argoBinaries(); // built on first use; minutes on a cold Go cache
  });

  it('Slipway holds the step Argo paused at, then promotes to Healthy on the same ReplicaSets', async () => {
    const name = 'handover';
    const at = (what: string, check: (r: RolloutObject) => boolean) =>
      rolloutAt(client, ns.name, name, what, check, LONG);
    argo = await startArgoController(ns.name);
    await createRollout(client, ns.name, {
      name,
      replicas: 4,
      image: 'argoproj/rollouts-demo:blue',
      steps: [
        { setWeight: 25 },
        { pause: {} },
        { setWeight: 50 },
        { pause: { duration: 2 } },
        { setWeight: 75 },
        { pause: {} },
      ],
    });
    await at('Argo deploys the first revision', (r) => r.status?.phase === 'Healthy');
    await setImage(client, ns.name, name, 'argoproj/rollouts-demo:green');
    const paused = await at(
      'Argo pauses the update at step 1 with the canary available',
      (r) =>
        r.status?.phase === 'Paused' &&
        r.status.currentStepIndex === 1 &&
        (r.status.pauseConditions ?? []).length === 1 &&
        r.status.availableReplicas === 4 &&
        r.status.updatedReplicas === 1,
    );
    const canaryHash = paused.status?.currentPodHash ?? '';
    const stableHash = paused.status?.stableRS ?? '';
    assert.notEqual(canaryHash, stableHash);
    const canaryRs = await client.get({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      namespace: ns.name,
      name: `${name}-${canaryHash}`,
    });
    const managers = (canaryRs.metadata.managedFields as { manager?: string }[] | undefined)?.map(
      (f) => f.manager,
    );
    assert.ok(
      managers?.some((m) => m?.startsWith('argo-rollouts-controller')),
      `Argo's controller created the canary ReplicaSet (managers: ${managers?.join(', ')})`,
    );

    const handover = await handOverToSlipway(client, ns.name, name, argo);
    slipway = handover.slipway;
    argo = undefined;
    assert.match(handover.atHandover.position, /step=1 /);
    await assertHeldAsArgoLeftIt(client, ns.name, name, handover.atHandover);
    await checkInvariants(client, ns.name, name);

    // Slipway continues from step 1: promote → 50% → timed pause → 75% → pause at step 5
    await promoteRollout(client, { namespace: ns.name, name });
    const atFive = await at(
      'Slipway runs steps 2–4 and pauses at step 5',
      (r) =>
        r.status?.phase === 'Paused' && r.status.currentStepIndex === 5 && r.status.availableReplicas === 4,
    );
    assert.equal(atFive.status?.currentPodHash, canaryHash, 'no new revision: the same canary ReplicaSet');
    assert.equal(atFive.status?.stableRS, stableHash);
    const world = await readRolloutWorld(client, ns.name, name);
    assert.deepEqual(
      Object.keys(world.replicas).sort(),
      Object.keys(handover.atHandover.replicas).sort(),
      'no ReplicaSet created or lost',
    );
    assert.equal(world.replicas[`${name}-${canaryHash}`], 3, '75% of 4 replicas');

    await promoteRollout(client, { namespace: ns.name, name });
    const healthy = await at(
      'Slipway promotes to Healthy',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === canaryHash,
    );
    assert.equal(healthy.status?.currentPodHash, canaryHash);
    const end = await readRolloutWorld(client, ns.name, name);
    assert.equal(end.replicas[`${name}-${canaryHash}`], 4);
    await eventually(
      'the old stable ReplicaSet scaled down',
      async () => (await readRolloutWorld(client, ns.name, name)).replicas[`${name}-${stableHash}`] === 0,
      LONG,
    );
    await checkInvariants(client, ns.name, name);
  });
});

describe('handover: an Istio-routed canary started by Argo Rollouts and finished by Slipway', () => {
  let argo: ArgoController | undefined;
  let slipway: ChildProcess | undefined;
  after(async () => {
    slipway?.kill('SIGKILL');
    await argo?.stop();
  });
  const { client, ns } = useTestNamespace('argo-handover-vs', { crds: true });

  before(async () => {
    await argoBinaries();
    await requireUpstreamCrd(client, 'virtualservices.networking.istio.io');
  });

  it('Slipway keeps the weights Argo set, then continues the steps to 100% on the same canary', async () => {
    const name = 'routed';
    const vsWeights = async () => {
      const vs = await client.get({ ...VIRTUAL_SERVICE, namespace: ns.name, name: 'routed-vs' });
      const route = (vs.spec as { http: { route: { destination: { host: string }; weight?: number }[] }[] })
        .http[0]?.route;
      const of = (host: string) => route?.find((d) => d.destination.host === host)?.weight ?? 0;
      return `${of('routed-stable')}/${of('routed-canary')}`;
    };
    const at = (what: string, check: (r: RolloutObject) => boolean) =>
      rolloutAt(client, ns.name, name, what, check, LONG);
    for (const svc of ['routed-stable', 'routed-canary'])
      await client.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svc, namespace: ns.name },
        spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      });
    await client.create({
      ...VIRTUAL_SERVICE,
      metadata: { name: 'routed-vs', namespace: ns.name },
      spec: {
        hosts: ['routed.example.com'],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: 'routed-stable' }, weight: 100 },
              { destination: { host: 'routed-canary' }, weight: 0 },
            ],
          },
        ],
      },
    });
    argo = await startArgoController(ns.name);
    await createRollout(client, ns.name, {
      name,
      replicas: 4,
      image: 'argoproj/rollouts-demo:blue',
      steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }],
      canary: {
        canaryService: 'routed-canary',
        stableService: 'routed-stable',
        trafficRouting: { istio: { virtualService: { name: 'routed-vs', routes: ['primary'] } } },
      },
    });
    await at('Argo deploys the first revision', (r) => r.status?.phase === 'Healthy');
    await setImage(client, ns.name, name, 'argoproj/rollouts-demo:green');
    const paused = await at(
      'Argo pauses the update at step 1 with 20% of the traffic on the canary',
      (r) =>
        r.status?.phase === 'Paused' &&
        r.status.currentStepIndex === 1 &&
        r.status.canary?.weights?.canary.weight === 20 &&
        r.status.availableReplicas === 5,
    );
    await eventually(
      'Argo set the VirtualService to 80/20',
      async () => (await vsWeights()) === '80/20',
      LONG,
    );
    const canaryHash = paused.status?.currentPodHash ?? '';
    const stableHash = paused.status?.stableRS ?? '';

    const handover = await handOverToSlipway(client, ns.name, name, argo);
    slipway = handover.slipway;
    argo = undefined;
    await assertHeldAsArgoLeftIt(client, ns.name, name, handover.atHandover);
    assert.equal(await vsWeights(), '80/20', 'Slipway kept the weights Argo set');
    await checkInvariants(client, ns.name, name);

    await promoteRollout(client, { namespace: ns.name, name });
    const atThree = await at(
      'Slipway sets 60% and pauses at step 3',
      (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 3,
    );
    assert.equal(atThree.status?.currentPodHash, canaryHash);
    await eventually('the VirtualService at 40/60', async () => (await vsWeights()) === '40/60', LONG);

    await promoteRollout(client, { namespace: ns.name, name });
    await at(
      'Slipway promotes to Healthy',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === canaryHash,
    );
    await eventually('the VirtualService back to 100/0', async () => (await vsWeights()) === '100/0', LONG);
    const end = await readRolloutWorld(client, ns.name, name);
    assert.deepEqual(
      Object.keys(end.replicas).sort(),
      Object.keys(handover.atHandover.replicas).sort(),
      'no ReplicaSet created or lost',
    );
    assert.equal(end.replicas[`${name}-${canaryHash}`], 4);
    assert.notEqual(stableHash, canaryHash);
    await checkInvariants(client, ns.name, name);
  });
});
