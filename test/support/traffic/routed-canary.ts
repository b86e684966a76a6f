// One traffic-routed canary scenario, run against each router at the Rollout level (the controller in
// this process, the router's upstream CRDs in the shared cluster): the weights at every pause of an update
// promoted to the end, then an update aborted at its first pause, whose weight must return to 0 before the
// canary ReplicaSet is scaled down. Each router's test file says how to create its routed objects, how to
// read `stable/canary` weights from them, and what more to check at each moment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GroupVersionKind, KubeClient, KubeObject } from '../../../src/kube/index.js';
import {
  abortRollout,
  type CanaryStep,
  POD_TEMPLATE_HASH_LABEL,
  promoteRollout,
  type ReplicaSet,
} from '../../../src/rollouts/index.js';
import {
  checkInvariants,
  eventMessages,
  getRollout,
  ROLLOUT,
  type RolloutObject,
  setImage,
  useRolloutScenario,
} from '../fixtures/rollout-scenario.js';
import { recordWorldHistory, type WorldHistory } from '../fixtures/world-history.js';
import { eventually } from '../kube.js';
import {
  createServices,
  REPLICA_SET,
  statusAheadOfRouter,
  statusWeights,
  type WeightReader,
  weightTrace,
} from './routed-world.js';
import { requireUpstreamCrd } from './upstream-crds.js';

export const ROUTED_ROLLOUT = 'web';

/** What a case's checks get: the live handles and the Rollout as it is at that moment. */
export interface RoutedMoment {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly rollout: RolloutObject;
  /** The Rollout's ReplicaSets by pod-template hash. */
  readonly replicaSets: ReadonlyMap<string, ReplicaSet>;
}

/** The sizes (spec.replicas) of the stable and the canary ReplicaSet at a moment. */
export function replicaSizes(m: RoutedMoment): { stable?: number; canary?: number } {
  const { stableRS, currentPodHash } = m.rollout.status ?? {};
  return {
    stable: m.replicaSets.get(stableRS ?? '')?.spec?.replicas,
    canary: m.replicaSets.get(currentPodHash ?? '')?.spec?.replicas,
  };
}

export interface RoutedCanaryCase {
  /** The suite's title and namespace prefix. */
  readonly title: string;
  readonly prefix: string;
  /** Upstream CRDs the router needs (e.g. `virtualservices.networking.istio.io`). */
  readonly crds: readonly string[];
  /** Kinds of routed objects to record (the traced one first). */
  readonly kinds: readonly GroupVersionKind[];
  /** The routed object whose weights are traced, and how to read them (an absent object reads 100/0). */
  readonly routed: { readonly kind: string; readonly name: string; readonly read: WeightReader };
  /** Creates the objects the router reads (the Services `web-stable` and `web-canary` already exist). */
  setup(client: KubeClient, namespace: string): Promise<void>;
  /** `spec.strategy.canary` fields besides `steps` (trafficRouting, Services, scaling). */
  canary(namespace: string): Record<string, unknown>;
  readonly replicas?: number;
  /** Steps; each `pause: {}` is promoted by the scenario. Default: 20%, pause, 50%, pause. */
  readonly steps?: readonly CanaryStep[];
  /**
   * The routed weights of the promoted update in order. Default: 80/20, 50/50, 100/0 (Argo writes 0/100
   * before 100/0 when the steps end without setWeight 100; Slipway goes to 100/0 as it promotes).
   */
  readonly trace?: readonly string[];
  /**
   * Edits the routed object's weights as another controller or a user would, at the first pause: the
   * Rollout, woken by the change alone (an indefinite pause has no timed requeue), writes its weights back.
   */
  externalEdit?(client: KubeClient, namespace: string): Promise<void>;
  /** Extra checks at each `pause: {}` of the promoted update. */
  atPause?(m: RoutedMoment, stepIndex: number): Promise<void>;
  /** Extra checks once the promoted update is Healthy. */
  afterPromotion?(m: RoutedMoment): Promise<void>;
  /** Extra checks once the aborted update's canary is scaled down. */
  afterAbort?(m: RoutedMoment): Promise<void>;
}

const DEFAULT_STEPS: readonly CanaryStep[] = [
  { setWeight: 20 },
  { pause: {} },
  { setWeight: 50 },
  { pause: {} },
];
const DEFAULT_TRACE = ['80/20', '50/50', '100/0'];

