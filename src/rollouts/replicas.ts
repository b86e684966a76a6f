/**
 * Replica math of a basic (replica-weighted, no traffic router) canary. Pure: plain numbers in,
 * plain numbers out. Results are identical to Argo Rollouts' `CalculateReplicaCountsForBasicCanary`
 * (utils/replicaset/canary.go), including its surge/availability ladder and its rounding quirks.
 * The traffic-routed canary's math lives in traffic-routed-replicas.ts and is exported from here too.
 */
import type { IntOrString } from './types.js';

export {
  type CanaryReplicasOrWeight,
  calculateTrafficRoutedCanaryReplicas,
  canaryReplicasOrWeight,
  type SetCanaryScaleInput,
  type TrafficRoutedCanaryInput,
  trafficWeightToReplicas,
} from './traffic-routed-replicas.js';

/** An IntOrString as JSON (`3`, `"25%"`) or in the Go struct form (`{type: 1, strVal: "25%"}`). */
export type IntOrStringInput =
  | IntOrString
  | {
      readonly type?: 0 | 1 | 'Int' | 'String';
      readonly intVal?: number;
      readonly strVal?: string;
    };

export interface ReplicaSetCounts {
  /** `spec.replicas` of the ReplicaSet. */
  readonly replicas: number;
  /** `status.availableReplicas` of the ReplicaSet. */
  readonly availableReplicas: number;
}

export interface BasicCanaryInput {
  /** `spec.replicas` of the Rollout. */
  readonly replicas: number;
  /** The setWeight in effect, 0–100 (0 while aborted). */
  readonly weight: number;
  /** Defaults to "25%". */
  readonly maxSurge?: IntOrStringInput;
  /** Defaults to "25%". */
  readonly maxUnavailable?: IntOrStringInput;
  readonly stable?: ReplicaSetCounts;
  /** The new (desired pod template) ReplicaSet. */
  readonly canary?: ReplicaSetCounts;
  /** ReplicaSets that are neither stable nor canary. */
  readonly older?: readonly ReplicaSetCounts[];
  /** The new ReplicaSet is the stable one (pass it as `canary`; `stable` is used if `canary` is absent). */
  readonly newIsStable?: boolean;
  /** `status.promoteFull`: skip the remaining steps, target weight 100. */
  readonly promoteFull?: boolean;
}

export interface CanaryReplicaCounts {
  readonly canary: number;
  readonly stable: number;
}

export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';

export type FencepostResult =
  | { readonly ok: true; readonly maxSurge: number; readonly maxUnavailable: number }
  | { readonly ok: false; readonly message: string };

function intOrStringParts(value: IntOrStringInput): { int?: number; str?: string } {
  if (typeof value === 'number') return { int: value };
  if (typeof value === 'string') return { str: value };
  if (value.type === 1 || value.type === 'String') return { str: value.strVal ?? '' };
  if (value.type === 0 || value.type === 'Int') return { int: value.intVal ?? 0 };
  return value.strVal !== undefined ? { str: value.strVal } : { int: value.intVal ?? 0 };
}

/**
 * Kubernetes' (deprecated) `intstr.GetValueFromIntOrPercent`, which Argo uses: an int is taken as is;
 * any string is a percentage once every "%" is removed ("25" and "25%" both mean 25%), scaled by
 * `total` and rounded up or down. Returns undefined when the string is not an integer.
 */
