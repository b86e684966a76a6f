import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildReplicaSet,
  computePodTemplateHash,
  computeStepHash,
  decide,
  findNewReplicaSet,
  podTemplateEqualIgnoreHash,
  type ReplicaSet,
  type Rollout,
} from '../../../src/rollouts/index.js';

/** decide() for a canary of hash "new" over a stable ReplicaSet (the observation most cases share). */
const decideCanary = (
  r: Rollout,
  stable: ReplicaSet,
  newRS: ReplicaSet,
  o: { readonly created?: boolean; readonly revision?: number; readonly now?: number } = {},
) =>
  decide({
    rollout: r,
    replicaSets: [stable, newRS],
    newRS,
    newRSCreated: o.created ?? false,
    currentPodHash: 'new',
    revision: o.revision ?? 2,
    runs: [],
    now: o.now ?? 0,
  });

const template = {
  metadata: { labels: { app: 'demo' } },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'demo:v2',
        ports: [{ containerPort: 8080 }],
        resources: { requests: { cpu: '0.5' } },
      },
    ],
  },
};

/** The same template as the API server stores it in a ReplicaSet (defaults, canonical quantities). */
const defaulted = {
  metadata: { labels: { app: 'demo', 'rollouts-pod-template-hash': '6c8b9f7d4d' } },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'demo:v2',
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        resources: { requests: { cpu: '500m' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  },
};

const rollout = (status: Rollout['status'] = {}): Rollout => ({
  metadata: { name: 'demo', namespace: 'ns', uid: 'u1', generation: 2 },
  spec: {
    replicas: 5,
    selector: { matchLabels: { app: 'demo' } },
    template,
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } },
  },
  status,
});

const rs = (hash: string, replicas: number, available: number, revision: number): ReplicaSet => {
  const built = buildReplicaSet(rollout(), hash, revision, replicas);
  return {
    ...built,
    metadata: { ...built.metadata, uid: hash },
    status: { replicas, readyReplicas: available, availableReplicas: available },
  };
};

