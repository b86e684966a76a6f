import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import {
  abortRollout,
  EPHEMERAL_METADATA_ANNOTATION,
  MANAGED_BY_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  promoteRollout,
} from '../../src/rollouts/index.js';
import { startAnalysisController } from '../support/fixtures/analysis-controller.js';
import {
  checkInvariants,
  eventRecorded,
  readyPodsByHash,
  replicaSetsOf,
  setImage,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';

const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;

describe('rollouts: canaryService / stableService and canary / stable metadata', () => {
  const s = useRolloutScenario('ro-svc');
  const name = 'svc-demo';
  const canaryService = `${name}-canary`;
  const stableService = `${name}-stable`;

  const service = (serviceName: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceName, namespace: s.namespace },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  });

  /** The pod-template hash each Service selects (undefined while it selects every pod). */
  async function selectors(): Promise<{ canary?: string; stable?: string }> {
    const read = async (serviceName: string) => {
      const svc = await s.client.get({
        apiVersion: 'v1',
        kind: 'Service',
        namespace: s.namespace,
        name: serviceName,
      });
      const selector = (svc.spec as { selector?: Record<string, string> }).selector ?? {};
      assert.equal(selector.app, name, 'the rest of the selector is kept');
      return selector[POD_TEMPLATE_HASH_LABEL];
    };
    return { canary: await read(canaryService), stable: await read(stableService) };
  }

  /** `role` label and `demo/role` annotation of the pods and of the ReplicaSet template, per hash. */
  async function roles(hash: string): Promise<{ pods: string[]; template: string }> {
    const { items } = await s.client.listAll(
      { apiVersion: 'v1', kind: 'Pod' },
      { namespace: s.namespace, labelSelector: `${POD_TEMPLATE_HASH_LABEL}=${hash}` },
    );
    const show = (m: { labels?: Record<string, string>; annotations?: Record<string, string> }) =>
      `${m.labels?.role ?? '-'}/${m.annotations?.['demo/role'] ?? '-'}`;
    const pods = items.filter((p) => !p.metadata.deletionTimestamp).map((p) => show(p.metadata));
    const rs = (await replicaSetsOf(s.client, s.namespace)).find(
      (r) => r.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash,
    );
    return { pods: [...new Set(pods)].sort(), template: show(rs?.spec?.template?.metadata ?? {}) };
  }

  it('services follow canary and stable; metadata moves with the roles; both services end on the new stable', async () => {
    await s.client.create(service(canaryService));
    await s.client.create(service(stableService));
    await s.createRollout({
      name,
      replicas: 4,
      steps: [{ setWeight: 25 }, { pause: {} }],
      canary: {
        canaryService,
        stableService,
        canaryMetadata: { labels: { role: 'canary' }, annotations: { 'demo/role': 'canary' } },
        stableMetadata: { labels: { role: 'stable' } },
      },
    });
    const initial = await s.reaches(name, 'initial deploy Healthy', (r) => r.status?.phase === 'Healthy');
    const first = initial.status?.stableRS ?? '';
    await eventually('both services on the first ReplicaSet', async () => {
      const sel = await selectors();
      return sel.canary === first && sel.stable === first;
    });
    const svc = await s.client.get({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: s.namespace,
      name: stableService,
    });
    assert.equal(svc.metadata.annotations?.[MANAGED_BY_ANNOTATION], name);
    await eventually('stable metadata on the first pods', async () => {
      const r = await roles(first);
      return r.template === 'stable/-' && r.pods.join() === 'stable/-';
    });

    // mid-canary: the canary Service selects the new pods only, the stable Service the old ones
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:yellow');
    const paused = await s.pausedAt(name, 'paused at 25%', 1);
    const second = paused.status?.currentPodHash ?? '';
    await eventually('3 stable / 1 canary pods', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[first] === 3 && pods[second] === 1;
    });
    await eventually('canary Service → new, stable Service → old', async () => {
      const sel = await selectors();
      return sel.canary === second && sel.stable === first;
    });
    await eventually('canary metadata on the canary, stable metadata on the stable', async () => {
      const [c, st] = [await roles(second), await roles(first)];
      return (
        c.template === 'canary/canary' &&
        c.pods.join() === 'canary/canary' &&
        st.template === 'stable/-' &&
        st.pods.join() === 'stable/-'
      );
    });
    const rs = (await replicaSetsOf(s.client, s.namespace)).find(
      (r) => r.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === second,
    );
    assert.deepEqual(JSON.parse(rs?.metadata.annotations?.[EPHEMERAL_METADATA_ANNOTATION] ?? '{}'), {
      labels: { role: 'canary' },
      annotations: { 'demo/role': 'canary' },
    });

    // promotion: the canary becomes stable, both Services select it, its pods carry the stable metadata
    await promoteRollout(s.client, { namespace: s.namespace, name });
    await s.reaches(
      name,
      'Healthy on the second ReplicaSet',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === second,
    );
    await eventually('both services on the second ReplicaSet', async () => {
      const sel = await selectors();
      return sel.canary === second && sel.stable === second;
    });
    await eventually('stable metadata moved to the promoted pods; the old template is cleaned', async () => {
      const [n, old] = [await roles(second), await roles(first)];
      return (
        n.template === 'stable/-' &&
        n.pods.join() === 'stable/-' &&
        old.template === '-/-' &&
        old.pods.length === 0
      );
    });
    for (const svcName of [canaryService, stableService]) {
      const expected = `SwitchService: Switched selector for service '${svcName}' from '${first}' to '${second}'`;
      await eventRecorded(s.client, s.namespace, name, expected, (m) => m === expected);
    }
    await checkInvariants(s.client, s.namespace, name);

    // abort: without traffic routing the canary Service goes back to the stable pods
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:red');
    const third = (await s.pausedAt(name, 'paused at 25% again', 1)).status?.currentPodHash;
    await eventually('canary Service → third', async () => (await selectors()).canary === third);
    await abortRollout(s.client, { namespace: s.namespace, name });
    await s.reaches(name, 'Degraded after abort', (r) => r.status?.phase === 'Degraded');
    await eventually('both services on the stable ReplicaSet after the abort', async () => {
      const sel = await selectors();
      return sel.canary === second && sel.stable === second;
    });
    await checkInvariants(s.client, s.namespace, name);
  });
});

