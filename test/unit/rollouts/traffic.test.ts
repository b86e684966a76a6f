import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actionsOf,
  buildReplicaSet,
  decide,
  inExecutionOrder,
  planTraffic,
  type ReplicaSet,
  type Rollout,
  runTrafficActions,
  type TrafficRouter,
  type TrafficWeights,
} from '../../../src/rollouts/index.js';
import { readGolden } from '../../support/golden.js';

interface Case {
  name: string;
  rollout: Rollout;
  newRS: { hash: string; available: number };
  stableRS: { hash: string; available: number };
  atDesiredReplicas: boolean;
  previousWeights?: TrafficWeights;
  previousStatus?: Rollout['status'];
  expected: {
    weight: number;
    removeManagedRoutes: boolean;
    header?: string;
    weights: TrafficWeights;
    event?: string;
  };
}

const golden = readGolden<{ cases: Case[] }>('rollouts/traffic-plan.json');

const rsOf = (hash: string, available: number): ReplicaSet => ({
  metadata: { name: `web-${hash}`, labels: { 'rollouts-pod-template-hash': hash } },
  spec: { replicas: available },
  status: { replicas: available, availableReplicas: available },
});

describe('traffic plan (golden, Argo reconcileTrafficRouting)', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const plan = planTraffic({
        rollout: c.rollout,
        newRS: rsOf(c.newRS.hash, c.newRS.available),
        stableRS: rsOf(c.stableRS.hash, c.stableRS.available),
        atDesiredReplicas: c.atDesiredReplicas,
        previousWeights: c.previousWeights,
        ...(c.previousStatus !== undefined && { previousStatus: c.previousStatus }),
      });
      assert.deepEqual(
        {
          weight: plan.weight.weight,
          removeManagedRoutes: plan.removeManagedRoutes,
          ...(plan.headerRoutes.length > 0 && { header: plan.headerRoutes.map((r) => r.name).join(',') }),
          weights: plan.weights,
          ...(plan.event !== undefined && { event: plan.event.message }),
        },
        c.expected,
      );
    });
  }
});

// ---- a decision through the seam, for a routed canary ----

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'web:2' }] },
};
const routed = (status: Rollout['status']): Rollout => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'u1', generation: 2 },
  spec: {
    replicas: 10,
    selector: { matchLabels: { app: 'web' } },
    template,
    strategy: {
      canary: {
        canaryService: 'web-canary',
        stableService: 'web-stable',
        trafficRouting: { istio: { virtualService: { name: 'vs', routes: ['primary'] } } },
        steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 30 }, { pause: {} }],
      },
    },
  },
  status,
});
const rs = (hash: string, replicas: number, available: number, revision: number): ReplicaSet => {
  const built = buildReplicaSet(routed({}), hash, revision, replicas);
  return {
    ...built,
    metadata: { ...built.metadata, uid: hash },
    status: { replicas, readyReplicas: available, availableReplicas: available },
  };
};
const decideRouted = (r: Rollout, sets: { stable: ReplicaSet; canary: ReplicaSet }) =>
  decide({
    rollout: r,
    replicaSets: [sets.stable, sets.canary],
    newRS: sets.canary,
    newRSCreated: false,
    currentPodHash: 'new',
    revision: 2,
    runs: [],
    trafficRouted: true,
    now: Date.parse('2026-12-06T12:00:00Z'),
  });

