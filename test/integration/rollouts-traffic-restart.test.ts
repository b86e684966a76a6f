/**
 * The seed's Istio-routed canary (setWeight 10 → pause → analysis → 30 → pause → 50 → pause → 100) with
 * the rollouts controller in its own process, SIGKILLed at every step boundary and right after each
 * VirtualService weight change, then once SIGTERMed. Every write to the VirtualService and the Rollout is
 * recorded through watches, so "status.canary.weights never claims a weight the VirtualService does not
 * carry" and "the weight never goes back within an update" are checked at every revision, not sampled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VIRTUAL_SERVICE } from '../../src/rollouts/traffic/istio/index.js';
import { useRestartedController } from '../support/fixtures/restarted-controller.js';
import {
  checkInvariants,
  createRollout,
  getRollout,
  ROLLOUT,
  type RolloutObject,
  replicaSetsOf,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { SideWatch } from '../support/fixtures/side-watch.js';
import { recordWorldHistory, type WorldHistory } from '../support/fixtures/world-history.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';
import { createIstioObjects, primaryWeights } from '../support/traffic/istio-objects.js';
import {
  createServices,
  SUCCESS_RATE_STEP,
  type SuccessRateAnalysis,
  startSuccessRateAnalysis,
  statusAheadOfRouter,
  statusWeights,
  weightTrace,
} from '../support/traffic/routed-world.js';
import { requireUpstreamCrd } from '../support/traffic/upstream-crds.js';

const NAME = 'web-app';
const VS_NAME = 'web-virtualservice';
const STEPS = [
  { setWeight: 10 },
  { pause: { duration: '1s' } },
  SUCCESS_RATE_STEP,
  { setWeight: 30 },
  { pause: { duration: '1s' } },
  { setWeight: 50 },
  { pause: { duration: '1s' } },
  { setWeight: 100 },
];

/** `stable/canary` weights of the `primary` route. */
const vsWeights = primaryWeights('host');

