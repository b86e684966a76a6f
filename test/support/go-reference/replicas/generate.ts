/**
 * Seeded random inputs of the replica-math differential test, drawn in the domain of Slipway's plain
 * functions (`BasicCanaryInput`, `TrafficRoutedCanaryInput`) and turned into the Rollout and ReplicaSets
 * Argo's Go functions read (main.go): the setWeight in effect is the current step's (or, after the last
 * step, the full weight), `newIsStable` is the new ReplicaSet being the stable one (same name, pod hash =
 * stableRS), `promoteFull`, `abort`, `status.canary.weights` and the older ReplicaSets map one to one.
 * Sizes are mostly small with a tail of large ones; weights mostly within 0..maxWeight with some outside.
 */
import type {
  BasicCanaryInput,
  IntOrStringInput,
  TrafficRoutedCanaryInput,
} from '../../../../src/rollouts/index.js';
import { type SeededChoices, seededChoices } from '../../seeded-random.js';

type Obj = Record<string, unknown>;
type ReplicaSetCounts = NonNullable<BasicCanaryInput['canary']>;

/** One case: our input and the JSON line main.go reads. */
export type ReplicaCase =
  | { readonly kind: 'basic'; readonly input: BasicCanaryInput; readonly go: Obj }
  | { readonly kind: 'trafficRouted'; readonly input: TrafficRoutedCanaryInput; readonly go: Obj };

/** What main.go answers (canary/stable for a traffic-routed Rollout, basicCanary/basicStable otherwise). */
export interface ReplicaAnswer {
  readonly canary?: number;
  readonly stable?: number;
  readonly basicCanary?: number;
  readonly basicStable?: number;
  readonly setWeight: number;
  readonly scaleReplicas?: number;
  readonly scaleWeight: number;
  readonly error?: string;
}

function specReplicas(c: SeededChoices): number {
  if (c.chance(0.75)) return c.int(21);
  return c.chance(0.8) ? c.int(301) : c.int(5000);
}

function weightUpTo(c: SeededChoices, max: number): number {
  if (c.chance(0.1)) return c.pick([0, max]);
  if (c.chance(0.04)) return c.int(3 * max + 1); // beyond maxWeight: Argo's validation rejects it, the math still runs
  return c.int(max + 1);
}

function replicaSetCounts(c: SeededChoices, replicas: number): ReplicaSetCounts | undefined {
  if (c.chance(0.15)) return undefined;
  const spec = c.chance(0.7) ? c.int(replicas + 3) : c.int(Math.max(40, replicas * 2));
  const available = c.chance(0.6) ? spec : c.int(spec + 4);
  return { replicas: spec, availableReplicas: available };
}

/** maxSurge / maxUnavailable as JSON (number or string), sometimes in the Go struct form on our side. */
function intOrPercent(c: SeededChoices): { ours: IntOrStringInput; go: number | string } {
  const go: number | string = c.chance(0.45)
    ? c.int(6)
    : c.pick(['0%', '10%', '25%', '50%', '100%', `${c.int(151)}%`, '25', `${c.int(40)}`, '%5%', 'abc', '']);
  if (!c.chance(0.15)) return { ours: go, go };
  return {
    ours: typeof go === 'number' ? { type: 0, intVal: go } : { type: 'String', strVal: go },
    go,
  };
}

function replicaSet(name: string, counts: ReplicaSetCounts | undefined): Obj | null {
  if (counts === undefined) return null;
  return {
    metadata: { name, namespace: 'default' },
    spec: { replicas: counts.replicas },
    status: { availableReplicas: counts.availableReplicas },
  };
}

/** The new and stable ReplicaSets as Argo receives them: one object twice when the new one is stable. */
function replicaSets(
  newIsStable: boolean,
  canary: ReplicaSetCounts | undefined,
  stable: ReplicaSetCounts | undefined,
): { newRS: Obj | null; stableRS: Obj | null } {
  if (!newIsStable) return { newRS: replicaSet('canary', canary), stableRS: replicaSet('stable', stable) };
  const same = replicaSet('stable', canary ?? stable);
  return { newRS: same, stableRS: same };
}

function basicCase(c: SeededChoices): ReplicaCase {
  const replicas = specReplicas(c);
  const weight = weightUpTo(c, 100);
  const newIsStable = c.chance(0.12);
  const promoteFull = c.chance(0.1);
  const canary = replicaSetCounts(c, replicas);
  const stable = replicaSetCounts(c, replicas);
  const older = Array.from({ length: c.chance(0.6) ? 0 : 1 + c.int(3) }, () =>
    replicaSetCounts(c, replicas),
  ).filter((rs): rs is ReplicaSetCounts => rs !== undefined);
  const surge = c.chance(0.75) ? intOrPercent(c) : undefined;
  const unavailable = c.chance(0.75) ? intOrPercent(c) : undefined;
  const input: BasicCanaryInput = {
    replicas,
    weight,
    ...(surge && { maxSurge: surge.ours }),
    ...(unavailable && { maxUnavailable: unavailable.ours }),
    ...(canary && { canary }),
    ...(stable && { stable }),
    ...(older.length > 0 && { older }),
    ...(newIsStable && { newIsStable }),
    ...(promoteFull && { promoteFull }),
  };
  const rollout = {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      strategy: {
        canary: {
          steps: [{ setWeight: weight }],
          ...(surge && { maxSurge: surge.go }),
          ...(unavailable && { maxUnavailable: unavailable.go }),
        },
      },
    },
    status: {
      currentStepIndex: 0,
      stableRS: 'stable',
      currentPodHash: newIsStable ? 'stable' : 'canary',
      ...(promoteFull && { promoteFull }),
    },
  };
  const olderRSs = older.map((rs, i) => replicaSet(`older${i}`, rs));
  return {
    kind: 'basic',
    input,
    go: { rollout, ...replicaSets(newIsStable, canary, stable), olderRSs, weights: null },
  };
}

