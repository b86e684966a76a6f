/**
 * The canary weight on one route (the plugin's `set{HTTP,GRPC,TCP,TLS}RouteWeight`). Pure.
 *
 * - HTTPRoute / GRPCRoute: on every rule except the managed header rules, the backendRef naming the canary
 *   Service gets `desiredWeight` and the one naming the stable Service the rest; both must be found on
 *   some rule. HTTPRoutes then get the experiment backends (`plan-experiment.ts`).
 * - TCPRoute / TLSRoute: every backendRef naming the canary / stable Service on any rule.
 * - the in-progress label is set while the weight is above 0 and removed at 0.
 *
 * The rest is `maxTrafficWeight - desiredWeight` (the plugin writes `100 - desiredWeight`, which is the same
 * unless `maxTrafficWeight` is set, where the plugin would write a negative stable weight).
 */
import { GatewayApiMessages } from './errors.js';
import { isManagedRule } from './managed-rules.js';
import { type ExperimentInput, planExperimentBackends } from './plan-experiment.js';
import type { BackendRef, RouteKind, RouteObject, RouteRule } from './route-shapes.js';

export interface WeightInput {
  readonly kind: RouteKind;
  readonly canaryService: string;
  readonly stableService: string;
  readonly desiredWeight: number;
  /** `trafficRouting.maxTrafficWeight`, default 100. */
  readonly maxWeight: number;
  readonly managedNames: ReadonlySet<string>;
  readonly inProgressLabel: { readonly key: string; readonly value: string } | undefined;
  /** HTTPRoutes only. */
  readonly experiment?: Omit<ExperimentInput, 'canaryService' | 'stableService'>;
}

export type PlanResult =
  | { readonly ok: true; readonly route: RouteObject; readonly changed: boolean }
  | { readonly ok: false; readonly error: string };

export function planWeight(route: RouteObject, input: WeightInput): PlanResult {
  const rules = route.spec?.rules ?? [];
  const weighted =
    input.kind === 'http' || input.kind === 'grpc'
      ? weightRuleBackends(rules, input)
      : weightAllBackends(rules, input);
  if (weighted === undefined) return { ok: false, error: GatewayApiMessages.backendRefNotFound[input.kind] };
  const withExperiment =
    input.kind === 'http' && input.experiment
      ? planExperimentBackends(weighted, {
          ...input.experiment,
          canaryService: input.canaryService,
          stableService: input.stableService,
        })
      : weighted;
  const next: RouteObject = {
    ...route,
    metadata: withInProgressLabel(route.metadata, input.desiredWeight, input.inProgressLabel),
    spec: { ...route.spec, rules: withExperiment },
  };
  return { ok: true, route: next, changed: JSON.stringify(next) !== JSON.stringify(route) };
}

function setWeights(
  refs: readonly BackendRef[],
  input: WeightInput,
  found: { canary: boolean; stable: boolean },
): BackendRef[] {
  const rest = input.maxWeight - input.desiredWeight;
  return refs.map((b) => {
    if (b.name === input.canaryService) {
      found.canary = true;
      return { ...b, weight: input.desiredWeight };
    }
    if (b.name === input.stableService) {
      found.stable = true;
      return { ...b, weight: rest };
    }
    return b;
  });
}

function weightRuleBackends(rules: readonly RouteRule[], input: WeightInput): RouteRule[] | undefined {
  const found = { canary: false, stable: false };
  const next = rules.map((rule) => {
    if (isManagedRule(rule, input.managedNames, input.canaryService)) return rule;
    if (rule.backendRefs === undefined) return rule;
    return { ...rule, backendRefs: setWeights(rule.backendRefs, input, found) };
  });
  return found.canary && found.stable ? next : undefined;
}

function weightAllBackends(rules: readonly RouteRule[], input: WeightInput): RouteRule[] | undefined {
  const found = { canary: false, stable: false };
  const next = rules.map((rule) =>
    rule.backendRefs === undefined
      ? rule
      : { ...rule, backendRefs: setWeights(rule.backendRefs, input, found) },
  );
  return found.canary && found.stable ? next : undefined;
}

function withInProgressLabel(
  metadata: RouteObject['metadata'],
  desiredWeight: number,
  label: WeightInput['inProgressLabel'],
): RouteObject['metadata'] {
  if (label === undefined) return metadata;
  const labels = metadata.labels ?? {};
  if (desiredWeight === 0) {
    if (!Object.hasOwn(labels, label.key)) return metadata;
    const { [label.key]: _removed, ...rest } = labels;
    return { ...metadata, labels: rest };
  }
  if (labels[label.key] === label.value) return metadata;
  return { ...metadata, labels: { ...labels, [label.key]: label.value } };
}
