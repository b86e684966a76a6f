// Blue-green end to end on the real cluster: Argo Rollouts' own examples/rollout-bluegreen.yaml (with its
// two Services), then pre-/post-promotion analysis through the real AnalysisRun controller and a web metric
// whose answer the test sets, auto-promotion after N seconds, rollback on a failed post-promotion run,
// the scale-down delays, and abort / retry / promote --full as the kubectl plugin sends them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/kube/index.js';
import {
  abortRollout,
  POD_TEMPLATE_HASH_LABEL,
  promoteRollout,
  type ReplicaSet,
  retryRollout,
  undoRollout,
} from '../../src/rollouts/index.js';
import { startAnalysisController } from '../support/fixtures/analysis-controller.js';
import {
  checkInvariants,
  eventReasons,
  replicaSetsOf,
  setImage,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';

const EXAMPLE = new URL('../fixtures/argo-manifests/rollout-bluegreen.yaml', import.meta.url);
const SVC = { apiVersion: 'v1', kind: 'Service' } as const;

/** The upstream example's objects (the Rollout and its 2 Services) in the test's namespace. */
function exampleObjects(namespace: string): KubeObject[] {
  const docs = parseAllDocuments(readFileSync(EXAMPLE, 'utf8')).map((d) => d.toJSON() as KubeObject);
  return docs.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));
}

const hashOf = (rs: ReplicaSet) => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
const selectorOf = (svc: KubeObject) =>
  (svc.spec as { selector?: Record<string, string> }).selector?.[POD_TEMPLATE_HASH_LABEL] ?? '';