/** The weight a step index carries: the last setWeight at or before it (0 before any). */
function weightAt(steps: readonly CanaryStep[], index: number): number {
  let weight = 0;
  for (const step of steps.slice(0, index + 1)) if (step.setWeight !== undefined) weight = step.setWeight;
  return weight;
}

/** Registers a suite running `c` against the shared cluster. */
export function describeRoutedCanary(c: RoutedCanaryCase): void {
  describe(c.title, () => {
    const s = useRolloutScenario(c.prefix);
    let history: WorldHistory | undefined;
    const steps = c.steps ?? DEFAULT_STEPS;
    after(async () => {
      await history?.stop();
    });
    before(async () => {
      for (const crd of c.crds) await requireUpstreamCrd(s.client, crd);
      await createServices(s.client, s.namespace, ROUTED_ROLLOUT, ['web-stable', 'web-canary']);
      await c.setup(s.client, s.namespace);
      history = await recordWorldHistory(s.client, s.namespace, [...c.kinds, REPLICA_SET, ROLLOUT]);
    });
    const seen = () => {
      if (!history) throw new Error('no history yet');
      return history;
    };
    const ref = () => ({ namespace: s.namespace, name: ROUTED_ROLLOUT });
    const routedNow = async () => {
      const { kind, name, read } = c.routed;
      const gvk = c.kinds.find((k) => k.kind === kind) ?? { apiVersion: 'v1', kind };
      const obj = await s.client
        .get({ ...gvk, namespace: s.namespace, name })
        .catch((): KubeObject | undefined => undefined);
      return read(obj);
    };
    const moment = async (rollout: RolloutObject): Promise<RoutedMoment> => {
      const { items } = await s.client.listAll<ReplicaSet>(REPLICA_SET, { namespace: s.namespace });
      const replicaSets = new Map(
        items
          .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === rollout.metadata.uid))
          .map((rs) => [rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '', rs]),
      );
      return { client: s.client, namespace: s.namespace, rollout, replicaSets };
    };
    /** Waits for the Rollout to pass `check` while the routed object and status both carry `weights`. */
    const settles = async (what: string, weights: string, check: (r: RolloutObject) => boolean) => {
      let last = '';
      try {
        return await eventually(
          `${what} with ${c.routed.kind} and status.canary.weights ${weights}`,
          async () => {
            const r = await getRollout(s.client, s.namespace, ROUTED_ROLLOUT);
            const routed = await routedNow();
            const { phase, currentStepIndex, message } = r.status ?? {};
            last = `${phase} at step ${currentStepIndex} (${message ?? ''}), status ${statusWeights(r)}, ${c.routed.kind} ${routed}`;
            return check(r) && statusWeights(r) === weights && routed === weights ? r : undefined;
          },
          120_000,
          250,
        );
      } catch (err) {
        const events = await eventMessages(s.client, s.namespace, ROUTED_ROLLOUT).catch(() => []);
        throw new Error(
          `${(err as Error).message}; last seen: ${last}; events: ${events.slice(-8).join(' | ')}`,
        );
      }
    };
    const pausedAt = (index: number) => (r: RolloutObject) =>
      r.status?.phase === 'Paused' && r.status.currentStepIndex === index;
    const split = (index: number) => `${100 - weightAt(steps, index)}/${weightAt(steps, index)}`;
    const pauses = steps.flatMap((step, i) =>
      step.pause !== undefined && step.pause.duration === undefined ? [i] : [],
    );

    it('weights move at each step, return to stable after promotion; status follows the router', async () => {
      await s.createRollout({
        name: ROUTED_ROLLOUT,
        replicas: c.replicas ?? 4,
        steps,
        canary: {
          canaryService: 'web-canary',
          stableService: 'web-stable',
          // a short abort delay (0 would keep the canary up) so the abort case scales it down soon
          abortScaleDownDelaySeconds: 1,
          ...c.canary(s.namespace),
        },
      });
      const initial = await settles('initial deploy Healthy', '100/0', (r) => r.status?.phase === 'Healthy');
      const first = initial.status?.stableRS ?? '';
      const mark = await seen().mark();
      await setImage(s.client, s.namespace, ROUTED_ROLLOUT, 'argoproj/rollouts-demo:green');
      for (const index of pauses) {
        const at = await settles(`paused at step ${index}`, split(index), pausedAt(index));
        assert.notEqual(at.status?.currentPodHash, first);
        assert.equal(at.status?.canary?.weights?.canary.podTemplateHash, at.status?.currentPodHash);
        assert.equal(at.status?.canary?.weights?.stable.podTemplateHash, first);
        await c.atPause?.(await moment(at), index);
        if (index === pauses[0] && c.externalEdit !== undefined) {
          await c.externalEdit(s.client, s.namespace);
          await eventually(
            `the edited ${c.routed.kind} back at ${split(index)}`,
            async () => (await routedNow()) === split(index),
            60_000,
            100,
          );
        }
        await promoteRollout(s.client, ref());
      }
      const done = await settles(
        'Healthy on the new ReplicaSet',
        '100/0',
        (r) =>
          r.status?.phase === 'Healthy' &&
          r.status.stableRS !== first &&
          r.status.stableRS === r.status.currentPodHash,
      );
      assert.equal(done.status?.canary?.weights?.stable.podTemplateHash, done.status?.stableRS);
      const h = seen();
      const { kind, name, read } = c.routed;
      assert.deepEqual(
        weightTrace(h, kind, name, read, mark).map((t) => t.weights),
        c.trace ?? DEFAULT_TRACE,
        `the ${kind} weights, in order`,
      );
      assert.deepEqual(statusAheadOfRouter(h, ROUTED_ROLLOUT, kind, name, read, mark), []);
      await c.afterPromotion?.(await moment(done));
      await checkInvariants(s.client, s.namespace, ROUTED_ROLLOUT);
    });

    it('abort: the weight returns to 0 before the canary is scaled down', async () => {
      const [firstPause] = pauses;
      assert.ok(firstPause !== undefined, 'the case has a pause to abort at');
      const mark = await seen().mark();
      await setImage(s.client, s.namespace, ROUTED_ROLLOUT, 'argoproj/rollouts-demo:yellow');
      const at = await settles(`paused at step ${firstPause}`, split(firstPause), pausedAt(firstPause));
      const canaryHash = at.status?.currentPodHash ?? '';
      const canaryRs = (await moment(at)).replicaSets.get(canaryHash);
      const canaryName = canaryRs?.metadata.name ?? '';
      const size = canaryRs?.spec?.replicas ?? 0;
      assert.ok(size > 0, 'the canary has pods at the first pause');
      const aborting = await seen().mark();
      await abortRollout(s.client, ref());
      const aborted = await settles('Degraded after abort', '100/0', (r) => r.status?.phase === 'Degraded');
      await eventually(
        'the aborted canary scaled to 0',
        async () =>
          ((await s.client.get<ReplicaSet>({ ...REPLICA_SET, namespace: s.namespace, name: canaryName })).spec
            ?.replicas ?? -1) === 0,
        120_000,
        250,
      );
      const h = seen();
      const { kind, name, read } = c.routed;
      const trace = weightTrace(h, kind, name, read, aborting);
      assert.equal(trace.at(-1)?.weights, '100/0', `${kind} back at 100/0`);
      const canaryWeights = trace.map((t) => Number(t.weights.split('/')[1]));
      assert.ok(
        canaryWeights.every((w, i) => i === 0 || w <= (canaryWeights[i - 1] ?? 0)),
        `the canary weight only fell after the abort: ${trace.map((t) => t.weights).join(' → ')}`,
      );
      const back = trace.at(-1)?.write.revision ?? 0n;
      // the GET above can see the scale-down before the history's watch delivers it: wait for the watch
      const shrinkWrite = () =>
        h
          .writesOf('ReplicaSet', canaryName)
          .find((w) => w.revision > aborting && ((w.object as ReplicaSet).spec?.replicas ?? 0) < size);
      await eventually(
        'the scale-down in the watch history',
        async () => shrinkWrite() !== undefined,
        30_000,
        100,
      ).catch(() => undefined);
      const shrink = shrinkWrite();
      assert.ok(shrink, 'the canary ReplicaSet was scaled down');
      assert.ok(back > 0n && back < shrink.revision, 'the weight went back to 0 before the canary shrank');
      assert.deepEqual(statusAheadOfRouter(h, ROUTED_ROLLOUT, kind, name, read, mark), []);
      await c.afterAbort?.(await moment(aborted));
      await checkInvariants(s.client, s.namespace, ROUTED_ROLLOUT);
      await h.stop(); // before the scenario's hooks delete the namespace
    });
  });
}
