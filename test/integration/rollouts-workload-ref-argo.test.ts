/**
 * Issue 15: Argo Rollouts v1.10.1's functional workloadRef cases (functional_test.go TestScaleDownOnSuccess,
 * TestScaleDownProgressively, TestNeverScaleDown, TestScaleDownProgressivelyCompleted and
 * TestScaleDownProgressivelyCompletedCanary) under Argo's own controller and under Slipway's, side by
 * side on the shared cluster (one namespace each). Every checkpoint (Rollout phase and replica counts,
 * the Deployment's replicas and every value it took during the step) must be equal, and the Deployment
 * must end as Argo's tests expect: `never` leaves it at 2, `onsuccess` and `progressively` at 0, also
 * through scaling events of the Rollout and a new revision.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/core/index.js';
import { type ArgoController, argoBinaries, startArgoController } from '../support/argo/upstream-binaries.js';
import { checkInvariants, startRolloutController } from '../support/fixtures/rollout-scenario.js';
import { useTestNamespace } from '../support/namespace-scenario.js';
import {
  blueGreenScaleDown,
  blueGreenWorkloadRefLifecycle,
  canaryScaleDownProgressively,
  type WorkloadCheckpoint,
  type WorkloadWorld,
} from '../support/workloads/workload-ref-scenarios.js';

function world(scenario: ReturnType<typeof useTestNamespace>): WorkloadWorld {
  return {
    client: scenario.client,
    get namespace() {
      return scenario.ns.name;
    },
  };
}

const show = (c: readonly WorkloadCheckpoint[]) => c.map((x) => `${x.at}: ${x.summary}`);

describe('workloadRef scaleDown: Slipway and Argo Rollouts v1.10.1 side by side', {
  concurrency: true,
}, () => {
  let argo: ArgoController | undefined;
  let manager: Manager | undefined;
  after(async () => {
    await argo?.stop();
    await manager?.stop();
  });
  const argoNs = useTestNamespace('wl-argo', { crds: true });
  const slipwayNs = useTestNamespace('wl-slipway', { crds: true });
  const byArgo = world(argoNs);
  const bySlipway = world(slipwayNs);

  before(async () => {
    await argoBinaries(); // built on first use; minutes on a cold Go cache
    argo = await startArgoController(argoNs.ns.name);
    manager = await startRolloutController(slipwayNs.client, slipwayNs.ns.name);
  });

  for (const [mode, expected] of [
    ['never', 2],
    ['onsuccess', 0],
    ['progressively', 0],
  ] as const)
    it(`blue-green, scaleDown: ${mode}: the Deployment ends at ${expected}, through scaling and a new revision`, async () => {
      const [a, s] = await Promise.all([
        blueGreenScaleDown(byArgo, mode),
        blueGreenScaleDown(bySlipway, mode),
      ]);
      assert.deepEqual(show(s), show(a));
      for (const c of s) assert.match(c.summary, new RegExp(` deployment=${expected}( |$)`), c.at);
      await checkInvariants(bySlipway.client, bySlipway.namespace, `bg-${mode}`);
    });

  it('TestWorkloadRef and TestWorkloadRefTemplate (blue-green): the same phases, conditions, generations and Service', async () => {
    const [a, s] = await Promise.all([
      blueGreenWorkloadRefLifecycle(byArgo),
      blueGreenWorkloadRefLifecycle(bySlipway),
    ]);
    assert.deepEqual(show(s), show(a));
    // Argo's expectations: the Service is not switched to a Degraded Rollout's pods; the resolved template
    // is never written back; one condition naming the template next to the reference
    assert.match(s[0]?.summary ?? '', / active=rollout-ref-deployment$/);
    assert.match(
      s[1]?.summary ?? '',
      /^phase=Healthy workloadObservedGeneration=1 .* spec.selector=none spec.template.containers=0 active=rollout-ref-deployment\+hash$/,
    );
    assert.match(
      s.at(-1)?.summary ?? '',
      /conditions=\[InvalidSpec=True\/InvalidSpec:[^,]*template must be empty for workload reference rollout\]/,
    );
    await checkInvariants(bySlipway.client, bySlipway.namespace, 'rollout-ref-deployment');
  });

  it('canary, scaleDown: progressively: the Deployment stays at 0 after scaling to 8 and a promoted revision 2', async () => {
    const [a, s] = await Promise.all([
      canaryScaleDownProgressively(byArgo),
      canaryScaleDownProgressively(bySlipway),
    ]);
    assert.deepEqual(show(s), show(a));
    for (const c of s) assert.match(c.summary, / deployment=0( |$)/, c.at);
    await checkInvariants(bySlipway.client, bySlipway.namespace, 'canary-progressively');
  });
});