describe('rollouts: background analysis (strategy.canary.analysis)', () => {
  const s = useRolloutScenario('ro-bg');
  let server: LocalHttpServer | undefined;
  let healthy = true;
  let analysis: { stop(): Promise<void> } | undefined;

  before(async () => {
    server = await startLocalHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { ok: healthy } }));
    });
    analysis = await startAnalysisController(s.namespace);
    await s.client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'health', namespace: s.namespace },
      spec: {
        metrics: [
          {
            name: 'health',
            interval: '1s',
            failureLimit: 0,
            successCondition: 'result.ok',
            provider: {
              web: { url: `${server.base}/health`, jsonPath: '{$.data}', timeoutSeconds: 5 },
            },
          },
        ],
      },
    });
  });
  after(async () => {
    await analysis?.stop();
    await server?.close();
  });

  const backgroundRuns = async () =>
    (await s.client.listAll(AR, { namespace: s.namespace, labelSelector: 'rollout-type=Background' })).items;
  const phaseOf = (run: KubeObject) => (run.status as { phase?: string } | undefined)?.phase;

  it('starts at startingStep, ends with the rollout, and a failing run aborts mid-pause', async () => {
    const name = 'bg-demo';
    const ref = { namespace: s.namespace, name };
    await s.createRollout({
      name,
      replicas: 4,
      steps: [
        { setWeight: 25 },
        { pause: {} },
        { setWeight: 50 },
        { pause: {} },
        { setWeight: 75 },
        { pause: {} },
      ],
      canary: { analysis: { templates: [{ templateName: 'health' }], startingStep: 2 } },
    });
    await s.reaches(name, 'initial deploy Healthy', (r) => r.status?.phase === 'Healthy');
    assert.deepEqual(await backgroundRuns(), [], 'no analysis for the initial deploy');

    // before startingStep: no run
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:yellow');
    const at1 = await s.pausedAt(name, 'paused at step 1', 1);
    assert.deepEqual(await backgroundRuns(), [], 'no background run before startingStep');
    assert.equal(at1.status?.canary?.currentBackgroundAnalysisRunStatus, undefined);
    const hash = at1.status?.currentPodHash ?? '';

    // at startingStep the run starts, labelled and named like Argo's, and keeps measuring
    await promoteRollout(s.client, ref);
    const at3 = await s.reaches(
      name,
      'paused at step 3 with a running background run',
      (r) =>
        r.status?.phase === 'Paused' &&
        r.status.currentStepIndex === 3 &&
        r.status.canary?.currentBackgroundAnalysisRunStatus?.status === 'Running',
    );
    const [run] = await backgroundRuns();
    assert.ok(run);
    assert.equal(run.metadata.name, `${name}-${hash}-2`);
    assert.equal(at3.status?.canary?.currentBackgroundAnalysisRunStatus?.name, run.metadata.name);
    assert.deepEqual(
      {
        type: run.metadata.labels?.['rollout-type'],
        hash: run.metadata.labels?.[POD_TEMPLATE_HASH_LABEL],
        owner: run.metadata.ownerReferences?.[0]?.name,
      },
      { type: 'Background', hash, owner: name },
    );
    assert.equal(run.metadata.labels?.['step-index'], undefined);

    // the rollout completes: the run is terminated and ends Successful
    await promoteRollout(s.client, ref);
    await s.pausedAt(name, 'paused at step 5', 5);
    await promoteRollout(s.client, ref);
    const done = await s.reaches(
      name,
      'Healthy',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === hash,
    );
    assert.equal(done.status?.canary?.currentBackgroundAnalysisRunStatus, undefined);
    await eventually('the background run terminated and Successful', async () => {
      const [r] = await backgroundRuns();
      if (r === undefined) return false;
      return (r.spec as { terminate?: boolean }).terminate === true && phaseOf(r) === 'Successful';
    });
    await checkInvariants(s.client, s.namespace, name);

    // next revision: the metric starts failing while the rollout waits at a pause step → abort
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:red');
    await s.pausedAt(name, 'paused at step 1 (red)', 1);
    await promoteRollout(s.client, ref);
    const red = await s.reaches(
      name,
      'paused at step 3 (red) with a running run',
      (r) =>
        r.status?.phase === 'Paused' &&
        r.status.currentStepIndex === 3 &&
        r.status.canary?.currentBackgroundAnalysisRunStatus?.status === 'Running',
    );
    const redHash = red.status?.currentPodHash ?? '';
    const redRun = red.status?.canary?.currentBackgroundAnalysisRunStatus?.name ?? '';
    assert.equal(redRun, `${name}-${redHash}-3`);
    healthy = false;
    const aborted = await s.reaches(
      name,
      'aborted by the failed background run',
      (r) => r.status?.phase === 'Degraded',
    );
    assert.equal(aborted.status?.abort, true);
    assert.match(aborted.status?.message ?? '', /^RolloutAborted: Rollout aborted update to revision 3: /);
    const failed = await s.client.get({ ...AR, namespace: s.namespace, name: redRun });
    assert.equal(phaseOf(failed), 'Failed');
    await eventually('canary scaled away, 4 stable pods', async () => {
      const pods = await readyPodsByHash(s.client, s.namespace);
      return pods[hash] === 4 && (pods[redHash] ?? 0) === 0;
    });
    await eventRecorded(s.client, s.namespace, name, 'AnalysisRunFailed', (m) =>
      m.startsWith(`AnalysisRunFailed: Background Analysis Run '${redRun}' Status New: 'Failed'`),
    );
    await checkInvariants(s.client, s.namespace, name);
  });
});