describe('a traffic-routed canary decision', () => {
  const settled = (extra: Rollout['status'] = {}) => {
    const base = routed({ currentPodHash: 'new', stableRS: 'old', currentStepIndex: 0 });
    const stepHash = decideRouted(base, { stable: rs('old', 10, 10, 1), canary: rs('new', 1, 1, 2) }).status
      .currentStepHash;
    return routed({
      currentPodHash: 'new',
      stableRS: 'old',
      currentStepIndex: 0,
      currentStepHash: stepHash,
      ...extra,
    });
  };

  it('sets the weight before it leaves a setWeight step, and completes the step once status records it', () => {
    const sets = { stable: rs('old', 10, 10, 1), canary: rs('new', 1, 1, 2) };
    const first = decideRouted(settled(), sets);
    const [weight] = actionsOf(first.actions, 'setTrafficWeight');
    assert.equal(weight?.params.weight, 10);
    assert.equal(first.status.currentStepIndex, 0, 'the step waits for the weight to be set');
    assert.deepEqual(first.status.canary?.weights?.canary, {
      weight: 10,
      serviceName: 'web-canary',
      podTemplateHash: 'new',
    });
    const second = decideRouted(settled({ canary: first.status.canary }), sets);
    assert.equal(second.status.currentStepIndex, 1);
    assert.deepEqual(
      second.events.map((e) => e.reason),
      ['RolloutStepCompleted', 'RolloutPaused'],
    );
  });

  it('an unverified weight holds the step', () => {
    const sets = { stable: rs('old', 10, 10, 1), canary: rs('new', 1, 1, 2) };
    const first = decideRouted(settled(), sets);
    const weights = { ...first.status.canary?.weights, verified: false } as TrafficWeights;
    const held = decideRouted(settled({ canary: { weights } }), sets);
    assert.equal(held.status.currentStepIndex, 0);
  });

  it('a weight recorded for another pod template does not complete the step', () => {
    const sets = { stable: rs('old', 10, 10, 1), canary: rs('new', 1, 1, 2) };
    const first = decideRouted(settled(), sets);
    const weights = first.status.canary?.weights as TrafficWeights;
    const stale = { ...weights, canary: { ...weights.canary, podTemplateHash: 'previous' } };
    const held = decideRouted(settled({ canary: { weights: stale } }), sets);
    assert.equal(held.status.currentStepIndex, 0);
  });

  it('keeps the stable fully scaled while the canary takes its share', () => {
    const d = decideRouted(settled(), { stable: rs('old', 10, 10, 1), canary: rs('new', 0, 0, 2) });
    assert.deepEqual(
      d.scale.map((s) => [s.role, s.to]),
      [['canary', 1]],
    );
  });

  it('dynamicStableScale: the first setWeight completes while the stable shrinks, the weight never flaps to 0', () => {
    const first = decideRouted(settled(), { stable: rs('old', 10, 10, 1), canary: rs('new', 1, 1, 2) });
    const dynamic = (r: Rollout): Rollout => ({
      ...r,
      spec: {
        ...r.spec,
        strategy: { canary: { ...r.spec?.strategy?.canary, dynamicStableScale: true } },
      },
    });
    // the weight is recorded; the stable is shrinking to 9 for it (10 pods still available)
    const d = decideRouted(dynamic(settled({ canary: first.status.canary })), {
      stable: rs('old', 9, 10, 1),
      canary: rs('new', 1, 1, 2),
    });
    const [weight] = actionsOf(d.actions, 'setTrafficWeight');
    assert.equal(weight?.params.weight, 10);
    assert.equal(d.status.canary?.weights?.canary.weight, 10);
    assert.equal(d.status.currentStepIndex, 1, 'the step completes without waiting for the stable');
  });

  it('a setWeight after setCanaryScale completes at the scaled size, not the size of its weight', () => {
    const withSteps = (r: Rollout): Rollout => ({
      ...r,
      spec: {
        ...r.spec,
        strategy: {
          canary: {
            ...r.spec?.strategy?.canary,
            steps: [{ setCanaryScale: { replicas: 2 } }, { setWeight: 25 }, { pause: {} }],
          },
        },
      },
    });
    const sets = { stable: rs('old', 10, 10, 1), canary: rs('new', 2, 2, 2) };
    const at = (extra: Rollout['status']) =>
      withSteps(routed({ currentPodHash: 'new', stableRS: 'old', currentStepIndex: 1, ...extra }));
    const stepHash = decideRouted(at({}), sets).status.currentStepHash;
    const first = decideRouted(at({ currentStepHash: stepHash }), sets);
    assert.equal(actionsOf(first.actions, 'setTrafficWeight')[0]?.params.weight, 25);
    const second = decideRouted(at({ currentStepHash: stepHash, canary: first.status.canary }), sets);
    assert.equal(second.status.currentStepIndex, 2, 'the setWeight step completed with 2 canary pods');
  });

  it('on abort sends the weight to 0 before the canary is scaled down', () => {
    // the canary's scale-down-deadline (abortScaleDownDelaySeconds) has passed: it goes now
    const canary = rs('new', 3, 3, 2);
    const due = {
      ...canary,
      metadata: { ...canary.metadata, annotations: { 'scale-down-deadline': '2026-12-06T11:59:00Z' } },
    };
    const d = decideRouted(settled({ abort: true, currentStepIndex: 2 }), {
      stable: rs('old', 10, 10, 1),
      canary: due,
    });
    const order = inExecutionOrder(d.actions).map((a) =>
      a.type === 'setTrafficWeight'
        ? `weight ${a.params.weight}`
        : a.type === 'scaleReplicaSet'
          ? `scale ${a.params.role} ${a.params.to}`
          : a.type,
    );
    const weightAt = order.indexOf('weight 0');
    const scaleAt = order.indexOf('scale canary 0');
    assert.ok(weightAt >= 0 && scaleAt > weightAt, order.join(', '));
    assert.ok(order.includes('removeManagedRoutes'));
  });

  it('on abort the weight goes to 0 at once and the canary keeps its pods until its deadline', () => {
    const d = decideRouted(settled({ abort: true, currentStepIndex: 2 }), {
      stable: rs('old', 10, 10, 1),
      canary: rs('new', 3, 3, 2),
    });
    const weight = d.actions.find((a) => a.type === 'setTrafficWeight');
    assert.equal(weight?.type === 'setTrafficWeight' && weight.params.weight, 0);
    assert.deepEqual(
      d.scale.map((s) => [s.role, s.from, s.to, s.scaleDownDeadline]),
      [['canary', 3, 3, '2026-12-06T12:00:30Z']],
    );
    assert.ok((d.requeueAfterMs ?? 0) >= 30_000, 'woken at the deadline');
  });
});

