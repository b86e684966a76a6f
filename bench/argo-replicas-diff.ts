// Differential check of the traffic-routed canary replica math against Argo Rollouts' own Go code.
// Random Rollouts (steps, current step, abort, promoteFull, setCanaryScale, dynamicStableScale,
// maxTrafficWeight, minPodsPerReplicaSet, status.canary.weights, ReplicaSets) go to a small Go oracle
// (test/support/go-reference/replicas/main.go) built against the published argo-rollouts module and to Slipway's
// functions; every answer must be equal. 30 % of the cases are basic canaries (no traffic router,
// random maxSurge/maxUnavailable, older ReplicaSets), compared with the controller's own basic path
// (canary/scaling.ts targetReplicas with decide's weight). Needs Go; the oracle is built once into ~/.cache/slipway/bin.
// Then as many cases again in the plain functions' own input domain (calculateBasicCanaryReplicas,
// calculateTrafficRoutedCanaryReplicas: the generator of test/unit/rollouts/replicas-differential.test.ts,
// which runs 12,000 of each kind in `npm test`). Prints figures and one final JSON line; exits 1 on any mismatch.
//
//   node --import tsx bench/argo-replicas-diff.ts [--cases N] [--seed S] [--show K]
import { performance } from 'node:perf_hooks';
// Internal on purpose: the basic canary's sizes exactly as the controller computes them.
import { targetReplicas } from '../src/rollouts/canary/scaling.js';
import {
  calculateTrafficRoutedCanaryReplicas,
  canaryReplicasOrWeight,
  currentSetWeight,
  desiredCanaryScale,
  type ReplicaSet,
  type Rollout,
  trafficRoutedReplicaInput,
} from '../src/rollouts/index.js';
import { replicaCases } from '../test/support/go-reference/replicas/generate.js';
import {
  askReference,
  disagreement,
  referenceBinary,
} from '../test/support/go-reference/replicas/reference.js';
import { seededChoices } from '../test/support/seeded-random.js';
import { ARGO_ROLLOUTS_VERSION, askOracle } from './support/argo-oracle.js';
import { numberOption } from './support/number-option.js';

const totalCases = numberOption('--cases', 100_000);
const showMismatches = numberOption('--show', 5);
const seed = numberOption('--seed', 20261206) >>> 0;
const BATCH = 10_000;

const { int, chance, pick } = seededChoices(seed);

// ---- random inputs ---------------------------------------------------------------------------

interface Case {
  readonly rollout: Rollout;
  readonly newRS: ReplicaSet | null;
  readonly stableRS: ReplicaSet | null;
  /** Basic (no trafficRouting) cases only. */
  readonly olderRSs: ReplicaSet[];
  readonly weights: { canary: { weight: number }; stable: { weight: number } } | null;
}

const weightUpTo = (max: number): number => (chance(0.1) ? pick([0, max]) : int(max + 1));

function randomStep(maxWeight: number): Record<string, unknown> {
  const scale = () => {
    const s: Record<string, unknown> = {};
    if (chance(0.5)) s.replicas = int(15);
    if (chance(0.5)) s.weight = chance(0.1) ? int(3 * maxWeight) : weightUpTo(maxWeight);
    if (chance(0.25)) s.matchTrafficWeight = true;
    return s;
  };
  switch (int(6)) {
    case 0:
    case 1:
      return { setWeight: weightUpTo(maxWeight) };
    case 2:
      return { pause: chance(0.5) ? {} : { duration: '1m' } };
    case 3:
      return { setCanaryScale: scale() };
    case 4:
      // Argo's own fixtures put both on one step.
      return { setWeight: weightUpTo(maxWeight), setCanaryScale: scale() };
    default:
      return { setHeaderRoute: { name: 'header' }, ...(chance(0.3) && { setCanaryScale: scale() }) };
  }
}

function randomReplicaSet(name: string, replicas: number): ReplicaSet | null {
  if (chance(0.2)) return null;
  const spec = chance(0.7) ? int(replicas + 3) : int(40);
  const available = chance(0.6) ? spec : int(spec + 3);
  return {
    metadata: { name },
    spec: { replicas: spec },
    status: { availableReplicas: available },
  } as ReplicaSet;
}

const intOrPercent = (): number | string =>
  chance(0.5) ? int(5) : pick(['0%', '10%', '25%', '50%', '100%', `${int(101)}%`]);