describe('rollouts: blue-green', () => {
  const s = useRolloutScenario('ro-bluegreen');
  let analysis: { stop(): Promise<void> } | undefined;
  let metrics: LocalHttpServer | undefined;
  /** What the web metric answers, per path (`/pre`, `/post`): 1 passes, 0 fails. */
  const answers = new Map<string, number>();
  after(async () => {
    await analysis?.stop();
    await metrics?.close();
  });
  before(async () => {
    analysis = await startAnalysisController(s.namespace);
    metrics = await startLocalHttpServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: answers.get(req.url ?? '') ?? 0 }));
    });
    for (const path of ['pre', 'post'])
      await s.client.create({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisTemplate',
        metadata: { name: `web-${path}`, namespace: s.namespace },
        spec: {
          metrics: [
            {
              name: 'ok',
              successCondition: 'result == 1',
              provider: { web: { url: `${metrics.base}/${path}`, jsonPath: '{$.ok}' } },
            },
          ],
        },
      });
  });

  const service = (name: string) => s.client.get({ ...SVC, namespace: s.namespace, name });
  const rsByHash = async (hash: string) =>
    (await replicaSetsOf(s.client, s.namespace)).find((rs) => hashOf(rs) === hash);
  const services = async (prefix: string) => ({
    active: selectorOf(await service(`${prefix}-active`)),
    preview: selectorOf(await service(`${prefix}-preview`)),
  });
  const createServices = async (prefix: string) => {
    for (const role of ['active', 'preview'])
      await s.client.create({
        ...SVC,
        metadata: { name: `${prefix}-${role}`, namespace: s.namespace },
        spec: { selector: { app: prefix }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
      });
  };
  const createBlueGreen = async (name: string, blueGreen: Record<string, unknown>, replicas = 2) => {
    await createServices(name);
    await s.createRollout({
      name,
      replicas,
      spec: {
        strategy: {
          blueGreen: { activeService: `${name}-active`, previewService: `${name}-preview`, ...blueGreen },
        },
      },
    });
  };

  it("Argo's examples/rollout-bluegreen.yaml: preview first, manual promotion, active switched, old stack kept 30 s", async () => {
    for (const obj of exampleObjects(s.namespace)) await s.client.create(obj);
    const name = 'rollout-bluegreen';
    const ref = { namespace: s.namespace, name };
    const first = await s.reaches(
      name,
      'first deploy Healthy without a pause',
      (r) => r.status?.phase === 'Healthy',
    );
    const blue = first.status?.currentPodHash ?? '';
    assert.equal(first.status?.stableRS, blue);
    assert.deepEqual(first.status?.blueGreen?.activeSelector, blue);
    assert.deepEqual(await services(name), { active: blue, preview: blue });
    assert.equal(
      (await service(`${name}-active`)).metadata.annotations?.[
        'argo-rollouts.argoproj.io/managed-by-rollouts'
      ],
      name,
    );

    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:green');
    const paused = await s.reaches(
      name,
      'Paused (BlueGreenPause) with the preview up',
      (r) => r.status?.phase === 'Paused',
    );
    const green = paused.status?.currentPodHash ?? '';
    assert.notEqual(green, blue);
    assert.equal(paused.status?.message, 'BlueGreenPause');
    assert.deepEqual(
      paused.status?.pauseConditions?.map((p) => p.reason),
      ['BlueGreenPause'],
    );
    assert.equal(paused.status?.blueGreen?.previewSelector, green);
    assert.equal(paused.status?.blueGreen?.activeSelector, blue);
    assert.deepEqual(await services(name), { active: blue, preview: green });
    assert.equal((await rsByHash(green))?.status?.availableReplicas, 2, 'the preview stack is fully up');
    assert.equal((await rsByHash(blue))?.spec?.replicas, 2, 'the active stack is untouched');

    await promoteRollout(s.client, ref);
    const promoted = await s.reaches(
      name,
      'Healthy on green',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === green,
    );
    assert.equal(promoted.status?.blueGreen?.activeSelector, green);
    assert.deepEqual(await services(name), { active: green, preview: green });
    // the old stack keeps its pods for scaleDownDelaySeconds (default 30), marked with its deadline
    const kept = await eventually('old stack annotated with scale-down-deadline', async () => {
      const rs = await rsByHash(blue);
      return rs?.metadata.annotations?.['scale-down-deadline'] ? rs : undefined;
    });
    assert.equal(kept.spec?.replicas, 2);
    const deadline = Date.parse(kept.metadata.annotations?.['scale-down-deadline'] ?? '');
    assert.ok(deadline - Date.now() > 15_000, 'about 30 s ahead');
    await eventually(
      'old stack scaled to 0 after its deadline',
      async () => (await rsByHash(blue))?.spec?.replicas === 0,
      120_000,
    );
    assert.ok(Date.now() >= deadline - 1000, 'not scaled down before the deadline');
    const reasons = await eventReasons(s.client, s.namespace, name);
    for (const reason of ['RolloutPaused', 'RolloutCompleted', 'SwitchService', 'ScalingReplicaSet'])
      assert.ok(reasons.includes(reason), `event ${reason} in ${reasons.join(',')}`);
    await checkInvariants(s.client, s.namespace, name);
  });

  it('pre-promotion analysis, auto-promotion after N seconds, post-promotion analysis failing → back to the old stack', async () => {
    const name = 'bg-analysis';
    answers.set('/pre', 1);
    answers.set('/post', 0);
    await createBlueGreen(name, {
      autoPromotionSeconds: 5,
      abortScaleDownDelaySeconds: 3,
      prePromotionAnalysis: { templates: [{ templateName: 'web-pre' }] },
      postPromotionAnalysis: { templates: [{ templateName: 'web-post' }] },
    });
    const first = await s.reaches(name, 'first deploy Healthy', (r) => r.status?.phase === 'Healthy');
    const blue = first.status?.currentPodHash ?? '';
    assert.equal(
      first.status?.blueGreen?.prePromotionAnalysisRunStatus,
      undefined,
      'no analysis on the first deploy',
    );

    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:green');
    const pre = await s.reaches(
      name,
      'pre-promotion run Successful, then the auto-promotion pause',
      (r) =>
        r.status?.blueGreen?.prePromotionAnalysisRunStatus?.status === 'Successful' &&
        r.status.phase === 'Paused',
    );
    const green = pre.status?.currentPodHash ?? '';
    assert.match(
      pre.status?.blueGreen?.prePromotionAnalysisRunStatus?.name ?? '',
      new RegExp(`^${name}-${green}-2-pre`),
    );
    const pausedAt = Date.parse(pre.status?.pauseConditions?.[0]?.startTime ?? '');
    assert.equal((await services(name)).active, blue);

    const switched = await s.reaches(
      name,
      'active switched to green by itself',
      (r) => r.status?.blueGreen?.activeSelector === green,
      90_000,
    );
    assert.ok(Date.now() - pausedAt >= 5_000, 'not before autoPromotionSeconds');
    assert.equal(switched.status?.stableRS, blue, 'not stable before the post-promotion analysis');

    const aborted = await s.reaches(
      name,
      'Degraded: post-promotion analysis failed',
      (r) => r.status?.phase === 'Degraded',
      90_000,
    );
    assert.match(
      aborted.status?.message ?? '',
      /^RolloutAborted: Rollout aborted update to revision 2: Blue\/green post-promotion analysis phase error\/failed/,
    );
    assert.equal(aborted.status?.blueGreen?.postPromotionAnalysisRunStatus?.status, 'Failed');
    const back = await s.reaches(
      name,
      'active back on the old stack',
      (r) => r.status?.blueGreen?.activeSelector === blue,
    );
    assert.equal(back.status?.stableRS, blue);
    assert.equal((await services(name)).active, blue);
    await eventually(
      'green scaled down after abortScaleDownDelaySeconds',
      async () => (await rsByHash(green))?.spec?.replicas === 0,
      90_000,
    );
    assert.equal((await rsByHash(blue))?.spec?.replicas, 2, 'blue kept at full size throughout');
    await checkInvariants(s.client, s.namespace, name);
  });

  it('abort, retry and promote --full as the kubectl plugin sends them', async () => {
    const name = 'bg-ops';
    const ref = { namespace: s.namespace, name };
    await createBlueGreen(name, { autoPromotionEnabled: false, abortScaleDownDelaySeconds: 0 }, 3);
    const blue =
      (await s.reaches(name, 'Healthy', (r) => r.status?.phase === 'Healthy')).status?.currentPodHash ?? '';
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:green');
    const paused = await s.reaches(name, 'Paused', (r) => r.status?.phase === 'Paused');
    const green = paused.status?.currentPodHash ?? '';

    await abortRollout(s.client, ref);
    const aborted = await s.reaches(name, 'Degraded after abort', (r) => r.status?.phase === 'Degraded');
    assert.equal(aborted.status?.message, 'RolloutAborted: Rollout aborted update to revision 2');
    assert.equal(aborted.status?.abort, true);
    assert.ok(aborted.status?.abortedAt);
    assert.equal((await services(name)).active, blue);
    assert.equal(
      (await rsByHash(green))?.spec?.replicas,
      3,
      'abortScaleDownDelaySeconds 0 keeps the preview up',
    );

    await retryRollout(s.client, ref);
    const retried = await s.reaches(
      name,
      'Paused again after retry',
      (r) => r.status?.phase === 'Paused' && r.status.abort === undefined,
    );
    assert.equal(retried.status?.abortedAt, undefined);
    assert.equal((await services(name)).active, blue);

    await promoteRollout(s.client, ref, { full: true });
    const done = await s.reaches(
      name,
      'Healthy on green after promote --full',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === green,
    );
    assert.equal(done.status?.promoteFull, undefined);
    assert.deepEqual(await services(name), { active: green, preview: green });
    await checkInvariants(s.client, s.namespace, name);
  });

  // Both stacks may be created within one second (creation timestamps tie): the rollback is told by the
  // revision the old stack first served (its revision-history annotation), not by the clock.
  it("undo within the old stack's scale-down delay: back at once, no pause (fast rollback)", async () => {
    const name = 'bg-undo';
    const ref = { namespace: s.namespace, name };
    await createBlueGreen(name, { autoPromotionEnabled: false, scaleDownDelaySeconds: 120 });
    const blue =
      (await s.reaches(name, 'Healthy', (r) => r.status?.phase === 'Healthy')).status?.currentPodHash ?? '';
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:green');
    const green =
      (await s.reaches(name, 'Paused', (r) => r.status?.phase === 'Paused')).status?.currentPodHash ?? '';
    await promoteRollout(s.client, ref);
    await s.reaches(
      name,
      'Healthy on green',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === green,
    );
    await eventually('blue waits out its delay', async () =>
      Boolean((await rsByHash(blue))?.metadata.annotations?.['scale-down-deadline']),
    );

    await undoRollout(s.client, ref);
    const phases = new Set<string>();
    const back = await s.reaches(name, 'Healthy on blue again', (r) => {
      phases.add(r.status?.phase ?? '');
      return r.status?.phase === 'Healthy' && r.status.stableRS === blue;
    });
    assert.ok(!phases.has('Paused'), `never paused: ${[...phases].join(',')}`);
    assert.equal(back.status?.blueGreen?.activeSelector, blue);
    assert.equal(back.metadata.annotations?.['rollout.argoproj.io/revision'], '3');
    const blueRS = await rsByHash(blue);
    assert.equal(blueRS?.metadata.annotations?.['rollout.argoproj.io/revision'], '3');
    assert.equal(blueRS?.metadata.annotations?.['rollout.argoproj.io/revision-history'], '1');
    assert.deepEqual(await services(name), { active: blue, preview: blue });
    await eventually('blue lost its deadline, green got one', async () => {
      const [b, g] = [await rsByHash(blue), await rsByHash(green)];
      return (
        b?.metadata.annotations?.['scale-down-deadline'] === undefined &&
        g?.metadata.annotations?.['scale-down-deadline'] !== undefined
      );
    });
    await checkInvariants(s.client, s.namespace, name);
  });

  it('a missing active Service is InvalidSpec naming the field; once created the Rollout goes on', async () => {
    const name = 'bg-missing';
    await s.createRollout({
      name,
      replicas: 1,
      spec: { strategy: { blueGreen: { activeService: `${name}-active` } } },
    });
    const invalid = await s.reaches(name, 'Degraded: InvalidSpec', (r) => r.status?.phase === 'Degraded');
    assert.equal(
      invalid.status?.message,
      `InvalidSpec: The Rollout "${name}" is invalid: spec.strategy.blueGreen.activeService: Invalid value: "${name}-active": service "${name}-active" not found`,
    );
    await eventually('a Warning InvalidSpec event', async () =>
      (await eventReasons(s.client, s.namespace, name)).includes('InvalidSpec'),
    );
    await s.client.create({
      ...SVC,
      metadata: { name: `${name}-active`, namespace: s.namespace },
      spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    });
    const healthy = await s.reaches(
      name,
      'Healthy once the Service exists',
      (r) => r.status?.phase === 'Healthy',
    );
    assert.equal(selectorOf(await service(`${name}-active`)), healthy.status?.currentPodHash);
  });

  it('previewMetadata on the preview pods, activeMetadata once they are active', async () => {
    const name = 'bg-meta';
    const ref = { namespace: s.namespace, name };
    await createBlueGreen(name, {
      autoPromotionEnabled: false,
      previewMetadata: { labels: { role: 'preview' } },
      activeMetadata: { labels: { role: 'active' } },
    });
    const blue =
      (await s.reaches(name, 'Healthy', (r) => r.status?.phase === 'Healthy')).status?.currentPodHash ?? '';
    const roles = async (hash: string) => {
      const { items } = await s.client.listAll(
        { apiVersion: 'v1', kind: 'Pod' },
        { namespace: s.namespace, labelSelector: `${POD_TEMPLATE_HASH_LABEL}=${hash}` },
      );
      return items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.labels?.role ?? '');
    };
    await eventually('first pods active', async () => (await roles(blue)).join() === 'active,active');
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:green');
    const green =
      (await s.reaches(name, 'Paused', (r) => r.status?.phase === 'Paused')).status?.currentPodHash ?? '';
    await eventually('green pods preview', async () => (await roles(green)).join() === 'preview,preview');
    assert.deepEqual(await roles(blue), ['active', 'active']);
    await promoteRollout(s.client, ref);
    await s.reaches(
      name,
      'Healthy on green',
      (r) => r.status?.phase === 'Healthy' && r.status.stableRS === green,
    );
    await eventually(
      'green pods active',
      async () => (await roles(green)).join() === 'active,active',
      60_000,
    );
  });
});