export function scaleIntOrPercent(
  value: IntOrStringInput,
  total: number,
  roundUp: boolean,
): number | undefined {
  const { int, str } = intOrStringParts(value);
  if (str === undefined) return Number.isInteger(int) ? int : undefined;
  const digits = str.replaceAll('%', '');
  if (!/^[+-]?\d+$/.test(digits)) return undefined;
  const percent = Number.parseInt(digits, 10);
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * Resolve maxSurge (rounded up) and maxUnavailable (rounded down) against `desired` replicas, like
 * Kubernetes' `ResolveFenceposts`. When both resolve to 0, maxUnavailable becomes 1.
 */
export function resolveFenceposts(
  maxSurge: IntOrStringInput | undefined,
  maxUnavailable: IntOrStringInput | undefined,
  desired: number,
): FencepostResult {
  const surge = scaleIntOrPercent(maxSurge ?? 0, desired, true);
  if (surge === undefined) return { ok: false, message: `invalid maxSurge ${JSON.stringify(maxSurge)}` };
  const unavailable = scaleIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (unavailable === undefined) {
    return { ok: false, message: `invalid maxUnavailable ${JSON.stringify(maxUnavailable)}` };
  }
  return { ok: true, maxSurge: surge, maxUnavailable: surge === 0 && unavailable === 0 ? 1 : unavailable };
}

/** Argo's `MaxSurge` for a canary: the resolved surge, 0 when the values cannot be parsed. */
export function resolveMaxSurge(
  replicas: number,
  maxSurge: IntOrStringInput = DEFAULT_MAX_SURGE,
  maxUnavailable: IntOrStringInput = DEFAULT_MAX_UNAVAILABLE,
): number {
  const resolved = resolveFenceposts(maxSurge, maxUnavailable, replicas);
  return resolved.ok ? resolved.maxSurge : 0;
}

/** Argo's `MaxUnavailable` for a canary: 0 for 0 replicas, capped at `replicas`, 0 when unparseable. */
export function resolveMaxUnavailable(
  replicas: number,
  maxSurge: IntOrStringInput = DEFAULT_MAX_SURGE,
  maxUnavailable: IntOrStringInput = DEFAULT_MAX_UNAVAILABLE,
): number {
  if (replicas === 0) return 0;
  const resolved = resolveFenceposts(maxSurge, maxUnavailable, replicas);
  if (!resolved.ok) return 0;
  return Math.min(resolved.maxUnavailable, replicas);
}

export interface DesiredSplitInput {
  readonly replicas: number;
  readonly weight: number;
  /** The resolved maxSurge; any value > 0 lets the split use replicas + 1 pods in total. */
  readonly maxSurge: number;
  /** Defaults to 100 (only traffic routers with maxTrafficWeight change it). */
  readonly maxWeight?: number;
}

function isTied(weight: number, maxWeight: number, total: number): boolean {
  const value = total * (weight / maxWeight);
  return value - Math.trunc(value) === 0.5;
}

function weightDelta(weight: number, maxWeight: number, canary: number, total: number): number {
  return Math.abs((canary * maxWeight) / total - weight);
}

/**
 * Target canary/stable sizes for a weight before any surge/availability limits (Argo's
 * `approximateWeightedCanaryStableReplicaCounts`): the candidate closest to the weight wins; the sum
 * may be replicas + 1 when surge is allowed, and a weight of 1–99 never yields 0 pods on either side
 * unless there is a single replica and no surge. Ties prefer the first (larger canary) candidate.
 */
export function desiredSplit(input: DesiredSplitInput): CanaryReplicaCounts {
  const { replicas, weight, maxSurge } = input;
  const maxWeight = input.maxWeight ?? 100;
  if (replicas === 0) return { canary: 0, stable: 0 };
  const ceil = Math.ceil((replicas * weight) / maxWeight);
  const floor = Math.floor((replicas * weight) / maxWeight);
  const zeroAllowed = weight === maxWeight || weight === 0 || (replicas === 1 && maxSurge === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!isTied(weight, maxWeight, replicas) && (floor !== 0 || zeroAllowed)) {
    options.push({ canary: floor, total: replicas });
  }
  if (maxSurge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!isTied(weight, maxWeight, replicas + 1) && (floor !== 0 || zeroAllowed)) {
      options.push({ canary: floor, total: replicas + 1 });
    }
  }
  let best = options[0];
  if (best === undefined) return { canary: 0, stable: replicas };
  let bestDelta = weightDelta(weight, maxWeight, best.canary, best.total);
  for (const option of options.slice(1)) {
    const delta = weightDelta(weight, maxWeight, option.canary, option.total);
    if (delta < bestDelta) {
      best = option;
      bestDelta = delta;
    }
  }
  return { canary: best.canary, stable: best.total - best.canary };
}

/** Replicas of a ReplicaSet that may count towards availability when scaling down. */
function replicasForScaleDown(rs: ReplicaSetCounts | undefined, ignoreAvailability: boolean): number {
  if (rs === undefined) return 0;
  if (rs.replicas < rs.availableReplicas) return rs.replicas;
  return ignoreAvailability ? rs.replicas : rs.availableReplicas;
}

function scaleDownTowards(
  rs: ReplicaSetCounts | undefined,
  desired: number,
  scaleDownCount: number,
  current: number,
): number {
  if (rs !== undefined && rs.replicas > desired) return Math.max(desired, rs.replicas - scaleDownCount);
  return current;
}

/**
 * After scaling `drain` down, pull `adjust` back within maxSurge without breaking maxUnavailable
 * (Argo's `adjustReplicaWithinLimits`). Returns [drainCount, adjustCount].
 */
