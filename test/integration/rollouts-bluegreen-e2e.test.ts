// Argo Rollouts' blue-green e2e scenarios (v1.10.1 test/e2e/bluegreen_test.go and the blue-green cases of
// functional_test.go) as our own Given/When/Then tests on the real cluster, with the upstream manifests.
// Changes from upstream, each for a reason:
// - an image Argo's e2e names `nginx:1.19-alpine-argo-error` (never pulls) is `nonexistent-…` here: the
//   local kwok nodes fail the pull only for such names (src/dev/cluster/kwok-pod-stages.yaml);
// - waits for a passing phase (`WaitForRolloutStatus("Progressing")` between two steady phases) are left
//   out: Argo catches them from a watch, polling may not; the steady phases around them are kept;
// - event lists leave out `RolloutAddedToInformer` and `RolloutNotCompleted`, which Slipway does not record,
//   and order the initial deploy's RolloutCompleted before its scale-up (see TestBlueGreenUpdate).
// Not ported: TestBlueGreenProgressDeadlineExceededWithPause / WithoutPause — they need pods that turn
// Ready 10 s after start (readinessProbe initialDelaySeconds), and kwok nodes make pods Ready at once.
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import { startAnalysisController } from '../support/fixtures/analysis-controller.js';
import { given, newService } from '../support/fixtures/rollout-e2e.js';
import { useRolloutScenario } from '../support/fixtures/rollout-scenario.js';

const rollout = (name: string, blueGreen: string, extra = '', replicas = 2) => `
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
${extra}  strategy:
    blueGreen:
${blueGreen}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: ${name}
        image: nginx:1.19-alpine
        resources:
          requests:
            memory: 16Mi
            cpu: 1m
`;

const SLEEP_JOB = `
kind: AnalysisTemplate
apiVersion: argoproj.io/v1alpha1
metadata:
  name: sleep-job
spec:
  args:
  - name: duration
    value: "0"
  - name: exit-code
    value: "0"
  - name: count
    value: "1"
  - name: rev
    value: "notset"
  metrics:
  - name: sleep-job
    count: "{{args.count}}"
    provider:
      job:
        spec:
          template:
            metadata:
              labels:
                rev: "{{ args.rev }}"
            spec:
              containers:
              - name: sleep-job
                image: nginx:1.19-alpine
                command: [sh, -c, -x]
                args: ["sleep {{args.duration}} && exit {{args.exit-code}}"]
              restartPolicy: Never
          backoffLimit: 0
`;

/**
 * Active and preview Services and a Rollout whose preview runs one pod, waiting for a promotion (upstream's
 * bluegreen-preview-replicas.yaml); `blueGreen` adds fields to its strategy.
 */
const previewOfOne = (name: string, blueGreen = '') =>
  [
    newService(`${name}-active`, name),
    newService(`${name}-preview`, name),
    rollout(
      name,
      `${blueGreen}      activeService: ${name}-active
      previewService: ${name}-preview
      previewReplicaCount: 1
      scaleDownDelaySeconds: 5
      autoPromotionEnabled: false`,
    ),
  ].join('\n---\n');

/** A pod template whose image never pulls, with `progressDeadlineAbort` as given. */
const neverPulls = (progressDeadlineAbort: boolean) => `
spec:
  progressDeadlineAbort: ${progressDeadlineAbort}
  progressDeadlineSeconds: 1
  template:
    spec:
      containers:
      - name: bad2good
        image: nonexistent-nginx:1.19-alpine-argo-error
        command: null`;

const every = (label: string, value: string | undefined, absent?: string) => (pods: readonly KubeObject[]) =>
  pods.length > 0 &&
  pods.every(
    (p) =>
      p.metadata.labels?.[label] === value &&
      (absent === undefined || !(absent in (p.metadata.labels ?? {}))),
  );

