/**
 * Issues 14 and 20: Argo Rollouts' own kubectl plugin (v1.10.1, built from the Go module proxy) against
 * Rollouts Slipway runs. `kubectl-argo-rollouts get rollout` and `slipway rollout get` show the same
 * status, strategy, step, SetWeight / ActualWeight, images, replica counts and ReplicaSet tree, for a
 * basic canary and an Istio-routed one at a pause step; `list rollouts` and `slipway rollout list`
 * print the same table; promote, abort, retry, promote --full and undo sent by the upstream plugin move
 * the Slipway-run Rollout as Argo's controller would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VIRTUAL_SERVICE } from '../../src/rollouts/traffic/istio/index.js';
import { bothRolloutLists, rolloutViewsAgree } from '../support/argo/rollout-views.js';
import { argoBinaries, argoPluginOk } from '../support/argo/upstream-binaries.js';
import { startAnalysisController } from '../support/fixtures/analysis-controller.js';
import {
  checkInvariants,
  getRollout,
  setImage,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';
import { requireUpstreamCrd } from '../support/traffic/upstream-crds.js';

const SERVICE = { apiVersion: 'v1', kind: 'Service' } as const;
const IMAGE = (tag: string) => `argoproj/rollouts-demo:${tag}`;
const LONG = 120_000;

describe('the upstream kubectl plugin against Rollouts Slipway runs', () => {
  const s = useRolloutScenario('argo-cli');
  let server: LocalHttpServer | undefined;
  let analysis: { stop(): Promise<void> } | undefined;

  before(async () => {
    await argoBinaries(); // built on first use; minutes on a cold Go cache
    await requireUpstreamCrd(s.client, 'virtualservices.networking.istio.io');
    server = await startLocalHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ rate: 0.99 }));
    });
    analysis = await startAnalysisController(s.namespace);
    await s.client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'success-rate', namespace: s.namespace },
      spec: {
        metrics: [
          {
            name: 'success-rate',
            count: 2,
            interval: '1s',
            successCondition: 'result >= 0.95',
            provider: { web: { url: `${server.base}/rate`, jsonPath: '{$.rate}' } },
          },
        ],
      },
    });
  });
  after(async () => {
    await analysis?.stop();
    await server?.close();
  });

  /** Image of the Rollout's template. */
  const templateImage = async (name: string) =>
    (
      (await getRollout(s.client, s.namespace, name)).spec?.template?.spec as
        | { containers: { image: string }[] }
        | undefined
    )?.containers[0]?.image;

  it('basic canary paused at a step: get and list agree with the upstream plugin', async () => {
    const name = 'basic';
    await s.createRollout({
      name,
      replicas: 5,
      image: IMAGE('blue'),
      steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} }],
    });
    await s.reaches(name, 'first revision Healthy', (r) => r.status?.phase === 'Healthy', LONG);
    const healthy = await rolloutViewsAgree(s.namespace, name, (v) => v.fields.Status === '✔ Healthy');
    assert.equal(healthy.fields.ActualWeight, '100');
    assert.equal(healthy.fields.Step, '4/4');

    await setImage(s.client, s.namespace, name, IMAGE('green'));
    await s.pausedAt(name, 'paused at step 1', 1);
    const paused = await rolloutViewsAgree(
      s.namespace,
      name,
      (v) => v.fields.Status === '॥ Paused' && v.fields.Updated === '1' && v.fields.Available === '5',
    );
    assert.equal(paused.fields.Step, '1/4');
    assert.equal(paused.fields.SetWeight, '20');
    // Argo's basic canary math: 1 canary + 4 stable pods; ActualWeight = 1 * 100 / 5 available
    assert.equal(paused.fields.ActualWeight, '20');
    assert.deepEqual(paused.images, [`${IMAGE('blue')} (stable)`, `${IMAGE('green')} (canary)`]);
    assert.ok(paused.tree.some((row) => /ReplicaSet \| ✔ Healthy \| canary$/.test(row)));

    await eventually(
      'the same rollout list',
      async () => {
        const lists = await bothRolloutLists(s.namespace);
        assert.deepEqual(lists.slipway, lists.upstream);
        return lists.upstream.some((l) => /^basic\s+Canary\s+Paused\s+1\/4\s+20\s+5\/5\s+5\s+1\s+5$/.test(l));
      },
      LONG,
      500,
    );
    await checkInvariants(s.client, s.namespace, name);
  });

  it('promote, abort, retry, promote --full and undo from the upstream plugin move the Rollout', async () => {
    const name = 'basic';
    const plugin = (...args: string[]) => argoPluginOk(...args, '-n', s.namespace);

    await plugin('promote', name);
    await s.pausedAt(name, 'paused at step 3 after promote', 3);
    await rolloutViewsAgree(s.namespace, name, (v) => v.fields.Step === '3/4' && v.fields.SetWeight === '60');

    await plugin('abort', name);
    await s.reaches(
      name,
      'aborted: Degraded, canary scaled down',
      (r) => r.status?.abort === true && r.status.phase === 'Degraded' && r.status.updatedReplicas === 0,
      LONG,
    );
    const aborted = await rolloutViewsAgree(
      s.namespace,
      name,
      (v) => v.fields.Status === '✖ Degraded' && v.fields.Available === '5',
    );
    assert.equal(aborted.fields.SetWeight, '0');
    assert.match(aborted.fields.Message ?? '', /^RolloutAborted: /);

    await plugin('retry', 'rollout', name);
    await s.pausedAt(name, 'paused at step 1 again after retry', 1);
    await rolloutViewsAgree(
      s.namespace,
      name,
      (v) => v.fields.Step === '1/4' && v.fields.Updated === '1' && v.fields.Available === '5',
    );

    await plugin('promote', name, '--full');
    await s.reaches(
      name,
      'Healthy on green after promote --full',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash,
      LONG,
    );
    assert.equal(await templateImage(name), IMAGE('green'));

    await plugin('undo', name);
    await eventually(
      'undo restores the blue template',
      async () => (await templateImage(name)) === IMAGE('blue'),
      LONG,
    );
    await s.pausedAt(name, 'the undo runs the steps from the start', 1);
    await rolloutViewsAgree(
      s.namespace,
      name,
      (v) => v.fields.Status === '॥ Paused' && v.fields.Updated === '1' && v.fields.Available === '5',
    );
    await plugin('promote', name, '--full');
    await s.reaches(name, 'Healthy on blue', (r) => r.status?.phase === 'Healthy', LONG);
    await rolloutViewsAgree(
      s.namespace,
      name,
      (v) => v.fields.Status === '✔ Healthy' && v.fields.Current === '5',
    );
    await checkInvariants(s.client, s.namespace, name);
  });

  it('Istio-routed canary paused at a step: SetWeight and ActualWeight agree with the upstream plugin', async () => {
    const name = 'routed';
    for (const svc of ['routed-stable', 'routed-canary'])
      await s.client.create({
        ...SERVICE,
        metadata: { name: svc, namespace: s.namespace },
        spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      });
    await s.client.create({
      ...VIRTUAL_SERVICE,
      metadata: { name: 'routed-vs', namespace: s.namespace },
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
    await s.createRollout({
      name,
      replicas: 4,
      image: IMAGE('blue'),
      steps: [
        { setWeight: 30 },
        { analysis: { templates: [{ templateName: 'success-rate' }] } },
        { pause: {} },
        { setWeight: 70 },
        { pause: {} },
      ],
      canary: {
        canaryService: 'routed-canary',
        stableService: 'routed-stable',
        trafficRouting: { istio: { virtualService: { name: 'routed-vs', routes: ['primary'] } } },
      },
    });
    await s.reaches(name, 'first revision Healthy', (r) => r.status?.phase === 'Healthy', LONG);
    await rolloutViewsAgree(s.namespace, name, (v) => v.fields.Status === '✔ Healthy');

    await setImage(s.client, s.namespace, name, IMAGE('green'));
    await s.pausedAt(name, 'paused at step 2, after the analysis', 2);
    const paused = await rolloutViewsAgree(
      s.namespace,
      name,
      (v) => v.fields.Status === '॥ Paused' && v.fields.ActualWeight === '30',
    );
    assert.equal(paused.fields.SetWeight, '30');
    assert.ok(
      paused.tree.some((row) =>
        /^│ {2}└──α routed-[a-z0-9]+-2-1 \| AnalysisRun \| ✔ Successful \| ✔ 2$/.test(row),
      ),
      `the step's AnalysisRun under revision 2:\n${paused.tree.join('\n')}`,
    );

    await argoPluginOk('promote', name, '-n', s.namespace);
    await s.pausedAt(name, 'paused at step 4', 4);
    const second = await rolloutViewsAgree(
      s.namespace,
      name,
      (v) => v.fields.Step === '4/5' && v.fields.ActualWeight === '70',
    );
    assert.equal(second.fields.SetWeight, '70');
    await eventually(
      'the same rollout list',
      async () => {
        const lists = await bothRolloutLists(s.namespace);
        assert.deepEqual(lists.slipway, lists.upstream);
        return lists.upstream.some((l) => /^routed\s+Canary\s+Paused\s+4\/5\s+70\s/.test(l));
      },
      LONG,
      500,
    );
    await checkInvariants(s.client, s.namespace, name);
  });
});
