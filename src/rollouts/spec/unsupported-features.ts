/**
 * Fields that Argo Rollouts accepts but Slipway cannot run yet. Each one is reported as InvalidSpec
 * naming the field (Kubernetes' `field: Unsupported value: ...` wording) instead of being ignored
 * or stalling the Rollout until its progress deadline. Pure; checked after Argo's own validation, so a
 * spec Argo rejects keeps Argo's message.
 */
import { routerFactoriesFor } from '../traffic/registry.js';
import type { CanaryStep, Rollout } from '../types.js';

/** Canary step actions Slipway does not execute, with why. */
const UNSUPPORTED_STEPS = {
  experiment: 'Slipway cannot run experiment steps yet (no Experiment controller)',
  plugin: 'Slipway cannot run step plugins',
} as const satisfies Partial<Record<keyof CanaryStep, string>>;

const unsupported = (field: string, why: string) => `${field}: Unsupported value: ${why}`;

function firstUnsupportedStep(steps: readonly CanaryStep[]): string | undefined {
  for (const [i, step] of steps.entries()) {
    for (const [action, why] of Object.entries(UNSUPPORTED_STEPS)) {
      const value = step[action as keyof typeof UNSUPPORTED_STEPS];
      if (value !== undefined && value !== null)
        return unsupported(`spec.strategy.canary.steps[${i}].${action}`, why);
    }
  }
  return undefined;
}

/** The first feature of the spec Slipway cannot run, as an InvalidSpec error text; undefined if none. */
export function unsupportedFeature(rollout: Rollout): string | undefined {
  const spec = rollout.spec ?? {};
  if (spec.strategy?.blueGreen !== undefined)
    return unsupported('spec.strategy.blueGreen', 'Slipway runs the canary strategy only');
  const canary = spec.strategy?.canary;
  if (canary === undefined)
    return 'spec.strategy.canary: Required value: Slipway runs the canary strategy only';
  if (spec.workloadRef !== undefined) return unsupported('spec.workloadRef', 'use spec.template');
  const routing = canary.trafficRouting;
  if (routing !== undefined) {
    // a registered router runs it (its own validation first); anything else is refused, naming the router
    const factories = routerFactoriesFor(rollout);
    if (factories.length === 0) {
      const router = Object.keys(routing).find((k) => k !== 'maxTrafficWeight' && k !== 'managedRoutes');
      const field = `spec.strategy.canary.trafficRouting${router === undefined ? '' : `.${router}`}`;
      return unsupported(field, 'traffic routing is not supported yet');
    }
    const keys = new Set(factories.map((f) => f.key));
    const configured = Object.entries(routing).flatMap(([key, value]) =>
      key === 'maxTrafficWeight' || key === 'managedRoutes'
        ? []
        : key === 'plugins'
          ? Object.keys((value ?? {}) as object).map((name) => ({ key: name, field: `plugins.${name}` }))
          : [{ key, field: key }],
    );
    const other = configured.find((c) => !keys.has(c.key));
    if (other !== undefined)
      return unsupported(
        `spec.strategy.canary.trafficRouting.${other.field}`,
        'traffic routing is not supported yet',
      );
    for (const factory of factories) {
      const [problem] = factory.validate(rollout);
      if (problem !== undefined) return problem;
    }
  }
  return firstUnsupportedStep(canary.steps ?? []);
}