describe('rollouts: blue-green, Argo e2e scenarios', () => {
  const s = useRolloutScenario('ro-bg-e2e');
  let analysis: { stop(): Promise<void> } | undefined;
  after(async () => {
    await analysis?.stop();
  });
  before(async () => {
    analysis = await startAnalysisController(s.namespace);
  });

  it('TestEphemeralMetadata: preview and active metadata follow the pods, and edits of them', async () => {
    await given(s)
      .rolloutObjects(`
apiVersion: v1
kind: Service
metadata:
  name: ephemeral-metadata-bg
spec:
  ports:
  - port: 80
    targetPort: http
    protocol: TCP
    name: http
  selector:
    app: ephemeral-metadata-bg
`)
      .rolloutObjects(
        rollout(
          'ephemeral-metadata-bg',
          `      previewMetadata:
        labels:
          role: preview
      activeMetadata:
        labels:
          role: active
      activeService: ephemeral-metadata-bg
      autoPromotionEnabled: false`,
        ),
      )
      .when()
      .applyManifests()
      .waitForRolloutReplicas(2)
      .expect()
      .expectPods('all pods have active metadata', every('role', 'active'))
      .when()
      .waitForRolloutStatus('Healthy')
      .updateSpec()
      .waitForRolloutStatus('Paused')
      .expect()
      .expectRevisionPods('revision 2 has preview metadata', '2', every('role', 'preview'))
      .expectRevisionPods('revision 1 has active metadata', '1', every('role', 'active'))
      .when()
      .patchSpec(`
spec:
  strategy:
    blueGreen:
      previewMetadata:
        labels:
          role: null
          role2: preview2`)
      .expect()
      .expectRevisionPods('revision 2 has preview metadata2', '2', every('role2', 'preview2', 'role'))
      .when()
      .promoteRollout()
      .waitForRolloutStatus('Healthy')
      .expect()
      .expectRevisionPods('revision 2 has active metadata', '2', every('role', 'active'))
      .when()
      .patchSpec(`
spec:
  strategy:
    blueGreen:
      activeMetadata:
        labels:
          role: null
          role2: active2`)
      .expect()
      .expectRevisionPods('revision 2 has active metadata2', '2', every('role2', 'active2', 'role'))
      .run();
  });

  it('TestBlueGreenPreviewReplicaCount: the preview at its count, the Rollout at full size once promoted', async () => {
    const name = 'bluegreen-preview-replicas';
    await given(s)
      .rolloutObjects(previewOfOne(name))
      .when()
      .applyManifests()
      .waitForRolloutStatus('Healthy')
      .updateSpec()
      .waitForRolloutStatus('Paused')
      .expect()
      .expectRevisionPodCount('2', 1)
      .expectRevisionPodCount('1', 2)
      .expectReplicaCounts(2, 3, 1, 2, 2) // desired, current, updated, ready, available
      .when()
      .promoteRollout()
      .waitForRolloutStatus('Healthy')
      .expect()
      .expectReplicaCounts(2, 4, 2, 2, 2)
      .run();
  });

  it('TestBlueGreenPreviewReplicaCountPromoteFull: paused longer than progressDeadlineSeconds stays Paused; promote --full', async () => {
    const name = 'bluegreen-preview-replicas-promote-full';
    await given(s)
      .rolloutObjects(newService(`${name}-active`, name))
      .rolloutObjects(
        rollout(
          name,
          `      activeService: ${name}-active
      previewReplicaCount: 1
      autoPromotionEnabled: false`,
          '  progressDeadlineSeconds: 1\n',
        ),
      )
      .when()
      .applyManifests()
      .waitForRolloutStatus('Healthy')
      .updateSpec()
      .waitForRolloutStatus('Paused')
      .sleep(2_000) // longer than progressDeadlineSeconds
      .expect()
      .expectRolloutStatus('Paused')
      .expectReplicaCounts(2, 3, 1, 2, 2)
      .when()
      .promoteRolloutFull()
      .waitForRolloutStatus('Healthy')
      .expect()
      .expectReplicaCounts(2, 4, 2, 2, 2)
      .run();
  });

  it('TestBlueGreenPromoteFull: promote --full during the pre-promotion run skips both analyses', async () => {
    const name = 'bluegreen-promote-full';
    await given(s)
      .rolloutObjects(SLEEP_JOB)
      .rolloutObjects(newService(`${name}-active`, name))
      .rolloutObjects(
        rollout(
          name,
          `      activeService: ${name}-active
      autoPromotionEnabled: false
      prePromotionAnalysis:
        templates:
        - templateName: sleep-job
        args:
        - name: duration
          value: "10"
      postPromotionAnalysis:
        templates:
        - templateName: sleep-job`,
          '',
          3,
        ),
      )
      .when()
      .applyManifests()
      .waitForRolloutStatus('Healthy')
      .updateSpec()
      .sleep(5_000)
      .waitForPrePromotionAnalysisRunPhase('Running')
      .promoteRolloutFull()
      .waitForRolloutStatus('Healthy')
      .expect()
      .expectAnalysisRunCount(1)
      .run();
  });

  it('TestBlueGreenUpdate: no pause with auto-promotion; the old stack kept through scaleDownDelaySeconds', async () => {
    await given(s)
      .rolloutObjects(newService('bluegreen', 'bluegreen'))
      .rolloutObjects(
        rollout(
          'bluegreen',
          // upstream: 10 s; on a loaded 2-core machine the event check below can come later than that,
          // and the old stack's scale-down would already be in the list
          `      activeService: bluegreen
      scaleDownDelaySeconds: 60`,
          '',
          3,
        ),
      )
      .when()
      .healthyRollout()
      .expect()
      .expectReplicaCounts(3, 3, 3, 3, 3)
      .when()
      .updateSpec()
      .waitForActiveRevision('2')
      .expect()
      .expectReplicaCounts(3, 6, 3, 3, 3)
      .when()
      .waitForRolloutStatus('Healthy')
      .expect()
      .expectReplicaCounts(3, 6, 3, 3, 3)
      .expectRolloutEvents([
        'RolloutUpdated', // Rollout updated to revision 1
        'NewReplicaSetCreated', // Created ReplicaSet bluegreen-… (revision 1)
        // one reconcile records its decision's events before its status and scales after it
        // (docs/architecture.md), so the initial deploy's RolloutCompleted comes before its scale-up
        'RolloutCompleted', // Rollout completed update to revision 1 (…): Initial deploy
        'ScalingReplicaSet', // Scaled up ReplicaSet bluegreen-… (revision 1) from 0 to 3
        'SwitchService', // Switched selector for service 'bluegreen' from '' to '…'
        'RolloutUpdated', // Rollout updated to revision 2
        'NewReplicaSetCreated', // Created ReplicaSet bluegreen-… (revision 2)
        'ScalingReplicaSet', // Scaled up ReplicaSet bluegreen-… (revision 2) from 0 to 3
        'SwitchService', // Switched selector for service 'bluegreen' from '…' to '…'
        'RolloutCompleted', // Rollout completed update to revision 2 (…): Completed blue-green update
      ])
      .run();
  });

  it('TestBlueGreenToCanary: switching the strategy leaves the Service without a hash selector', async () => {
    const name = 'bluegreen-to-canary';
    await given(s)
      .rolloutObjects(newService(name, name))
      .rolloutObjects(
        rollout(
          name,
          `      activeService: ${name}
      scaleDownDelaySeconds: 5`,
        ),
      )
      .when()
      .healthyRollout()
      .updateSpec(`
spec:
  template:
    metadata:
      annotations:
        foo: bar
  strategy:
    blueGreen: null
    canary:
      steps:
      - setWeight: 50
      - pause: {}
`)
      .waitForRolloutStatus('Paused')
      .expect()
      .expectRollout('2 available replicas', (r) => r.status?.availableReplicas === 2)
      .expectReplicaCounts(2, 2, 1, 2, 2)
      .expectServiceSelector(name, { app: name }, false)
      .run();
  });

  it('TestBlueGreenScaleDownDelay: old stacks kept up to scaleDownDelayRevisionLimit, and when it is lowered', async () => {
    const name = 'bluegreen-scaledowndelay';
    await given(s)
      .rolloutObjects(newService(`${name}-active`, name))
      .rolloutObjects(
        rollout(
          name,
          `      activeService: ${name}-active
      scaleDownDelaySeconds: 86400 # one day
      scaleDownDelayRevisionLimit: 2`,
          '',
          1,
        ),
      )
      .when()
      .applyManifests()
      .waitForRolloutStatus('Healthy')
      .updateSpec()
      .waitForActiveRevision('2')
      .waitForRolloutStatus('Healthy')
      .expect()
      .expectRevisionPodCount('2', 1)
      .expectRevisionPodCount('1', 1)
      .expectReplicaCounts(1, 2, 1, 1, 1)
      .when()
      .updateSpec()
      .waitForActiveRevision('3')
      .waitForRolloutStatus('Healthy')
      .updateSpec()
      .waitForActiveRevision('4')
      .waitForRolloutStatus('Healthy')
      .sleep(1_000)
      .expect()
      .expectRevisionPodCount('4', 1)
      .expectRevisionPodCount('3', 1)
      .expectRevisionPodCount('2', 1)
      .expectRevisionPodCount('1', 0)
      .expectReplicaCounts(1, 3, 1, 1, 1)
      .when()
      // lower scaleDownDelayRevisionLimit to 1 old RS: revision 2 scales down
      .patchSpec(`
spec:
  strategy:
    blueGreen:
      scaleDownDelayRevisionLimit: 1`)
      .sleep(1_000)
      .expect()
      .expectRevisionPodCount('4', 1)
      .expectRevisionPodCount('3', 1)
      .expectRevisionPodCount('2', 0)
      .expectRevisionPodCount('1', 0)
      .expectReplicaCounts(1, 2, 1, 1, 1)
      .run();
  });

  it('TestBlueGreenExceedProgressDeadlineAbort: progressDeadlineAbort aborts and scales the preview down', async () => {
    const name = 'bluegreen-deadline-abort';
    await given(s)
      .rolloutObjects(newService(`${name}-active`, name))
      .rolloutObjects(
        rollout(
          name,
          `      activeService: ${name}-active
      abortScaleDownDelaySeconds: 2`,
          '',
          1,
        ),
      )
      .when()
      .applyManifests()
      .waitForRolloutStatus('Healthy')
      .patchSpec(neverPulls(false))
      .waitForRolloutStatus('Degraded')
      .sleep(3_000)
      .expect()
      .expectRevisionPodCount('2', 1)
      .expectRollout('Abort=False', (r) => r.status?.abort !== true)
      .when()
      .patchSpec(neverPulls(true))
      .waitForRolloutStatus('Degraded')
      .sleep(3_000)
      .expect()
      .expectRevisionPodCount('2', 0)
      .expectRollout(
        'Abort=True with 4 conditions',
        (r) => r.status?.abort === true && (r.status.conditions ?? []).length === 4,
      )
      .run();
  });

  it('TestBlueGreenScaleDownOnAbort: the preview scaled down after abortScaleDownDelaySeconds', async () => {
    const name = 'bluegreen-scaledown-on-abort';
    await given(s)
      .rolloutObjects(previewOfOne(name, '      abortScaleDownDelaySeconds: 1\n'))
      .when()
      .applyManifests()
      .waitForRolloutStatus('Healthy')
      .updateSpec()
      .waitForRolloutStatus('Paused')
      .expect()
      .expectRevisionPodCount('2', 1)
      .expectRevisionPodCount('1', 2)
      .when()
      .abortRollout()
      .waitForRolloutStatus('Degraded')
      .sleep(3_000)
      .expect()
      .expectRevisionPodCount('2', 0)
      .run();
  });
});