function setCanaryScale(c: SeededChoices, maxWeight: number): Obj {
  const s: Obj = {};
  if (c.chance(0.5)) s.replicas = c.chance(0.9) ? c.int(15) : c.int(400);
  if (c.chance(0.5)) s.weight = weightUpTo(c, maxWeight);
  if (c.chance(0.25)) s.matchTrafficWeight = true;
  return s;
}

function trafficRoutedCase(c: SeededChoices): ReplicaCase {
  const replicas = specReplicas(c);
  const maxTrafficWeight = c.chance(0.6) ? undefined : c.pick([100, 1000, 10, 7, 1 + c.int(2000)]);
  const maxWeight = maxTrafficWeight ?? 100;
  // Steps before the current one (only their setWeights matter, and only while aborted with
  // dynamicStableScale), then the current step, or none when past the last step.
  const earlier = Array.from({ length: c.int(5) }, () =>
    c.chance(0.6) ? { setWeight: weightUpTo(c, maxWeight) } : { pause: {} },
  );
  const pastLastStep = c.chance(0.12);
  const currentWeight = c.chance(0.8) ? weightUpTo(c, maxWeight) : undefined;
  const scale = !pastLastStep && c.chance(0.4) ? setCanaryScale(c, maxWeight) : undefined;
  const current = {
    ...(currentWeight !== undefined && { setWeight: currentWeight }),
    ...(scale && { setCanaryScale: scale }),
    ...(currentWeight === undefined && scale === undefined && { pause: {} }),
  };
  const steps: Obj[] = pastLastStep ? earlier : [...earlier, current];
  const lastSetWeight = [...steps].reverse().find((s) => typeof s.setWeight === 'number')?.setWeight;
  const weight = pastLastStep ? maxWeight : ((lastSetWeight as number | undefined) ?? 0);

  const newIsStable = c.chance(0.1);
  const promoteFull = c.chance(0.1);
  const abort = c.chance(0.35);
  const dynamicStableScale = c.chance(0.5);
  const abortScaleDownDelaySeconds = c.chance(0.5) ? c.pick([0, 0, 30, 5, 600]) : undefined;
  const minPodsPerReplicaSet = c.chance(0.3) ? c.int(8) : undefined;
  const canary = replicaSetCounts(c, replicas);
  const stable = replicaSetCounts(c, replicas);
  let trafficWeights: { canary: number; stable: number } | undefined;
  if (c.chance(0.7)) {
    const canaryWeight = weightUpTo(c, maxWeight);
    trafficWeights = {
      canary: canaryWeight,
      stable: c.chance(0.8) ? maxWeight - canaryWeight : weightUpTo(c, maxWeight),
    };
  }
  const setCanaryScaleInput =
    scale === undefined
      ? undefined
      : {
          ...(scale.weight !== undefined && { weight: scale.weight as number }),
          ...(scale.replicas !== undefined && { replicas: scale.replicas as number }),
          ...(scale.matchTrafficWeight === true && { matchTrafficWeight: true }),
        };
  const input: TrafficRoutedCanaryInput = {
    replicas,
    weight,
    ...(canary && { canary }),
    ...(stable && { stable }),
    ...(newIsStable && { newIsStable }),
    ...(promoteFull && { promoteFull }),
    ...(setCanaryScaleInput && { setCanaryScale: setCanaryScaleInput }),
    ...(dynamicStableScale && { dynamicStableScale }),
    ...(abort && { abort }),
    ...(abortScaleDownDelaySeconds !== undefined && { abortScaleDownDelaySeconds }),
    ...(maxTrafficWeight !== undefined && { maxTrafficWeight }),
    ...(minPodsPerReplicaSet !== undefined && { minPodsPerReplicaSet }),
    ...(trafficWeights && { trafficWeights }),
    steps: steps.map((s) => (typeof s.setWeight === 'number' ? { setWeight: s.setWeight } : {})),
  };
  const weights = trafficWeights && {
    canary: { weight: trafficWeights.canary },
    stable: { weight: trafficWeights.stable },
  };
  const rollout = {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      strategy: {
        canary: {
          canaryService: 'canary',
          stableService: 'stable',
          trafficRouting: {
            nginx: { stableIngress: 'web' },
            ...(maxTrafficWeight !== undefined && { maxTrafficWeight }),
          },
          steps,
          ...(dynamicStableScale && { dynamicStableScale }),
          ...(abortScaleDownDelaySeconds !== undefined && { abortScaleDownDelaySeconds }),
          ...(minPodsPerReplicaSet !== undefined && { minPodsPerReplicaSet }),
        },
      },
    },
    status: {
      currentStepIndex: pastLastStep ? steps.length + c.int(2) : steps.length - 1,
      stableRS: 'stable',
      currentPodHash: newIsStable ? 'stable' : 'canary',
      ...(promoteFull && { promoteFull }),
      ...(abort && { abort }),
      ...(weights && { canary: { weights } }),
    },
  };
  return {
    kind: 'trafficRouted',
    input,
    go: { rollout, ...replicaSets(newIsStable, canary, stable), olderRSs: [], weights: weights ?? null },
  };
}

/** `count` basic and `count` traffic-routed cases from `seed`, alternating. */
export function replicaCases(seed: number, count: number): ReplicaCase[] {
  const c = seededChoices(seed);
  return Array.from({ length: count }, () => [basicCase(c), trafficRoutedCase(c)]).flat();
}