/** A basic canary (no traffic router) as the controller sees it: the new ReplicaSet is the stable one when their hashes match. */
function randomBasicCase(): Case {
  const replicas = chance(0.8) ? int(21) : int(300);
  const steps = Array.from({ length: int(7) }, () => randomStep(100));
  const canary: Record<string, unknown> = { steps };
  if (chance(0.7)) canary.maxSurge = intOrPercent();
  if (chance(0.7)) canary.maxUnavailable = intOrPercent();
  const status: Record<string, unknown> = {
    stableRS: pick(['stable', 'stable', 'stable', '']),
    currentPodHash: pick(['canary', 'canary', 'canary', 'stable']),
  };
  if (chance(0.8)) status.currentStepIndex = int(steps.length + 2);
  if (chance(0.3)) status.abort = true;
  if (chance(0.15)) status.promoteFull = true;
  const rollout = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, strategy: { canary } },
    status,
  } as unknown as Rollout;
  const newRS = randomReplicaSet('canary', replicas);
  const stableRS = status.currentPodHash === status.stableRS ? newRS : randomReplicaSet('stable', replicas);
  const olderRSs = Array.from({ length: chance(0.6) ? 0 : 1 + int(2) }, (_, i) =>
    randomReplicaSet(`older${i}`, replicas),
  ).filter((rs): rs is ReplicaSet => rs !== null);
  return { rollout, newRS, stableRS, olderRSs, weights: null };
}

function randomCase(): Case {
  if (chance(0.3)) return randomBasicCase();
  const replicas = chance(0.8) ? int(21) : int(300);
  const maxTrafficWeight = chance(0.6) ? undefined : pick([100, 1000, 10, 7, 1 + int(2000)]);
  const maxWeight = maxTrafficWeight ?? 100;
  const steps = Array.from({ length: int(7) }, () => randomStep(maxWeight));
  const canary: Record<string, unknown> = {
    canaryService: 'canary',
    stableService: 'stable',
    trafficRouting: {
      ...(maxTrafficWeight === undefined
        ? { istio: { virtualService: { name: 'vs' } } }
        : { nginx: { stableIngress: 'web' }, maxTrafficWeight }),
      managedRoutes: [{ name: 'header' }],
    },
    steps,
  };
  if (chance(0.5)) canary.dynamicStableScale = true;
  if (chance(0.5)) canary.abortScaleDownDelaySeconds = pick([0, 0, 30, 5, 600]);
  if (chance(0.3)) canary.minPodsPerReplicaSet = int(6);
  const status: Record<string, unknown> = {
    stableRS: pick(['stable', 'stable', 'stable', '']),
    currentPodHash: pick(['canary', 'canary', 'canary', 'stable']),
  };
  if (chance(0.8)) status.currentStepIndex = int(steps.length + 2);
  if (chance(0.4)) status.abort = true;
  if (chance(0.15)) status.promoteFull = true;
  let weights: Case['weights'] = null;
  if (chance(0.7)) {
    const canaryWeight = weightUpTo(maxWeight);
    const stableWeight = chance(0.8) ? maxWeight - canaryWeight : weightUpTo(maxWeight);
    weights = { canary: { weight: canaryWeight }, stable: { weight: stableWeight } };
    status.canary = { weights };
  }
  const rollout = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, strategy: { canary } },
    status,
  } as unknown as Rollout;
  return {
    rollout,
    newRS: randomReplicaSet('canary', replicas),
    stableRS: randomReplicaSet('stable', replicas),
    olderRSs: [],
    weights,
  };
}

// ---- comparison ------------------------------------------------------------------------------

interface OracleAnswer {
  readonly canary?: number;
  readonly stable?: number;
  readonly basicCanary?: number;
  readonly basicStable?: number;
  readonly setWeight: number;
  readonly scaleReplicas?: number;
  readonly scaleWeight: number;
  readonly error?: string;
}

/** What the controller targets for a basic canary (canary/scaling.ts, with decide's weight). */
function slipwayBasicAnswer(c: Case) {
  const sets = {
    ...(c.newRS && { newRS: c.newRS }),
    ...(c.stableRS && { stableRS: c.stableRS }),
    olderRSs: c.olderRSs,
  };
  const weight = desiredCanaryScale(c.rollout).weight;
  const counts = targetReplicas(c.rollout, sets, weight, c.rollout.status?.promoteFull === true);
  return { basicCanary: counts.canary, basicStable: counts.stable, setWeight: currentSetWeight(c.rollout) };
}

function slipwayAnswer(c: Case) {
  const sets = { ...(c.newRS && { newRS: c.newRS }), ...(c.stableRS && { stableRS: c.stableRS }) };
  const input = trafficRoutedReplicaInput(c.rollout, sets);
  const counts = calculateTrafficRoutedCanaryReplicas(input);
  const scale = canaryReplicasOrWeight(input);
  return {
    canary: counts.canary,
    stable: counts.stable,
    setWeight: currentSetWeight(c.rollout),
    scaleReplicas: scale.replicas,
    scaleWeight: scale.weight,
  };
}

