/**
 * Issue 14 acceptance: the seed's Istio canary end to end on the real cluster. The controller runs in this
 * process against the upstream VirtualService CRD; an in-process AnalysisRun controller measures a web
 * metric served by this test. Every write to the VirtualService, the ReplicaSets, the Services, the
 * AnalysisRuns and the Rollout is recorded through watches, so the order of the world's changes is
 * asserted exactly (one etcd revision orders writes across kinds), not sampled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import {
  abortRollout,
  POD_TEMPLATE_HASH_LABEL,
  promoteRollout,
  type ReplicaSet,
  retryRollout,
} from '../../src/rollouts/index.js';
import { VIRTUAL_SERVICE } from '../../src/rollouts/traffic/istio/index.js';
import {
  checkInvariants,
  getRollout,
  ROLLOUT,
  type RolloutObject,
  setImage,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { recordWorldHistory, type WorldHistory } from '../support/fixtures/world-history.js';
import { eventually } from '../support/kube.js';
import { createIstioObjects, primaryWeights } from '../support/traffic/istio-objects.js';
import {
  createServices,
  type SuccessRateAnalysis,
  startSuccessRateAnalysis,
  statusWeights,
  weightTrace,
} from '../support/traffic/routed-world.js';
import { requireUpstreamCrd } from '../support/traffic/upstream-crds.js';

const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;
const SERVICE = { apiVersion: 'v1', kind: 'Service' } as const;
const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;
const NAME = 'web-app';
const VS_NAME = 'web-virtualservice';

/** `stable/canary` weights of the `primary` route. */
const vsWeights = primaryWeights('host');

/** Consecutive distinct VirtualService weights written after `from`, with the write that set each. */
const vsTrace = (history: WorldHistory, from: bigint) =>
  weightTrace(history, 'VirtualService', VS_NAME, vsWeights, from);

const hashOf = (o: KubeObject | undefined) => o?.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
const rsNamed = (history: WorldHistory, hash: string) =>
  history.writes().find((w) => w.kind === 'ReplicaSet' && hashOf(w.object) === hash)?.name ?? '';
const available = (rs: KubeObject | undefined) =>
  (rs as ReplicaSet | undefined)?.status?.availableReplicas ?? 0;
