// The canary `experiment` step on the real cluster. The Experiment controller is not running here: the
// test plays it by writing the Experiment's status (phase Running → Successful / Failed) and checks how the
// Rollout reacts (the step advances; the Rollout aborts; the experiment is terminated). Also: a template
// the API server refuses for the ReplicaSet gets Argo's ReplicaSetCreateError condition and one Warning
// Event, never an empty status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Experiment } from '../../src/experiments/index.js';
import { isNotFound, type KubeClient } from '../../src/kube/index.js';
import { abortRollout, type CanaryStep } from '../../src/rollouts/index.js';
import {
  checkInvariants,
  eventMessages,
  eventRecorded,
  getRollout,
  ROLLOUT,
  type RolloutObject,
  setImage,
  useRolloutScenario,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { requireUpstreamCrd } from '../support/traffic/upstream-crds.js';

const EX = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment' } as const;
const WAIT = 120_000;

const getExperiment = (client: KubeClient, namespace: string, name: string) =>
  client.get<Experiment>({ ...EX, namespace, name }).catch((err: unknown) => {
    if (isNotFound(err)) return undefined;
    throw err;
  });

/** Plays the Experiment controller: writes the phase (status subresource when the CRD has one). */
async function setExperimentPhase(
  client: KubeClient,
  namespace: string,
  name: string,
  status: { readonly phase: string; readonly [field: string]: unknown },
): Promise<void> {
  const ref = { ...EX, namespace, name };
  try {
    await client.patch(ref, { status }, { type: 'merge', subresource: 'status' });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await client.patch(ref, { status }, { type: 'merge' });
  }
}

const STEPS: CanaryStep[] = [
  { setWeight: 50 },
  {
    experiment: {
      duration: '5m',
      templates: [
        { name: 'baseline', specRef: 'stable' },
        { name: 'canary', specRef: 'canary', metadata: { labels: { role: 'experiment' } } },
      ],
    },
  },
  { pause: {} },
];

describe('rollouts: the canary experiment step', () => {
  const s = useRolloutScenario('ro-experiment');

  /** Deploys, updates the image, and waits for the step's Experiment; returns it and the canary hash. */
  async function atExperimentStep(name: string) {
    await s.createRollout({ name, replicas: 2, steps: STEPS });
    const initial = await s.reaches(
      name,
      'initial deploy Healthy',
      (r) => r.status?.phase === 'Healthy',
      WAIT,
    );
    const stable = initial.status?.stableRS ?? '';
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:red');
    const r = await s.reaches(
      name,
      'at the experiment step with a current experiment',
      (x) => x.status?.currentStepIndex === 1 && (x.status.canary?.currentExperiment ?? '') !== '',
      WAIT,
    );
    const hash = r.status?.currentPodHash ?? '';
    const exName = r.status?.canary?.currentExperiment ?? '';
    assert.equal(exName, `${name}-${hash}-2-1`, "Argo's name: <rollout>-<hash>-<revision>-<step>");
    const ex = await eventually(
      'the Experiment exists',
      () => getExperiment(s.client, s.namespace, exName),
      WAIT,
    );
    return { r, ex, hash, stable, exName };
  }

  it('creates the Experiment as Argo shapes it, waits for it, and moves on when it succeeds', async () => {
    const name = 'ex-success';
    const { ex, hash, stable, exName, r } = await atExperimentStep(name);
    // shape: owner, labels, revision, templates copied from the stable and canary ReplicaSets
    assert.equal(ex.metadata.ownerReferences?.[0]?.kind, 'Rollout');
    assert.equal(ex.metadata.ownerReferences?.[0]?.uid, r.metadata.uid);
    assert.equal(ex.metadata.ownerReferences?.[0]?.controller, true);
    assert.equal(ex.metadata.labels?.['rollouts-pod-template-hash'], hash);
    assert.equal(ex.metadata.annotations?.['rollout.argoproj.io/revision'], '2');
    assert.equal(ex.spec?.duration, '5m');
    const [baseline, canary] = ex.spec?.templates ?? [];
    assert.equal(baseline?.name, 'baseline');
    assert.equal(baseline?.template?.metadata?.labels?.['rollouts-pod-template-hash'], stable);
    assert.match(JSON.stringify(baseline?.template?.spec), /rollouts-demo:blue/);
    assert.equal(canary?.template?.metadata?.labels?.['rollouts-pod-template-hash'], hash);
    assert.equal(canary?.template?.metadata?.labels?.role, 'experiment');
    assert.equal(canary?.selector?.matchLabels?.role, 'experiment');
    assert.match(JSON.stringify(canary?.template?.spec), /rollouts-demo:red/);
    await eventRecorded(s.client, s.namespace, name, 'ExperimentCreated', (m) =>
      m.startsWith(`ExperimentCreated: Created Experiment '${exName}'`),
    );

    // Running: the step waits
    await setExperimentPhase(s.client, s.namespace, exName, { phase: 'Running' });
    await new Promise((res) => setTimeout(res, 3_000));
    const waiting = await getRollout(s.client, s.namespace, name);
    assert.equal(waiting.status?.currentStepIndex, 1, 'the step waits for the experiment');
    assert.equal(waiting.status?.canary?.currentExperiment, exName);
    assert.equal(waiting.status?.phase, 'Progressing');

    // Successful: the next step (an indefinite pause)
    await setExperimentPhase(s.client, s.namespace, exName, { phase: 'Successful' });
    const paused = await s.reaches(
      name,
      'paused at step 2 after the experiment succeeded',
      (x) => x.status?.phase === 'Paused' && x.status.currentStepIndex === 2,
      WAIT,
    );
    assert.equal(
      paused.status?.canary?.currentExperiment,
      undefined,
      'status forgets the finished experiment',
    );
    const after = await getExperiment(s.client, s.namespace, exName);
    assert.notEqual(after?.spec?.terminate, true, 'a finished experiment is not terminated');
    const messages = await eventMessages(s.client, s.namespace, name);
    assert.ok(messages.some((m) => m.startsWith('RolloutStepCompleted: Rollout step 2/3 completed')));
    await checkInvariants(s.client, s.namespace, name);
  });

  it("a failed experiment aborts the Rollout with Argo's message", async () => {
    const name = 'ex-failed';
    const { exName } = await atExperimentStep(name);
    await setExperimentPhase(s.client, s.namespace, exName, {
      phase: 'Failed',
      message: 'Metric "smoke" assessed Failed',
    });
    const aborted = await s.reaches(
      name,
      'Degraded after the failed experiment',
      (x) => x.status?.phase === 'Degraded',
      WAIT,
    );
    assert.equal(aborted.status?.abort, true);
    assert.equal(
      aborted.status?.message,
      'RolloutAborted: Rollout aborted update to revision 2: Experiment analysis phase is error/failed: Metric "smoke" assessed Failed',
    );
    assert.equal(aborted.status?.canary?.currentExperiment, undefined);
    await eventRecorded(s.client, s.namespace, name, 'RolloutAborted', (m) =>
      m.includes(
        'RolloutAborted: Rollout aborted update to revision 2: Experiment analysis phase is error/failed',
      ),
    );
    await checkInvariants(s.client, s.namespace, name);
  });

  it('an abort while the experiment runs terminates it (spec.terminate)', async () => {
    const name = 'ex-abort';
    const { exName } = await atExperimentStep(name);
    await setExperimentPhase(s.client, s.namespace, exName, { phase: 'Running' });
    await abortRollout(s.client, { namespace: s.namespace, name });
    await eventually(
      'the experiment is terminated',
      async () => (await getExperiment(s.client, s.namespace, exName))?.spec?.terminate === true,
      WAIT,
    );
    const aborted = await s.reaches(
      name,
      'Degraded after abort',
      (x) => x.status?.phase === 'Degraded',
      WAIT,
    );
    assert.equal(aborted.status?.canary?.currentExperiment, undefined);
    await checkInvariants(s.client, s.namespace, name);
  });

  it('a new revision terminates the running experiment of the previous one', async () => {
    const name = 'ex-revision';
    const { exName } = await atExperimentStep(name);
    await setExperimentPhase(s.client, s.namespace, exName, { phase: 'Running' });
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:green');
    await eventually(
      'the previous experiment is terminated',
      async () => (await getExperiment(s.client, s.namespace, exName))?.spec?.terminate === true,
      WAIT,
    );
    // the new revision reaches the experiment step and creates its own experiment
    const r = await s.reaches(
      name,
      'a new current experiment for revision 3',
      (x) => (x.status?.canary?.currentExperiment ?? '').endsWith('-3-1'),
      WAIT,
    );
    // the status is committed before the reconcile's post-commit actions create the experiment it names
    await eventually(
      'the new current experiment exists',
      async () =>
        (await getExperiment(s.client, s.namespace, r.status?.canary?.currentExperiment ?? '')) !== undefined,
      WAIT,
    );
  });

  it("traffic routing (SMI): a running experiment's weighted templates get their share of the TrafficSplit", async () => {
    await requireUpstreamCrd(s.client, 'trafficsplits.split.smi-spec.io');
    const name = 'ex-smi';
    for (const svc of [`${name}-canary`, `${name}-stable`])
      await s.client.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: svc, namespace: s.namespace },
        spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
      });
    await s.createRollout({
      name,
      replicas: 2,
      steps: [
        { setWeight: 20 },
        {
          experiment: {
            templates: [
              { name: 'baseline', specRef: 'stable', weight: 10 },
              { name: 'canary', specRef: 'canary', weight: 10 },
            ],
          },
        },
        { pause: {} },
      ],
      canary: {
        canaryService: `${name}-canary`,
        stableService: `${name}-stable`,
        trafficRouting: { smi: {} },
      },
    });
    await s.reaches(name, 'initial deploy Healthy', (r) => r.status?.phase === 'Healthy', WAIT);
    await setImage(s.client, s.namespace, name, 'argoproj/rollouts-demo:red');
    const r = await s.reaches(
      name,
      'at the experiment step',
      (x) => x.status?.currentStepIndex === 1 && (x.status.canary?.currentExperiment ?? '') !== '',
      WAIT,
    );
    const exName = r.status?.canary?.currentExperiment ?? '';
    const ex = await eventually(
      'the Experiment exists',
      () => getExperiment(s.client, s.namespace, exName),
      WAIT,
    );
    // a weighted template gets a Service (the Experiment controller creates it)
    assert.deepEqual(
      ex.spec?.templates?.map((t) => t.service),
      [{}, {}],
    );
    const split = async () => {
      const ts = await s.client.get<
        { spec?: { backends?: { service: string; weight: unknown }[] } } & Experiment
      >({
        apiVersion: 'split.smi-spec.io/v1alpha1',
        kind: 'TrafficSplit',
        namespace: s.namespace,
        name,
      });
      return (ts.spec?.backends ?? []).map((b) => `${b.service}=${String(b.weight)}`).join(',');
    };
    await eventually(
      'canary 20 / stable 80 before the experiment runs',
      async () => ((await split()) === `${name}-canary=20,${name}-stable=80` ? true : undefined),
      WAIT,
    );
    await setExperimentPhase(s.client, s.namespace, exName, {
      phase: 'Running',
      templateStatuses: [
        {
          name: 'baseline',
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          status: 'Running',
          serviceName: `${exName}-baseline`,
          podTemplateHash: 'b1',
        },
        {
          name: 'canary',
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          status: 'Running',
          serviceName: `${exName}-canary`,
          podTemplateHash: 'c1',
        },
      ],
    });
    await eventually(
      'the experiment Services take their weights from stable',
      async () =>
        (await split()) === `${name}-canary=20,${exName}-baseline=10,${exName}-canary=10,${name}-stable=60`
          ? true
          : undefined,
      WAIT,
    );
    // the router writes the TrafficSplit before the Rollout's status records the weights it verified
    const routed = await s.reaches(
      name,
      'status records the experiment weights',
      (x) => (x.status?.canary?.weights?.additional?.length ?? 0) > 0,
      WAIT,
    );
    assert.deepEqual(routed.status?.canary?.weights?.additional, [
      { weight: 10, serviceName: `${exName}-baseline`, podTemplateHash: 'b1' },
      { weight: 10, serviceName: `${exName}-canary`, podTemplateHash: 'c1' },
    ]);
    assert.equal(routed.status?.canary?.weights?.stable.weight, 60);
    await eventRecorded(s.client, s.namespace, name, 'TrafficWeightUpdated with additional', (m) =>
      m.startsWith('TrafficWeightUpdated: Traffic weight updated additional: [{10 '),
    );

    await setExperimentPhase(s.client, s.namespace, exName, { phase: 'Successful' });
    await s.reaches(
      name,
      'paused at step 2 after the experiment',
      (x) => x.status?.phase === 'Paused' && x.status.currentStepIndex === 2,
      WAIT,
    );
    await eventually(
      'the experiment Services leave the TrafficSplit',
      async () => ((await split()) === `${name}-canary=20,${name}-stable=80` ? true : undefined),
      WAIT,
    );
    await checkInvariants(s.client, s.namespace, name);
  });

  it('a template the API server refuses for the ReplicaSet: ReplicaSetCreateError condition and one Warning Event', async () => {
    const name = 'bad-template';
    await s.createRollout({ name, replicas: 1, steps: [] });
    await s.reaches(name, 'initial deploy Healthy', (r) => r.status?.phase === 'Healthy', WAIT);
    // requests above limits: the Rollout CRD accepts it, a ReplicaSet create is rejected (422)
    const current = await getRollout(s.client, s.namespace, name);
    const template = structuredClone(current.spec?.template ?? {}) as {
      spec: { containers: { image: string; resources: unknown }[] };
    };
    const [first] = template.spec.containers;
    if (first) {
      first.image = 'argoproj/rollouts-demo:red';
      first.resources = { requests: { cpu: '2' }, limits: { cpu: '1' } };
    }
    await s.client.patch(
      { ...ROLLOUT, namespace: s.namespace, name },
      { spec: { template } },
      { type: 'merge' },
    );
    const progressing = (x: RolloutObject) => x.status?.conditions?.find((c) => c.type === 'Progressing');
    const refused = await s.reaches(
      name,
      'Progressing False with ReplicaSetCreateError',
      (x) => progressing(x)?.reason === 'ReplicaSetCreateError',
      WAIT,
    );
    const condition = progressing(refused);
    assert.equal(condition?.status, 'False');
    assert.match(
      condition?.message ?? '',
      new RegExp(`^Failed to create new replica set "${name}-[a-z0-9]+": `),
    );
    // the API server's message as it sent it, as in Argo's FailedRSCreateMessage
    assert.match(
      condition?.message ?? '',
      new RegExp(
        `^Failed to create new replica set "(${name}-[a-z0-9]+)": ReplicaSet\\.apps "\\1" is invalid: .*requests`,
      ),
    );
    assert.equal(String(refused.status?.observedGeneration), String(refused.metadata.generation));
    assert.ok(refused.status?.phase, 'status keeps a phase');
    const warnings = async () =>
      (await eventMessages(s.client, s.namespace, name)).filter((m) =>
        m.startsWith('ReplicaSetCreateError: '),
      );
    await eventually('a ReplicaSetCreateError Warning Event', async () =>
      (await warnings()).length > 0 ? true : undefined,
    );
    // no retry loop: more reconciles add no Event
    for (let i = 0; i < 3; i++) {
      await s.client.patch(
        { ...ROLLOUT, namespace: s.namespace, name },
        { metadata: { annotations: { 'test.slipway.dev/poke': String(i) } } },
        { type: 'merge' },
      );
      await new Promise((res) => setTimeout(res, 300));
    }
    await new Promise((res) => setTimeout(res, 2_000));
    const { items } = await s.client.listAll({ apiVersion: 'v1', kind: 'Event' }, { namespace: s.namespace });
    const events = items.filter(
      (e) => (e.involvedObject as { name?: string }).name === name && e.reason === 'ReplicaSetCreateError',
    );
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'Warning');
    assert.equal(Number(events[0]?.count ?? 1), 1, 'recorded once, not on every reconcile');

    // fixed template: the update proceeds
    if (first) first.resources = { requests: { cpu: '5m' }, limits: { cpu: '1' } };
    await s.client.patch(
      { ...ROLLOUT, namespace: s.namespace, name },
      { spec: { template } },
      { type: 'merge' },
    );
    await s.reaches(
      name,
      'Healthy once the template is fixed',
      (x) => x.status?.phase === 'Healthy' && progressing(x)?.reason === 'NewReplicaSetAvailable',
      WAIT,
    );
    await checkInvariants(s.client, s.namespace, name);
  });
});