// ---- the router runner ----

function fakeRouter(log: string[], o: { verified?: boolean; failWeight?: boolean } = {}): TrafficRouter {
  return {
    type: 'Fake',
    updateHash: async (c, s) => void log.push(`updateHash ${c} ${s}`),
    setWeight: async (w) => {
      if (o.failWeight) throw new Error('virtualservice "vs" not found');
      log.push(`setWeight ${w}`);
    },
    setHeaderRoute: async (r) => void log.push(`setHeaderRoute ${r.name}`),
    setMirrorRoute: async (r) => void log.push(`setMirrorRoute ${r.name}`),
    verifyWeight: async () => o.verified,
    removeManagedRoutes: async () => void log.push('removeManagedRoutes'),
  };
}

describe('traffic actions through the routers', () => {
  const subject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'ns' },
  };
  const weight = {
    type: 'setTrafficWeight',
    params: { weight: 0, additional: [], canaryHash: 'new', stableHash: 'old' },
  } as const;

  it("runs each router in Argo's order and reports what they verified", async () => {
    const log: string[] = [];
    const events: string[] = [];
    const recorder = { record: (_s: unknown, _t: string, reason: string) => void events.push(reason) };
    const outcome = await runTrafficActions(
      [fakeRouter(log, { verified: true })],
      [weight, { type: 'removeManagedRoutes' }, { type: 'setHeaderRoute', params: { name: 'h' } }],
      recorder,
      subject,
    );
    assert.deepEqual(log, ['removeManagedRoutes', 'setHeaderRoute h', 'updateHash new old', 'setWeight 0']);
    assert.deepEqual(outcome, { verified: true });
    assert.deepEqual(events, []);
  });

  it('one router not verified yet makes the weight unverified; none able to tell leaves it unknown', async () => {
    const log: string[] = [];
    const recorder = { record: () => {} };
    assert.deepEqual(
      await runTrafficActions(
        [fakeRouter(log, { verified: true }), fakeRouter(log, { verified: false })],
        [weight],
        recorder,
        subject,
      ),
      { verified: false },
    );
    assert.deepEqual(await runTrafficActions([fakeRouter(log)], [weight], recorder, subject), {});
  });

  it('a router that cannot set the weight records TrafficRoutingError and fails the reconcile', async () => {
    const events: string[] = [];
    const recorder = {
      record: (_s: unknown, type: string, reason: string, message: string) =>
        void events.push(`${type} ${reason}: ${message}`),
    };
    await assert.rejects(
      runTrafficActions([fakeRouter([], { failWeight: true })], [weight], recorder, subject),
    );
    assert.deepEqual(events, ['Warning TrafficRoutingError: virtualservice "vs" not found']);
  });
});
