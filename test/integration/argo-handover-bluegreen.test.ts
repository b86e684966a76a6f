/**
 * Issue 15: a blue-green Rollout started by Argo Rollouts' own controller (v1.10.1, built from the Go
 * module proxy, namespaced to this test's namespace) and finished by Slipway's. Argo deploys blue,
 * then green up to the BlueGreenPause with the preview Service on green and the active one on blue, and
 * is stopped; Slipway's controller (its own process) takes over, holds the Rollout exactly where Argo
 * left it (Services, ReplicaSets, pause start time), and after `promote` switches the active Service,
 * makes green stable and scales blue down after scaleDownDelaySeconds — on the ReplicaSets Argo created
 * (no new one, the same pod-template hash, the same pods).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import { POD_TEMPLATE_HASH_LABEL, promoteRollout } from '../../src/rollouts/index.js';
import { assertHeldAsArgoLeftIt, handOverToSlipway, readRolloutWorld } from '../support/argo/handover.js';
import { type ArgoController, argoBinaries, startArgoController } from '../support/argo/upstream-binaries.js';
import {
  checkInvariants,
  createRollout,
  type RolloutObject,
  replicaSetsOf,
  rolloutAt,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const LONG = 120_000;
const SVC = { apiVersion: 'v1', kind: 'Service' } as const;

describe('handover: a blue-green Rollout started by Argo Rollouts and finished by Slipway', () => {
  let argo: ArgoController | undefined;
  let slipway: ChildProcess | undefined;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    slipway?.kill('SIGKILL');
    await argo?.stop();
  });
  const { client, ns } = useTestNamespace('argo-handover-bg', { crds: true });

  before(async () => {
    await argoBinaries(); // built on first use; minutes on a cold Go cache
  });

  it('Slipway holds the BlueGreenPause Argo left, then promotes: active switched, blue scaled down after the delay', async () => {
    const name = 'handover-bg';
    const at = (what: string, check: (r: RolloutObject) => boolean) =>
      rolloutAt(client, ns.name, name, what, check, LONG);
    const selectorOf = async (role: string) => {
      const svc: KubeObject = await client.get({ ...SVC, namespace: ns.name, name: `${name}-${role}` });
      return (svc.spec as { selector?: Record<string, string> }).selector?.[POD_TEMPLATE_HASH_LABEL] ?? '';
    };
    const services = async () => ({
      active: await selectorOf('active'),
      preview: await selectorOf('preview'),
    });
    const podsOf = async (hash: string) => {
      const { items } = await client.listAll(
        { apiVersion: 'v1', kind: 'Pod' },
        { namespace: ns.name, labelSelector: `${POD_TEMPLATE_HASH_LABEL}=${hash}` },
      );
      return items
        .filter((p) => p.metadata.deletionTimestamp === undefined)
        .map((p) => p.metadata.name ?? '')
        .sort();
    };
    for (const role of ['active', 'preview'])
      await client.create({
        ...SVC,
        metadata: { name: `${name}-${role}`, namespace: ns.name },
        spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
      });

    argo = await startArgoController(ns.name);
    await createRollout(client, ns.name, {
      name,
      replicas: 2,
      image: 'argoproj/rollouts-demo:blue',
      spec: {
        strategy: {
          blueGreen: {
            activeService: `${name}-active`,
            previewService: `${name}-preview`,
            autoPromotionEnabled: false,
            scaleDownDelaySeconds: 10,
          },
        },
      },
    });
    const first = await at('Argo deploys blue', (r) => r.status?.phase === 'Healthy');
    const blue = first.status?.currentPodHash ?? '';
    await setImage(client, ns.name, name, 'argoproj/rollouts-demo:green');
    const paused = await at(
      'Argo pauses with the preview up (BlueGreenPause)',
      (r) =>
        r.status?.phase === 'Paused' &&
        (r.status.pauseConditions ?? []).some((p) => p.reason === 'BlueGreenPause') &&
        r.status.blueGreen?.previewSelector === r.status.currentPodHash &&
        r.status.blueGreen?.activeSelector === blue,
    );
    const green = paused.status?.currentPodHash ?? '';
    assert.notEqual(green, blue);
    await eventually(
      "Argo's Services: active on blue, preview on green",
      async () => {
        const s = await services();
        return s.active === blue && s.preview === green;
      },
      LONG,
    );
    const greenRS = (await replicaSetsOf(client, ns.name)).find(
      (rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === green,
    );
    assert.equal(greenRS?.status?.availableReplicas, 2, 'the preview stack is fully up');
    const managers = (greenRS?.metadata.managedFields as { manager?: string }[] | undefined)?.map(
      (f) => f.manager,
    );
    assert.ok(
      managers?.some((m) => m?.startsWith('argo-rollouts-controller')),
      `Argo's controller created the green ReplicaSet (managers: ${managers?.join(', ')})`,
    );
    const greenPods = await podsOf(green);
    assert.equal(greenPods.length, 2);

    const handover = await handOverToSlipway(client, ns.name, name, argo);
    slipway = handover.slipway;
    argo = undefined;
    assert.match(handover.atHandover.position, /pauses=BlueGreenPause@/);
    await assertHeldAsArgoLeftIt(client, ns.name, name, handover.atHandover);
    assert.deepEqual(
      await services(),
      { active: blue, preview: green },
      'Slipway left the Services as Argo did',
    );
    await checkInvariants(client, ns.name, name);

    await promoteRollout(client, { namespace: ns.name, name });
    const healthy = await at(
      'Slipway promotes green to Healthy',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === green,
    );
    assert.equal(healthy.status?.currentPodHash, green, 'the same pod-template hash: no new revision');
    assert.equal(healthy.status?.blueGreen?.activeSelector, green);
    assert.deepEqual(await services(), { active: green, preview: green });
    const kept = await eventually(
      'blue waits out scaleDownDelaySeconds, marked with its deadline',
      async () => {
        const rs = (await replicaSetsOf(client, ns.name)).find(
          (r) => r.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === blue,
        );
        return rs?.metadata.annotations?.['scale-down-deadline'] ? rs : undefined;
      },
      LONG,
    );
    const deadline = Date.parse(kept.metadata.annotations?.['scale-down-deadline'] ?? '');
    await eventually(
      'blue scaled to 0 after its deadline',
      async () => (await readRolloutWorld(client, ns.name, name)).replicas[`${name}-${blue}`] === 0,
      LONG,
    );
    assert.ok(Date.now() >= deadline - 1000, 'not scaled down before the deadline');
    const end = await readRolloutWorld(client, ns.name, name);
    assert.deepEqual(
      Object.keys(end.replicas).sort(),
      Object.keys(handover.atHandover.replicas).sort(),
      'no ReplicaSet created or lost',
    );
    assert.equal(end.replicas[`${name}-${green}`], 2);
    assert.deepEqual(await podsOf(green), greenPods, "green keeps the pods Argo's ReplicaSet made");
    await checkInvariants(client, ns.name, name);
  });
});