const selectorHash = (svc: KubeObject | undefined) =>
  (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector?.[POD_TEMPLATE_HASH_LABEL];

describe('rollouts: the seed canary routed by an Istio VirtualService', () => {
  const s = useRolloutScenario('ro-istio');
  let analysis: SuccessRateAnalysis | undefined;
  let history: WorldHistory | undefined;
  const measured = () => analysis?.measured() ?? 0;
  /** What the scale-down-delay checks below read from the scenario. */
  const found: {
    oldStable: string;
    promotedAt: bigint;
    abortedCanary: string;
    abortedAt: string;
    abortMark: bigint;
    deadlineAfterRetry?: string;
  } = { oldStable: '', promotedAt: 0n, abortedCanary: '', abortedAt: '', abortMark: 0n };

  before(async () => {
    await requireUpstreamCrd(s.client, 'virtualservices.networking.istio.io');
    analysis = await startSuccessRateAnalysis(s.client, s.namespace);
    await createServices(s.client, s.namespace, 'web', ['web-stable', 'web-canary']);
    await createIstioObjects(s.client, s.namespace, 'host', VS_NAME);
    history = await recordWorldHistory(s.client, s.namespace, [VIRTUAL_SERVICE, RS, SERVICE, AR, ROLLOUT]);
  });
  after(async () => {
    await history?.stop();
    await analysis?.stop();
  });

  const seen = () => {
    if (!history) throw new Error('no history yet');
    return history;
  };
  const vsNow = async () =>
    vsWeights(await s.client.get({ ...VIRTUAL_SERVICE, namespace: s.namespace, name: VS_NAME }));
  /** Waits for the Rollout to pass `check` while the VirtualService carries `weights`. */
  const settles = (
    what: string,
    weights: string,
    check: (r: RolloutObject) => boolean,
    timeoutMs = 120_000,
  ) =>
    eventually(
      `${what} with VirtualService and status.canary.weights ${weights}`,
      async () => {
        const r = await getRollout(s.client, s.namespace, NAME);
        return check(r) && statusWeights(r) === weights && (await vsNow()) === weights ? r : undefined;
      },
      timeoutMs,
      250,
    );
  const pausedAt = (index: number) => (r: RolloutObject) =>
    r.status?.phase === 'Paused' && r.status.currentStepIndex === index;

  it('10% → analysis → 30% → 50% → 100% moves the weights at the right moments; abort, then retry', async () => {
    const ref = { namespace: s.namespace, name: NAME };
    const analysisStep = {
      analysis: {
        templates: [{ templateName: 'success-rate' }],
        args: [{ name: 'service-name', value: 'web-canary' }],
      },
    };
    await s.client.create({
      ...ROLLOUT,
      metadata: { name: NAME, namespace: s.namespace },
      spec: {
        replicas: 10,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'web', image: 'myregistry/web-app:1.0.0', ports: [{ containerPort: 8080 }] },
            ],
          },
        },
        strategy: {
          canary: {
            canaryService: 'web-canary',
            stableService: 'web-stable',
            trafficRouting: { istio: { virtualService: { name: VS_NAME, routes: ['primary'] } } },
            // the seed's steps; its 5m and 10m pauses become a promoted pause and a 2 s one
            steps: [
              { setWeight: 10 },
              { pause: {} },
              analysisStep,
              { setWeight: 30 },
              { pause: {} },
              { setWeight: 50 },
              { pause: { duration: '2s' } },
              { setWeight: 100 },
            ],
          },
        },
      },
    });

    // initial deploy: all traffic on stable, both Services on the first ReplicaSet
    const initial = await settles('initial deploy Healthy', '100/0', (r) => r.status?.phase === 'Healthy');
    const first = initial.status?.stableRS ?? '';
    assert.ok(first);
    assert.equal(initial.status?.canary?.weights?.canary.podTemplateHash, first);
    assert.equal(initial.status?.canary?.weights?.stable.podTemplateHash, first);

    // update 1: 10% once the canary has a pod, held through the pause
    const update1 = await seen().mark();
    await setImage(s.client, s.namespace, NAME, 'myregistry/web-app:1.1.0');
    const at1 = await settles('paused at step 1 (10%)', '90/10', pausedAt(1));
    const second = at1.status?.currentPodHash ?? '';
    assert.notEqual(second, first);
    assert.deepEqual(at1.status?.canary?.weights?.canary, {
      weight: 10,
      serviceName: 'web-canary',
      podTemplateHash: second,
    });
    assert.deepEqual(at1.status?.canary?.weights?.stable, {
      weight: 90,
      serviceName: 'web-stable',
      podTemplateHash: first,
    });
    assert.equal(measured(), 0, 'no analysis before the pause is promoted');

    // analysis, then 30%: the weight moves only after the run succeeded
    await promoteRollout(s.client, ref);
    const at4 = await settles('paused at step 4 (30%)', '70/30', pausedAt(4));
    assert.ok(measured() >= 1, 'the analysis measured the web metric');
    assert.equal(at4.status?.currentStepIndex, 4);

    // 50%, a 2 s pause, 100%, then promotion: the stable Service moves and the weight returns to 0
    await promoteRollout(s.client, ref);
    const done = await settles(
      'Healthy on the second ReplicaSet',
      '100/0',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === second,
    );
    assert.equal(done.status?.currentStepIndex, 8);
    assert.equal(done.status?.canary?.weights?.stable.podTemplateHash, second);

    const h = seen();
    const trace1 = vsTrace(h, update1);
    assert.deepEqual(
      trace1.map((t) => t.weights),
      ['90/10', '70/30', '50/50', '0/100', '100/0'],
      'the VirtualService weights of update 1, in order',
    );
    const rs2 = rsNamed(h, second);
    const rs1 = rsNamed(h, first);
    Object.assign(found, { oldStable: rs1, promotedAt: update1 });
    const [w10, w30, w50, w100, w0] = trace1.map((t) => t.write.revision);
    // each weight is written only once the canary pods for it are available
    assert.ok(
      available(h.before('ReplicaSet', rs2, w10 ?? 0n)) >= 1,
      '10% before a canary pod was available',
    );
    assert.ok(
      available(h.before('ReplicaSet', rs2, w30 ?? 0n)) >= 3,
      '30% before 3 canary pods were available',
    );
    assert.ok(
      available(h.before('ReplicaSet', rs2, w50 ?? 0n)) >= 5,
      '50% before 5 canary pods were available',
    );
    assert.ok(
      available(h.before('ReplicaSet', rs2, w100 ?? 0n)) >= 10,
      '100% before 10 canary pods were available',
    );
    // 30% only after the step's AnalysisRun succeeded
    const runs = h.writes().filter((w) => w.kind === 'AnalysisRun' && hashOf(w.object) === second);
    const succeeded = runs.find(
      (w) => (w.object.status as { phase?: string } | undefined)?.phase === 'Successful',
    );
    assert.ok(succeeded, 'the step AnalysisRun succeeded');
    assert.ok(succeeded.revision < (w30 ?? 0n), '30% was written after the AnalysisRun succeeded');
    assert.ok((runs[0]?.revision ?? 0n) > (w10 ?? 0n), 'the AnalysisRun started after 10%');
    // the weight returns to stable only once the stable Service selects the new pods
    assert.equal(selectorHash(h.before('Service', 'web-stable', w0 ?? 0n)), second);
    // the old stable keeps its pods while it takes traffic
    const oldScaledDown = h
      .writesOf('ReplicaSet', rs1)
      .find((w) => w.revision > update1 && ((w.object as ReplicaSet).spec?.replicas ?? 0) < 10);
    assert.ok(
      oldScaledDown === undefined || oldScaledDown.revision > (w0 ?? 0n),
      'old stable shrank while taking traffic',
    );
    // status.canary.weights followed the same path
    const statusTrace: string[] = [];
    for (const w of h.writesOf('Rollout', NAME)) {
      if (w.revision <= update1) continue;
      const weights = statusWeights(w.object as RolloutObject);
      if (weights !== undefined && weights !== statusTrace.at(-1)) statusTrace.push(weights);
    }
    assert.deepEqual(
      statusTrace,
      ['100/0', '90/10', '70/30', '50/50', '0/100', '100/0'].slice(statusTrace[0] === '100/0' ? 0 : 1),
    );
    await checkInvariants(s.client, s.namespace, NAME);

    // update 2, aborted at 30%: the weight returns to 0 before the canary is scaled down
    const update2 = await seen().mark();
    await setImage(s.client, s.namespace, NAME, 'myregistry/web-app:1.2.0');
    const at1b = await settles('update 2 paused at step 1 (10%)', '90/10', pausedAt(1));
    const third = at1b.status?.currentPodHash ?? '';
    assert.ok(third !== '' && third !== second);
    await promoteRollout(s.client, ref);
    await settles('update 2 paused at step 4 (30%)', '70/30', pausedAt(4));
    const aborting = await seen().mark();
    await abortRollout(s.client, ref);
    const aborted = await settles('Degraded after abort', '100/0', (r) => r.status?.phase === 'Degraded');
    assert.equal(aborted.status?.abort, true);
    assert.equal(aborted.status?.canary?.weights?.stable.podTemplateHash, second);
    const rs3 = rsNamed(seen(), third);
    Object.assign(found, {
      abortedCanary: rs3,
      abortedAt: aborted.status?.abortedAt ?? '',
      abortMark: aborting,
    });
    await eventually(
      'the aborted canary scaled to 0 (after abortScaleDownDelaySeconds)',
      async () =>
        ((await s.client.get<ReplicaSet>({ ...RS, namespace: s.namespace, name: rs3 })).spec?.replicas ??
          -1) === 0,
      120_000,
      250,
    );
    const h2 = seen();
    const trace2 = vsTrace(h2, update2).map((t) => t.weights);
    assert.deepEqual(trace2, ['90/10', '70/30', '100/0'], 'the VirtualService weights of update 2, in order');
    const back = vsTrace(h2, aborting)[0]?.write.revision ?? 0n;
    const shrink = h2
      .writesOf('ReplicaSet', rs3)
      .find((w) => w.revision > aborting && ((w.object as ReplicaSet).spec?.replicas ?? 0) < 3);
    assert.ok(shrink, 'the canary ReplicaSet was scaled down');
    assert.ok(
      back > 0n && back < shrink.revision,
      'the weight went back to 0 before the canary was scaled down',
    );
    await checkInvariants(s.client, s.namespace, NAME);

    // retry: the steps start again, at 10% once the canary has a pod again
    const retrying = await seen().mark();
    await retryRollout(s.client, ref);
    const retried = await settles('retried, paused at step 1 (10%)', '90/10', pausedAt(1));
    assert.equal(retried.status?.currentPodHash, third);
    assert.equal(retried.status?.abort, undefined);
    const trace3 = vsTrace(seen(), retrying);
    assert.deepEqual(
      trace3.map((t) => t.weights),
      ['90/10'],
      'retry starts again at 10%',
    );
    assert.ok(available(seen().before('ReplicaSet', rs3, trace3[0]?.write.revision ?? 0n)) >= 1);
    const canaryAfterRetry = await s.client.get<ReplicaSet>({ ...RS, namespace: s.namespace, name: rs3 });
    found.deadlineAfterRetry = canaryAfterRetry.metadata.annotations?.['scale-down-deadline'];
    await checkInvariants(s.client, s.namespace, NAME);
    await seen().stop(); // before the scenario's hooks close the client and delete the namespace
  });

  // Argo keeps a ReplicaSet that leaves a traffic-routed canary for a while before scaling it down: the
  // `scale-down-deadline` annotation, 30 s by default (scaleDownDelaySeconds after a promotion,
  // abortScaleDownDelaySeconds after an abort).
  const deadlineBeforeShrink = (rsName: string, after: bigint, from: number) => {
    const writes = seen()
      .writesOf('ReplicaSet', rsName)
      .filter((w) => w.revision > after);
    const shrink = writes.find((w) => ((w.object as ReplicaSet).spec?.replicas ?? 0) < from);
    assert.ok(shrink, `${rsName} was scaled down`);
    const annotated = writes.find(
      (w) =>
        w.revision < shrink.revision && w.object.metadata.annotations?.['scale-down-deadline'] !== undefined,
    );
    assert.ok(annotated, `${rsName} carried a scale-down-deadline before it was scaled down`);
    return annotated.object.metadata.annotations?.['scale-down-deadline'] ?? '';
  };

  it('the aborted canary keeps its pods until a scale-down-deadline abortScaleDownDelaySeconds (30 s) on', () => {
    const deadline = deadlineBeforeShrink(found.abortedCanary, found.abortMark, 3);
    assert.ok(
      Date.parse(deadline) - Date.parse(found.abortedAt) >= 30_000,
      `the deadline ${deadline} is 30 s after the abort at ${found.abortedAt}`,
    );
    assert.equal(found.deadlineAfterRetry, undefined, 'retry removes the scale-down-deadline');
  });

  it('the old stable keeps its pods for scaleDownDelaySeconds (default 30 s) after promotion', () => {
    deadlineBeforeShrink(found.oldStable, found.promotedAt, 10);
  });
});
