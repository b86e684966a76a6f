import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readsPods } from '../../../src/rollouts/controller/controller.js';
import type { RolloutObject } from '../../../src/rollouts/controller/reconciler.js';
import { isSettledDecision } from '../../../src/rollouts/controller/settled.js';
import {
  buildReplicaSet,
  canaryStrategy,
  type ReplicaSet,
  type Rollout,
  type RolloutObservation,
} from '../../../src/rollouts/index.js';

const template = {
  metadata: { labels: { app: 'demo' } },
  spec: { containers: [{ name: 'app', image: 'demo:v2' }] },
};

const rollout = (status: Rollout['status'] = {}, steps: unknown[] = [{ setWeight: 20 }, { pause: {} }]) =>
  ({
    metadata: { name: 'demo', namespace: 'ns', uid: 'u1', generation: 2 },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: 'demo' } },
      template,
      strategy: { canary: { steps } },
    },
    status,
  }) as Rollout;

const rs = (hash: string, replicas: number, available: number, revision: number): ReplicaSet => {
  const built = buildReplicaSet(rollout(), hash, revision, replicas);
  return {
    ...built,
    metadata: { ...built.metadata, uid: hash },
    status: { replicas, readyReplicas: available, availableReplicas: available },
  };
};

const observe = (r: Rollout, sets: ReplicaSet[], now = 1_700_000_000_000): RolloutObservation => {
  const newRS = sets.find((s) => s.metadata.uid === 'new') as ReplicaSet;
  return {
    rollout: r,
    replicaSets: sets,
    newRS,
    newRSCreated: false,
    currentPodHash: 'new',
    revision: 2,
    runs: [],
    now,
  };
};

/** Decides, then applies the decision (status, scaling; pods not yet ready) as the reconcile leaves the world. */
function step(o: RolloutObservation) {
  const decision = canaryStrategy.decide(o);
  const settled = isSettledDecision(canaryStrategy, o, decision);
  const sizes = new Map<string, number>();
  for (const a of decision.actions)
    if (a.type === 'scaleReplicaSet') sizes.set(a.params.replicaSet.metadata.name ?? '', a.params.to);
  const sets = o.replicaSets.map((s) => {
    const to = sizes.get(s.metadata.name ?? '');
    return to === undefined ? s : { ...s, spec: { ...s.spec, replicas: to } };
  });
  const status = JSON.parse(JSON.stringify(decision.status)) as Rollout['status'];
  return { decision, settled, next: observe({ ...o.rollout, status }, sets, o.now) };
}

describe('isSettledDecision: the echoes of a reconcile need no reconcile only when deciding again changes nothing', () => {
  it('a walk from a new template reaches a settled decision, and a settled one decides nothing new', () => {
    let o = observe(rollout({ stableRS: 'old', observedGeneration: '1' }), [
      rs('old', 5, 5, 1),
      rs('new', 0, 0, 2),
    ]);
    const trail: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const { decision, settled, next } = step(o);
      trail.push(settled);
      if (settled) {
        const again = canaryStrategy.decide(next);
        assert.deepEqual(
          again.actions.filter((a) => a.type !== 'requeueAfter'),
          [],
          'a settled decision leaves nothing to do',
        );
        assert.deepEqual(
          JSON.parse(JSON.stringify(again.status)),
          JSON.parse(JSON.stringify(decision.status)),
        );
      }
      o = next;
    }
    // scaling the canary and writing status in one decision converges: the echoes of both need nothing
    assert.equal(trail[0], true);
    assert.equal(trail.at(-1), true, 'waiting for pods is settled');
  });

  it('completing a step and pausing is settled; an unchanged world is settled at once', () => {
    const sets = [rs('old', 4, 4, 1), rs('new', 1, 1, 2)];
    let o = observe(
      rollout({ stableRS: 'old', currentPodHash: 'new', currentStepIndex: 0, observedGeneration: '2' }),
      sets,
    );
    for (let i = 0; i < 4; i++) o = step(o).next;
    const { decision, settled } = step(o);
    assert.equal(decision.status.pauseConditions?.[0]?.reason, 'CanaryPauseStep');
    assert.equal(settled, true);
  });

  it('a decision that creates an analysis run or moves traffic is never settled', () => {
    const o = observe(rollout({}), [rs('old', 5, 5, 1), rs('new', 0, 0, 2)]);
    const decision = {
      status: {},
      machineEvents: [],
      actions: [{ type: 'createAnalysisRun', params: {} } as never],
    };
    assert.equal(isSettledDecision(canaryStrategy, o, decision), false);
  });
});

describe('isSettledDecision with spec.workloadRef', () => {
  it('is never settled while a scaleDown mode scales the Deployment from the status it writes', () => {
    const sets = [rs('old', 5, 5, 1), rs('new', 5, 5, 2)];
    const status = { stableRS: 'new', currentPodHash: 'new', currentStepIndex: 2, observedGeneration: '2' };
    const withRef = (scaleDown: string) => {
      const r = rollout(status);
      return {
        ...r,
        spec: { ...r.spec, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', scaleDown } },
      } as Rollout;
    };
    let settledNever = step(observe(withRef('never'), sets));
    for (let i = 0; i < 3 && !settledNever.settled; i++) settledNever = step(settledNever.next);
    assert.equal(settledNever.settled, true, 'scaleDown: never settles as an inline template does');
    for (const mode of ['onsuccess', 'progressively']) {
      let o = observe(withRef(mode), sets);
      for (let i = 0; i < 4; i++) {
        const { settled, next } = step(o);
        assert.equal(settled, false, mode);
        o = next;
      }
    }
  });
});

describe('readsPods: which Rollouts hear of their pods', () => {
  const r = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) =>
    ({ metadata: { name: 'a' }, spec: { ...spec }, status }) as unknown as RolloutObject;
  it('a plain canary does not; ephemeral metadata or a pending restart does', () => {
    assert.equal(readsPods(r({ strategy: { canary: {} } })), false);
    assert.equal(readsPods(r({ strategy: { canary: { canaryMetadata: { labels: { role: 'c' } } } } })), true);
    assert.equal(
      readsPods(r({ strategy: { blueGreen: { activeMetadata: { labels: { role: 'a' } } } } })),
      true,
    );
    assert.equal(readsPods(r({ strategy: { canary: {} }, restartAt: '2026-01-01T00:00:00Z' })), true);
    assert.equal(
      readsPods(
        r(
          { strategy: { canary: {} }, restartAt: '2026-01-01T00:00:00Z' },
          { restartedAt: '2026-01-01T00:00:00Z' },
        ),
      ),
      false,
    );
  });
});