describe('rollouts: the Istio-routed seed canary with the controller killed at every step', () => {
  const controller = useRestartedController('rollout-controller-process');
  let analysis: SuccessRateAnalysis | undefined;
  let history: WorldHistory | undefined;
  // registered before the namespace's hooks: runs before the namespace is deleted
  after(async () => {
    await history?.stop();
    await analysis?.stop();
  });
  const { client, ns } = useTestNamespace('ro-traffic-restart', { crds: true });
  const vsNow = async () =>
    vsWeights(await client.get({ ...VIRTUAL_SERVICE, namespace: ns.name, name: VS_NAME }));
  const rollout = () => getRollout(client, ns.name, NAME);
  const seen = () => {
    if (!history) throw new Error('no history yet');
    return history;
  };
  /** Healthy on the current template with the VirtualService and status both back at 100/0. */
  const healthy = (what: string, timeoutMs = 120_000) =>
    eventually(
      what,
      async () => {
        const r = await rollout();
        return r.status?.phase === 'Healthy' &&
          r.status.stableRS === r.status.currentPodHash &&
          statusWeights(r) === '100/0' &&
          (await vsNow()) === '100/0'
          ? r
          : undefined;
      },
      timeoutMs,
      250,
    );
  /** Problems in the recorded writes since `from`: status ahead of the VirtualService, weights going back. */
  const problemsSince = (from: bigint) => {
    const h = seen();
    const problems = statusAheadOfRouter(h, NAME, 'VirtualService', VS_NAME, vsWeights, from);
    const trace = weightTrace(h, 'VirtualService', VS_NAME, vsWeights, from).map((t) => t.weights);
    // within one update the canary weight only grows, then returns to 0 once, after promotion
    const canary = trace.map((w) => Number(w.split('/')[1]));
    const back = canary.findIndex((w, i) => i > 0 && w < (canary[i - 1] ?? 0));
    if (back !== -1 && (canary[back] !== 0 || back !== canary.length - 1))
      problems.push(`weights went back: ${trace.join(' → ')}`);
    return { problems, trace };
  };

  before(async () => {
    await requireUpstreamCrd(client, 'virtualservices.networking.istio.io');
    analysis = await startSuccessRateAnalysis(client, ns.name);
    await createServices(client, ns.name, NAME, ['web-stable', 'web-canary']);
    await createIstioObjects(client, ns.name, 'host', VS_NAME);
    history = await recordWorldHistory(client, ns.name, [VIRTUAL_SERVICE, ROLLOUT]);
  });

  it('SIGKILL at each step and right after each weight change: weights and status stay right, the update finishes', async () => {
    await createRollout(client, ns.name, {
      name: NAME,
      replicas: 5,
      steps: STEPS,
      canary: {
        canaryService: 'web-canary',
        stableService: 'web-stable',
        trafficRouting: { istio: { virtualService: { name: VS_NAME, routes: ['primary'] } } },
      },
    });
    await controller.start(ns.name);
    await healthy('initial deploy Healthy at 100/0');

    // the step index never goes back within an update, whatever the kills
    const watch = new SideWatch(async (w) => {
      const r = await rollout();
      w.stepNeverBack(r.status?.currentPodHash ?? '', r.status?.currentStepIndex ?? 0);
    }, 50);

    const traces: string[] = [];
    let kills = 0;
    let afterWeight = 0;
    for (const [i, image] of ['1.1.0', '1.2.0', '1.3.0'].entries()) {
      const mark = await seen().mark();
      const previous = (await rollout()).status?.stableRS;
      await setImage(client, ns.name, NAME, `myregistry/web-app:${image}`);
      let r: RolloutObject = await rollout();
      const done = (x: RolloutObject) =>
        x.status?.phase === 'Healthy' &&
        x.status.stableRS === x.status.currentPodHash &&
        x.status.stableRS !== previous;
      while (!done(r)) {
        // alternate: kill at the next step boundary, or right after the next VirtualService weight change
        const step = r.status?.currentStepIndex;
        const weights = await vsNow();
        const byWeight = kills % 2 === 1;
        const moved = await controller.killAtNextMove(async () =>
          byWeight ? (await vsNow()) !== weights : (await rollout()).status?.currentStepIndex !== step,
        );
        kills++;
        if (byWeight && moved) afterWeight++;
        r = await rollout();
        if (kills > 80) break;
      }
      await healthy(`update ${i + 1} Healthy at 100/0`);
      assert.notEqual((await rollout()).status?.stableRS, previous, `update ${i + 1} promoted`);
      const { problems, trace } = problemsSince(mark);
      traces.push(trace.join(' → '));
      assert.deepEqual(problems, [], `update ${i + 1}`);
      // a kill may fall inside a weight's short life, but the seed's weights come in order and end at 0
      assert.deepEqual(
        trace.map((w) => w.split('/')[1]),
        ['10', '30', '50', '100', '0'],
        `update ${i + 1} weights ${trace.join(' → ')}`,
      );
    }
    await watch.stop();
    process.stdout.write(`# ${kills} SIGKILLs (${afterWeight} right after a weight change)\n`);
    for (const t of traces) process.stdout.write(`# ${t}\n`);
    assert.deepEqual(watch.problems, []);
    assert.ok(kills >= 12, `only ${kills} kills`);
    assert.ok(afterWeight >= 3, `only ${afterWeight} kills right after a weight change`);
    const final = await rollout();
    assert.equal(final.status?.currentStepIndex, STEPS.length);
    assert.equal(final.status?.canary?.weights?.stable.podTemplateHash, final.status?.currentPodHash);
    assert.ok((analysis?.measured() ?? 0) >= 3, 'each update ran its analysis');
    await checkInvariants(client, ns.name, NAME);
    const hashes = (await replicaSetsOf(client, ns.name)).map(
      (rs) => rs.metadata.labels?.['rollouts-pod-template-hash'],
    );
    assert.equal(new Set(hashes).size, hashes.length, 'one ReplicaSet per template');
  });

  it('SIGTERM at 30%: the controller exits cleanly, its successor carries on from the same weight', async () => {
    const mark = await seen().mark();
    await setImage(client, ns.name, NAME, 'myregistry/web-app:1.4.0');
    await eventually(
      'the update at 30%',
      async () => {
        const r = await rollout();
        return (r.status?.currentStepIndex ?? 0) >= 4 && statusWeights(r) === '70/30';
      },
      120_000,
      50,
    );
    assert.equal(await controller.terminate(), 0, 'the controller exits 0 on SIGTERM');
    assert.equal(
      statusWeights(await rollout()),
      await vsNow(),
      'the stopped controller left status.canary.weights as the VirtualService has them',
    );
    await controller.start(ns.name);
    await healthy('Healthy after the SIGTERM');
    const { problems, trace } = problemsSince(mark);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      trace.map((w) => w.split('/')[1]),
      ['10', '30', '50', '100', '0'],
      `weights ${trace.join(' → ')}`,
    );
    await checkInvariants(client, ns.name, NAME);
    await seen().stop();
  });
});
