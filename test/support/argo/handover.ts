// A Rollout started by Argo Rollouts' own controller and finished by Slipway's: stop Argo's
// controller, record the world it left, start Slipway's controller (its own process) on the same
// namespace, and check that Slipway takes the Rollout over where Argo left it. Strategy-neutral, so
// the blue-green handover uses it as the canary one does.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { KubeClient } from '../../../src/kube/index.js';
import type { ReplicaSet } from '../../../src/rollouts/index.js';
import { spawnControllerFixture, whenStarted } from '../fixtures/fixture-process.js';
import { getRollout, type RolloutObject, replicaSetsOf } from '../fixtures/rollout-scenario.js';
import type { ArgoController } from './upstream-binaries.js';

/** What a Rollout and its ReplicaSets looked like at one moment, in the terms a handover must keep. */
export interface RolloutWorld {
  readonly rollout: RolloutObject;
  /** ReplicaSets the Rollout owns: name → spec.replicas. */
  readonly replicas: Readonly<Record<string, number>>;
  /** Position in the rollout: revision hash, step index, pause reasons with their start times. */
  readonly position: string;
}

export async function readRolloutWorld(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<RolloutWorld> {
  const rollout = await getRollout(client, namespace, name);
  const owned = (await replicaSetsOf(client, namespace)).filter((rs: ReplicaSet) =>
    rs.metadata.ownerReferences?.some((o) => o.uid === rollout.metadata.uid),
  );
  const replicas = Object.fromEntries(
    owned
      .map((rs) => [rs.metadata.name ?? '', rs.spec?.replicas ?? 0])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );
  const s = rollout.status ?? {};
  const pauses = (s.pauseConditions ?? []).map((p) => `${p.reason}@${p.startTime}`).join(',');
  const position = [
    `pod=${s.currentPodHash ?? ''}`,
    `stable=${s.stableRS ?? ''}`,
    `step=${s.currentStepIndex ?? '-'}`,
    `stepHash=${s.currentStepHash ?? ''}`,
    `pauses=${pauses}`,
    `abort=${s.abort === true}`,
    `active=${s.blueGreen?.activeSelector ?? ''}`,
    `preview=${s.blueGreen?.previewSelector ?? ''}`,
  ].join(' ');
  return { rollout, replicas, position };
}

export interface Handover {
  /** The world as Argo's controller left it. */
  readonly atHandover: RolloutWorld;
  /** Slipway's controller process (kill it in an `after` hook). */
  readonly slipway: ChildProcess;
}

/** Stops Argo's controller, records the world, and starts Slipway's controller on the namespace. */
export async function handOverToSlipway(
  client: KubeClient,
  namespace: string,
  name: string,
  argo: ArgoController,
): Promise<Handover> {
  await argo.stop();
  const atHandover = await readRolloutWorld(client, namespace, name);
  const slipway = await whenStarted(spawnControllerFixture('rollout-controller-process', namespace));
  return { atHandover, slipway };
}

/**
 * Samples the world every 100 ms for `samples` rounds after the handover and fails at the first
 * sample where Slipway moved the Rollout (position) or scaled a ReplicaSet, or created one.
 */
export async function assertHeldAsArgoLeftIt(
  client: KubeClient,
  namespace: string,
  name: string,
  atHandover: RolloutWorld,
  samples = 50,
): Promise<void> {
  for (let i = 0; i < samples; i++) {
    const now = await readRolloutWorld(client, namespace, name);
    assert.equal(now.position, atHandover.position, `sample ${i}: Slipway moved the Rollout`);
    assert.deepEqual(now.replicas, atHandover.replicas, `sample ${i}: Slipway changed the ReplicaSets`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
