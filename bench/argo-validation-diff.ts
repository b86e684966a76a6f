// Differential check of Rollout validation against Argo Rollouts' own Go code, on the traffic-routing
// part of the spec: random canaries (services, routers, managedRoutes, maxTrafficWeight,
// dynamicStableScale, ping-pong, setWeight / setCanaryScale / setHeaderRoute / setMirrorRoute /
// experiment steps and their combinations) go to a small Go oracle (bench/argo-validation/main.go,
// built against the published argo-rollouts module) and to `validateRollout`; the printed errors
// must be equal, in order. Needs Go; the oracle is built once into ~/.cache/slipway/bin. Not part
// of `npm test`. Prints figures and one final JSON line; exits 1 on any mismatch.
//
//   node --import tsx bench/argo-validation-diff.ts [--cases N] [--seed S] [--show K]
import { performance } from 'node:perf_hooks';
import { type Rollout, validateRollout } from '../src/rollouts/index.js';
import { formatValidationError } from '../src/rollouts/spec/validation.js';
import { seededChoices } from '../test/support/seeded-random.js';
import { ARGO_ROLLOUTS_VERSION, askOracle, ensureArgoOracle } from './support/argo-oracle.js';
import { numberOption } from './support/number-option.js';

const totalCases = numberOption('--cases', 50_000);
const showMismatches = numberOption('--show', 5);
const seed = numberOption('--seed', 20261206) >>> 0;
const BATCH = 5_000;

const { int, chance, pick } = seededChoices(seed);
const some = <T>(n: number, make: () => T): T[] => Array.from({ length: int(n + 1) }, make);

// ---- random specs ----------------------------------------------------------------------------

const stringMatch = (): Record<string, string> | undefined => {
  if (chance(0.1)) return undefined;
  const m: Record<string, string> = {};
  for (const key of ['exact', 'prefix', 'regex']) if (chance(0.45)) m[key] = chance(0.1) ? '' : 'v';
  return m;
};
const routeName = () => pick(['header', 'mirror', 'other', '']);

function randomStep(): Record<string, unknown> {
  const step: Record<string, unknown> = {};
  const actions = chance(0.15) ? 0 : chance(0.8) ? 1 : 2;
  for (let i = 0; i < actions; i++) {
    switch (int(8)) {
      case 0:
        step.setWeight = pick([0, 10, 50, 100, 101, 500, 1000, 1001, -1]);
        break;
      case 1:
        step.pause = chance(0.5) ? {} : { duration: pick(['10s', '1m', 5]) };
        break;
      case 2:
        step.setCanaryScale = pick([{ replicas: 2 }, { weight: 30 }, { matchTrafficWeight: true }]);
        break;
      case 3:
      case 4:
        step.setHeaderRoute = {
          ...(chance(0.9) && { name: routeName() }),
          ...(chance(0.8) && {
            match: some(2, () => ({
              headerName: 'x-canary',
              ...((v) => (v ? { headerValue: v } : {}))(stringMatch()),
            })),
          }),
        };
        break;
      case 5:
        step.setMirrorRoute = {
          name: routeName(),
          ...(chance(0.5) && { percentage: 20 }),
          ...(chance(0.7) && {
            match: some(2, () => {
              const m: Record<string, unknown> = {};
              const method = stringMatch();
              const path = stringMatch();
              if (method && chance(0.6)) m.method = method;
              if (path && chance(0.6)) m.path = path;
              return m;
            }),
          }),
        };
        break;
      case 6:
        step.experiment = {
          templates: some(2, () => ({ name: 't', specRef: 'canary', ...(chance(0.6) && { weight: 10 }) })),
        };
        break;
      default:
        step.analysis = { templates: [{ templateName: 'success' }] };
    }
  }
  return step;
}

