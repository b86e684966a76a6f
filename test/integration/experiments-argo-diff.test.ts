/**
 * Issue 15: the same experiment scenarios under Argo Rollouts v1.10.1's own controller (namespaced to one
 * namespace) and under Slipway's (another namespace), side by side on the shared cluster; the summaries
 * at each checkpoint (Rollout phase, message, step and condition reasons; Experiment phase, message,
 * condition reasons, template statuses; owned ReplicaSets and Services; the upstream plugin's
 * `get experiment` view) must be equal.
 *
 * Only scenarios without an AnalysisRun run here: Slipway's AnalysisRun CRD declares the status
 * subresource (crds/analysis-run.yaml), so Argo's controller, which merge-patches the main resource,
 * cannot record a run's status on this cluster. Those (experiment-with-analysis.yaml,
 * rollout-experiment-step.yaml) are asserted against Argo's expected values in experiments-upstream.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerAnalysisController } from '../../src/analysis/index.js';
import { Manager } from '../../src/core/index.js';
import { registerExperimentController } from '../../src/experiments/index.js';
import { Metrics, silentLogger } from '../../src/observability/index.js';
import { registerRolloutController } from '../../src/rollouts/index.js';
import { formatView, upstreamExperimentView } from '../support/argo/experiment-views.js';
import { type ArgoController, argoBinaries, startArgoController } from '../support/argo/upstream-binaries.js';
import {
  type Checkpoint,
  type ExampleWorld,
  experimentWithService,
  experimentWithServiceManifest,
  rolloutExperimentUntilPromoted,
} from '../support/experiments/upstream-examples.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

function world(scenario: ReturnType<typeof useTestNamespace>): ExampleWorld {
  return {
    client: scenario.client,
    get namespace() {
      return scenario.ns.name;
    },
  };
}

/** Runs `scenario` in both namespaces at once and compares the checkpoints. */
async function sameUnderBoth(
  argo: ExampleWorld,
  slipway: ExampleWorld,
  scenario: (w: ExampleWorld) => Promise<Checkpoint[]>,
): Promise<Checkpoint[]> {
  const [byArgo, bySlipway] = await Promise.all([scenario(argo), scenario(slipway)]);
  const show = (c: readonly Checkpoint[]) => c.map((x) => `${x.at}: ${x.summary}`);
  assert.deepEqual(show(bySlipway), show(byArgo));
  return bySlipway;
}

describe('experiments: Slipway and Argo Rollouts v1.10.1 side by side', { concurrency: true }, () => {
  let argo: ArgoController | undefined;
  let manager: Manager | undefined;
  after(async () => {
    await argo?.stop();
    await manager?.stop();
  });
  const argoNs = useTestNamespace('ex-argo', { crds: true });
  const slipwayNs = useTestNamespace('ex-slipway', { crds: true });
  const byArgo = world(argoNs);
  const bySlipway = world(slipwayNs);

  before(async () => {
    await argoBinaries(); // built on first use; minutes on a cold Go cache
    argo = await startArgoController(argoNs.ns.name);
    manager = new Manager({
      client: slipwayNs.client,
      logger: silentLogger(),
      metrics: new Metrics(),
      shutdownDeadlineMs: 2_000,
    });
    const namespace = slipwayNs.ns.name;
    registerAnalysisController(manager, { namespace, workers: 4 });
    registerExperimentController(manager, { namespace, workers: 4 });
    registerRolloutController(manager, { namespace });
    await manager.start();
    await manager.waitForCacheSync();
  });

  for (const [variant, test, service] of [
    ['service', 'TestExperimentWithServiceAndScaleDownDelay', 'experiment-with-service-test(:8080)'],
    ['service-name', 'TestExperimentWithServiceNameAndScaleDownDelay', 'test-service-name(:8080)'],
    [
      'multiport-service',
      'TestExperimentWithMultiportServiceAndScaleDownDelay',
      'experiment-with-multiport-service-test(testport1:8080+testport2:8081+testport3:8082)',
    ],
  ] as const)
    it(`Argo's e2e ${test}: same phases, Service, scale-down and plugin view`, async () => {
      // 20 s instead of 10 s: on a loaded machine Argo's run may finish before the Running view is read
      const manifest = experimentWithServiceManifest(variant, '20s');
      const c = await sameUnderBoth(byArgo, bySlipway, (w) =>
        experimentWithService(w, manifest, async (name) =>
          formatView(await upstreamExperimentView(w.namespace, name)),
        ),
      );
      assert.ok(c[0]?.summary.endsWith(`=1] services=[${service}]`), c[0]?.summary);
      assert.match(c[2]?.summary ?? '', /^phase=Successful /);
    });

  it("why no AnalysisRun scenario is compared: Argo's controller runs the Job, but its status patch is dropped", async () => {
    const name = 'argo-run';
    const ns = byArgo.namespace;
    await byArgo.client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name, namespace: ns },
      spec: {
        metrics: [
          {
            name: 'pass',
            provider: {
              job: {
                spec: {
                  backoffLimit: 0,
                  template: {
                    spec: {
                      restartPolicy: 'Never',
                      containers: [
                        { name: 'pass', image: 'alpine:3.8', command: ['sh', '-c'], args: ['exit 0'] },
                      ],
                    },
                  },
                },
              },
            },
          },
        ],
      },
    });
    // Argo's controller acts on the run: it creates the Job, which completes
    await eventually(
      'the Job of the run to succeed',
      async () => {
        const run = await byArgo.client.get({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisRun',
          namespace: ns,
          name,
        });
        const { items } = await byArgo.client.listAll(
          { apiVersion: 'batch/v1', kind: 'Job' },
          { namespace: ns },
        );
        // Argo names the Job <run uid>.<metric>.<n>; it is owned by the run
        return items.some(
          (j) =>
            j.metadata.ownerReferences?.some((o) => o.uid === run.metadata.uid) === true &&
            ((j.status as { succeeded?: number } | undefined)?.succeeded ?? 0) > 0,
        );
      },
      120_000,
      500,
    );
    await new Promise((r) => setTimeout(r, 5_000));
    const run = await byArgo.client.get({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      namespace: ns,
      name,
    });
    assert.equal(run.status, undefined, 'the status subresource drops the status of a main-resource patch');
  });

  for (const name of ['rollout-canary-preview', 'rollout-baseline-vs-canary'] as const)
    it(`${name}.yaml: the same Rollout and Experiment states until promote and after`, async () => {
      const c = await sameUnderBoth(byArgo, bySlipway, (w) => rolloutExperimentUntilPromoted(w, name));
      assert.match(c.at(-2)?.summary ?? '', /^phase=Healthy .*\| phase=Successful /);
    });
});