const started = performance.now();
const reference = referenceBinary();
if (reference.path === undefined) {
  console.error(`argo-replicas-diff: ${reference.skip}`);
  process.exit(1);
}
const oracle = reference.path;
const built = performance.now();
let matched = 0;
let compared = 0;
let oracleErrors = 0;
let basicMatched = 0;
let basicCompared = 0;
let stepsModelMatched = 0;
let stepsModelCompared = 0;
const mismatches: unknown[] = [];
for (let done = 0; done < totalCases; done += BATCH) {
  const cases = Array.from({ length: Math.min(BATCH, totalCases - done) }, randomCase);
  const answers = askOracle<OracleAnswer>(oracle, cases);
  cases.forEach((c, i) => {
    const argo = answers[i] as OracleAnswer;
    if (argo.error !== undefined) {
      oracleErrors += 1;
      return;
    }
    if (c.rollout.spec?.strategy?.canary?.trafficRouting === undefined) {
      basicCompared += 1;
      const ours = slipwayBasicAnswer(c);
      if (
        ours.basicCanary === argo.basicCanary &&
        ours.basicStable === argo.basicStable &&
        ours.setWeight === argo.setWeight
      ) {
        basicMatched += 1;
      } else if (mismatches.length < showMismatches) {
        mismatches.push({ case: c, argo, slipway: ours });
      }
      return;
    }
    compared += 1;
    const ours = slipwayAnswer(c);
    const same =
      ours.canary === argo.canary &&
      ours.stable === argo.stable &&
      ours.setWeight === argo.setWeight &&
      ours.scaleReplicas === argo.scaleReplicas &&
      ours.scaleWeight === argo.scaleWeight;
    if (same) matched += 1;
    else if (mismatches.length < showMismatches) mismatches.push({ case: c, argo, slipway: ours });
    // canary/steps.ts' desiredCanaryScale (status projection) has no ReplicaSets, so no aborted
    // dynamicStableScale step-down: compared where that path is not taken.
    const canary = c.rollout.spec?.strategy?.canary;
    if (!(c.rollout.status?.abort && canary?.dynamicStableScale && c.newRS && c.stableRS)) {
      stepsModelCompared += 1;
      const projected = desiredCanaryScale(c.rollout);
      if (projected.weight === argo.scaleWeight && projected.replicas === argo.scaleReplicas) {
        stepsModelMatched += 1;
      } else if (mismatches.length < showMismatches) {
        mismatches.push({ case: c, argo, desiredCanaryScale: projected });
      }
    }
  });
}
// The plain functions on their own inputs, one seed per batch.
let plainCompared = 0;
let plainMatched = 0;
for (let done = 0; done < totalCases; done += BATCH) {
  const cases = replicaCases(seed + done, Math.ceil(Math.min(BATCH, totalCases - done) / 2));
  const answers = askReference(oracle, cases);
  cases.forEach((c, i) => {
    plainCompared += 1;
    const why = disagreement(c, answers[i] ?? { setWeight: 0, scaleWeight: 0, error: 'no answer' });
    if (why === undefined) plainMatched += 1;
    else if (mismatches.length < showMismatches) mismatches.push({ input: c.input, why });
  });
}
const finished = performance.now();
for (const m of mismatches) console.log('MISMATCH', JSON.stringify(m));
console.log(`argo-rollouts ${ARGO_ROLLOUTS_VERSION} oracle: ${oracle}`);
console.log(
  `cases: ${totalCases} (traffic-routed ${compared}, basic ${basicCompared}), oracle errors: ${oracleErrors}`,
);
console.log(
  `calculateTrafficRoutedCanaryReplicas + canaryReplicasOrWeight + currentSetWeight: ${matched}/${compared} matched`,
);
console.log(`basic canary (targetReplicas with decide's weight): ${basicMatched}/${basicCompared} matched`);
console.log(
  `desiredCanaryScale (no aborted dynamic step-down): ${stepsModelMatched}/${stepsModelCompared} matched`,
);
console.log(
  `calculateBasicCanaryReplicas / calculateTrafficRoutedCanaryReplicas on plain inputs: ${plainMatched}/${plainCompared} matched`,
);
console.log(
  `oracle build/check: ${((built - started) / 1000).toFixed(1)} s, comparison: ${((finished - built) / 1000).toFixed(1)} s`,
);
console.log(
  JSON.stringify({
    bench: 'argo-replicas-diff',
    argoRollouts: ARGO_ROLLOUTS_VERSION,
    seed: numberOption('--seed', 20261206),
    cases: totalCases,
    compared,
    matched,
    oracleErrors,
    stepsModelCompared,
    stepsModelMatched,
    basicCompared,
    basicMatched,
    plainCompared,
    plainMatched,
  }),
);
process.exit(
  matched === compared &&
    basicMatched === basicCompared &&
    stepsModelMatched === stepsModelCompared &&
    plainMatched === plainCompared &&
    oracleErrors === 0
    ? 0
    : 1,
);