function randomRouting(): Record<string, unknown> | undefined {
  if (chance(0.15)) return undefined;
  const routing: Record<string, unknown> = {};
  const routers = 1 + (chance(0.15) ? 1 : 0);
  for (let i = 0; i < routers; i++) {
    switch (int(6)) {
      case 0:
        routing.istio = pick([
          { virtualService: { name: 'vs', routes: ['primary'] } },
          { virtualServices: [{ name: 'a' }, { name: 'b' }] },
          { virtualService: { name: 'vs' }, virtualServices: [{ name: 'b' }] },
          { destinationRule: { name: 'dr', canarySubsetName: 'c', stableSubsetName: 's' } },
          {
            virtualService: { name: 'vs' },
            destinationRule: { name: 'dr', canarySubsetName: 'c', stableSubsetName: 's' },
          },
        ]);
        break;
      case 1:
        routing.nginx = pick([
          { stableIngress: 'web' },
          { stableIngresses: ['a'] },
          {},
          { stableIngress: 'a', stableIngresses: ['b'] },
        ]);
        break;
      case 2:
        routing.smi = pick([{}, { rootService: 'root', trafficSplitName: 'split' }]);
        break;
      case 3:
        routing.alb = pick([
          { ingress: 'web' },
          { ingresses: ['a'] },
          {},
          { ingress: 'web', rootService: 'root' },
        ]);
        break;
      case 4:
        routing.plugins = pick([{ 'argoproj-labs/gatewayAPI': { httpRoute: 'r' } }, { 'acme/router': {} }]);
        break;
      default:
        routing.apisix = { route: { name: 'r' } };
    }
  }
  if (chance(0.5))
    routing.managedRoutes = pick([[], [{ name: 'header' }], [{ name: 'header' }, { name: 'mirror' }]]);
  if (chance(0.2)) routing.maxTrafficWeight = pick([1000, 100, 10]);
  return routing;
}

function randomRollout(): Rollout {
  const canary: Record<string, unknown> = { steps: some(4, randomStep) };
  if (chance(0.7)) canary.canaryService = 'web-canary';
  if (chance(0.7)) canary.stableService = chance(0.1) ? 'web-canary' : 'web-stable';
  const routing = randomRouting();
  if (routing) canary.trafficRouting = routing;
  if (chance(0.2)) canary.dynamicStableScale = true;
  if (chance(0.15)) canary.scaleDownDelaySeconds = 30;
  if (chance(0.1))
    canary.pingPong = pick([
      { pingService: 'ping', pongService: 'pong' },
      { pingService: 'ping', pongService: 'ping' },
      { pingService: 'ping', pongService: '' },
    ]);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'argoproj/rollouts-demo:blue' }] },
      },
      strategy: { canary },
    },
  } as unknown as Rollout;
}

// ---- comparison ------------------------------------------------------------------------------

const started = performance.now();
const oracle = await ensureArgoOracle('argo-validation', 'the Argo Rollouts validation oracle');
const built = performance.now();
let matched = 0;
let compared = 0;
let oracleErrors = 0;
let invalidCases = 0;
const mismatches: unknown[] = [];
for (let done = 0; done < totalCases; done += BATCH) {
  const cases = Array.from({ length: Math.min(BATCH, totalCases - done) }, randomRollout);
  const answers = askOracle<{ errors?: string[]; error?: string }>(oracle, cases);
  cases.forEach((rollout, i) => {
    const argo = answers[i];
    if (argo?.error !== undefined || argo?.errors === undefined) {
      oracleErrors += 1;
      return;
    }
    compared += 1;
    const ours = validateRollout(rollout).map((e) => formatValidationError(e, { argoPath: true }));
    if (argo.errors.length > 0) invalidCases += 1;
    if (JSON.stringify(ours) === JSON.stringify(argo.errors)) matched += 1;
    else if (mismatches.length < showMismatches) {
      mismatches.push({ canary: rollout.spec?.strategy?.canary, argo: argo.errors, slipway: ours });
    }
  });
}
const finished = performance.now();
for (const m of mismatches) console.log('MISMATCH', JSON.stringify(m));
console.log(`argo-rollouts ${ARGO_ROLLOUTS_VERSION} validation oracle: ${oracle}`);
console.log(
  `cases: ${totalCases}, compared: ${compared} (${invalidCases} invalid for Argo), oracle errors: ${oracleErrors}`,
);
console.log(`validateRollout errors equal to Argo's, in order: ${matched}/${compared}`);
console.log(
  `oracle build/check: ${((built - started) / 1000).toFixed(1)} s, comparison: ${((finished - built) / 1000).toFixed(1)} s`,
);
console.log(
  JSON.stringify({
    bench: 'argo-validation-diff',
    argoRollouts: ARGO_ROLLOUTS_VERSION,
    seed: numberOption('--seed', 20261206),
    cases: totalCases,
    compared,
    invalidCases,
    matched,
    oracleErrors,
  }),
);
process.exit(matched === compared && oracleErrors === 0 ? 0 : 1);