describe('pod template hash and the new ReplicaSet', () => {
  it('hashes equal templates equally whatever the key order, and the collision count changes it', () => {
    const reordered = { spec: template.spec, metadata: template.metadata };
    assert.equal(computePodTemplateHash(template), computePodTemplateHash(reordered));
    assert.notEqual(computePodTemplateHash(template), computePodTemplateHash(template, 1));
    assert.match(computePodTemplateHash(template), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
  it('a defaulted ReplicaSet template equals the Rollout template (Argo PodTemplateEqualIgnoreHash)', () => {
    assert.ok(podTemplateEqualIgnoreHash(defaulted, template));
    const changed = structuredClone(defaulted);
    changed.spec.containers[0]!.image = 'demo:v3';
    assert.ok(!podTemplateEqualIgnoreHash(changed, template));
  });
  it('adopts a ReplicaSet Argo created (other hash) by template equality', () => {
    const argo: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'demo-6c8b9f7d4d', labels: { 'rollouts-pod-template-hash': '6c8b9f7d4d' } },
      spec: { template: defaulted },
    };
    assert.equal(findNewReplicaSet('demo', template, undefined, [argo]), argo);
  });
});

describe('decide', () => {
  it('initial deploy: promotes at once and scales the new ReplicaSet to all replicas', () => {
    const hash = computePodTemplateHash(template);
    const newRS = rs(hash, 0, 0, 1);
    const d = decide({
      rollout: rollout(),
      replicaSets: [newRS],
      newRS,
      newRSCreated: true,
      currentPodHash: hash,
      revision: 1,
      runs: [],
      now: 1_700_000_000_000,
    });
    assert.equal(d.status.stableRS, hash);
    assert.equal(d.status.currentStepIndex, 2);
    assert.deepEqual(
      d.scale.map((s) => [s.role, s.to]),
      [['canary', 5]],
    );
    assert.deepEqual(
      d.events.map((e) => e.reason),
      ['RolloutCompleted'],
    );
  });

  it('canary at 20% with pods available: completes the step and pauses; nothing to scale', () => {
    const newRS = rs('new', 1, 1, 2);
    const stable = rs('old', 4, 4, 1);
    const base = rollout({
      stableRS: 'old',
      currentPodHash: 'new',
      currentStepIndex: 0,
      observedGeneration: '2',
    });
    const stepHash = decideCanary(base, stable, newRS).status.currentStepHash;
    const r = rollout({ ...base.status, currentStepHash: stepHash });
    const d = decideCanary(r, stable, newRS, { now: 1_700_000_000_000 });
    assert.equal(d.status.currentStepIndex, 1);
    assert.equal(d.status.pauseConditions?.[0]?.reason, 'CanaryPauseStep');
    assert.equal(d.status.phase, 'Paused');
    assert.deepEqual(d.scale, []);
    assert.deepEqual(
      d.events.map((e) => e.reason),
      ['RolloutStepCompleted', 'RolloutPaused'],
    );
  });

  it('a new template resets to step 0 and moves to 20% within maxSurge/maxUnavailable', () => {
    const newRS = rs('new', 0, 0, 2);
    const stable = rs('old', 5, 5, 1);
    const r = rollout({ stableRS: 'old', currentPodHash: 'old', currentStepIndex: 2 });
    const d = decideCanary(r, stable, newRS, { created: true });
    assert.equal(d.status.currentStepIndex, 0);
    assert.deepEqual(
      d.scale.map((s) => [s.role, s.to]),
      [
        ['canary', 1],
        ['stable', 4],
      ],
    );
    assert.equal(d.status.conditions?.find((c) => c.type === 'Progressing')?.reason, 'ReplicaSetUpdated');
  });

  it('a new template cancels a pending restart; otherwise the restart is left to run', () => {
    const restartAt = '2026-01-01T00:00:05Z';
    const observe = (status: Rollout['status'], newRS: ReplicaSet, stable: ReplicaSet) => {
      const r = rollout(status);
      return decideCanary({ ...r, spec: { ...r.spec, restartAt } }, stable, newRS, { now: 1_767_225_610_000 })
        .status.restartedAt;
    };
    const changed = observe(
      { stableRS: 'old', currentPodHash: 'old' },
      rs('new', 0, 0, 2),
      rs('old', 5, 5, 1),
    );
    assert.equal(changed, restartAt);
    const same = observe(
      { stableRS: 'old', currentPodHash: 'new', currentStepHash: computeStepHash(rollout()) },
      rs('new', 1, 1, 2),
      rs('old', 4, 4, 1),
    );
    assert.equal(same, undefined);
  });

  it('a rollback within spec.rollbackWindow skips the steps and analysis, then completes as such', () => {
    const created = (set: ReplicaSet, at: string): ReplicaSet => ({
      ...set,
      metadata: { ...set.metadata, creationTimestamp: at },
    });
    const base = rollout({
      stableRS: 'old',
      currentPodHash: 'new',
      currentStepIndex: 1,
      controllerPause: true,
      pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:05Z' }],
      observedGeneration: '2',
    });
    const spec = {
      ...base.spec,
      rollbackWindow: { revisions: 1 },
      strategy: {
        canary: {
          steps: [{ setWeight: 20 }, { pause: {} }],
          analysis: { templates: [{ templateName: 'health' }] },
        },
      },
    };
    const r: Rollout = {
      ...base,
      spec,
      status: { ...base.status, currentStepHash: computeStepHash({ spec }) },
    };
    const observe = (newRS: ReplicaSet, stable: ReplicaSet) =>
      decideCanary(r, stable, newRS, { revision: 3, now: 1_767_225_610_000 });
    const older = (replicas: number) => created(rs('new', replicas, replicas, 3), '2026-01-01T00:00:01Z');
    const stable = (replicas: number) => created(rs('old', replicas, replicas, 2), '2026-01-01T00:00:02Z');

    const ramping = observe(older(1), stable(4));
    assert.equal(ramping.status.currentStepIndex, 2);
    assert.equal(ramping.status.pauseConditions, undefined);
    assert.equal(ramping.status.stableRS, 'old');
    assert.deepEqual(ramping.createRuns, [], 'no background analysis');
    assert.deepEqual(
      ramping.scale.map((x) => [x.role, x.to]),
      [
        ['canary', 3],
        ['stable', 3],
      ],
    );

    const done = observe(older(5), stable(0));
    assert.equal(done.status.stableRS, 'new');
    assert.deepEqual(
      done.events.map((e) => e.message),
      ['Rollout completed update to revision 3 (new): Rollback within window'],
    );
  });
});