function adjustWithinLimits(
  drain: ReplicaSetCounts | undefined,
  adjust: ReplicaSetCounts | undefined,
  drainCount: number,
  adjustCount: number,
  maxAllowed: number,
  minAvailable: number,
): [number, number] {
  if (adjust === undefined) return [drainCount, adjustCount];
  let available = drain === undefined ? 0 : Math.min(drain.availableReplicas, drainCount);
  let adjusted = adjustCount - Math.max(0, adjustCount + drainCount - maxAllowed);
  available += Math.min(adjust.availableReplicas, adjusted);
  const lostAvailability = Math.max(0, adjust.availableReplicas - adjusted);
  adjusted += Math.min(lostAvailability, Math.max(0, minAvailable - available));
  const overLimit = Math.max(0, adjusted + drainCount - maxAllowed);
  return [drainCount - overLimit, adjusted];
}

const sumReplicas = (sets: readonly ReplicaSetCounts[]): number => sets.reduce((n, rs) => n + rs.replicas, 0);

/**
 * The canary and stable ReplicaSet sizes to set on this reconcile for a basic canary: move towards
 * the target split, scaling up within maxSurge (stable first) and down within maxUnavailable (older
 * ReplicaSets first). Identical to Argo's `CalculateReplicaCountsForBasicCanary`.
 */
export function calculateBasicCanaryReplicas(input: BasicCanaryInput): CanaryReplicaCounts {
  const { replicas } = input;
  const older = input.older ?? [];
  const weight = input.promoteFull || input.newIsStable ? 100 : input.weight;
  const maxSurgeSpec = input.maxSurge ?? DEFAULT_MAX_SURGE;
  const maxUnavailableSpec = input.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE;
  const maxSurge = resolveMaxSurge(replicas, maxSurgeSpec, maxUnavailableSpec);
  const maxUnavailable = resolveMaxUnavailable(replicas, maxSurgeSpec, maxUnavailableSpec);

  // When the new ReplicaSet is the stable one Argo passes the same object twice; mirror that.
  const newRS = input.newIsStable ? (input.canary ?? input.stable) : input.canary;
  const stableRS = input.newIsStable ? newRS : input.stable;
  const scaleStable = stableRS !== undefined && !input.newIsStable;

  let { canary: desiredNew, stable: desiredStable } = desiredSplit({ replicas, weight, maxSurge });
  if (!scaleStable) {
    desiredNew = replicas;
    desiredStable = 0;
  }
  let newCount = newRS?.replicas ?? 0;
  let stableCount = scaleStable ? stableRS.replicas : 0;

  const maxAllowed = replicas + maxSurge;
  const current = sumReplicas(older) + (newRS?.replicas ?? 0) + (scaleStable ? stableRS.replicas : 0);
  let scaleUp = maxAllowed - current;

  if (scaleStable && stableRS.replicas < desiredStable && scaleUp > 0) {
    if (stableRS.replicas + scaleUp < desiredStable) {
      stableCount = stableRS.replicas + scaleUp;
      scaleUp = 0;
    } else {
      stableCount = desiredStable;
      scaleUp -= desiredStable - stableRS.replicas;
    }
  }
  if (newRS !== undefined && newRS.replicas < desiredNew && scaleUp > 0) {
    newCount = Math.min(newRS.replicas + scaleUp, desiredNew);
  }
  if (sumReplicas(older) > 0) return { canary: newCount, stable: stableCount };

  const minAvailable = replicas - maxUnavailable;
  const isIncreasing = newRS === undefined || desiredNew >= newRS.replicas;
  const toScaleDown =
    replicasForScaleDown(newRS, !isIncreasing) + replicasForScaleDown(stableRS, isIncreasing);
  if (toScaleDown <= minAvailable) return { canary: newCount, stable: stableCount };

  const scaleDownCount = toScaleDown - minAvailable;
  if (!isIncreasing) {
    newCount = scaleDownTowards(newRS, desiredNew, scaleDownCount, newCount);
    [newCount, stableCount] = adjustWithinLimits(
      newRS,
      stableRS,
      newCount,
      stableCount,
      maxAllowed,
      minAvailable,
    );
  } else if (scaleStable) {
    stableCount = scaleDownTowards(stableRS, desiredStable, scaleDownCount, stableCount);
    [stableCount, newCount] = adjustWithinLimits(
      stableRS,
      newRS,
      stableCount,
      newCount,
      maxAllowed,
      minAvailable,
    );
  }
  return { canary: newCount, stable: stableCount };
}
