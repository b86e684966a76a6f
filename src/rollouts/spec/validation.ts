/**
 * Spec validation for the InvalidSpec condition, following Argo Rollouts'
 * pkg/apis/rollouts/validation/validation.go (messages are Argo's where Argo has one). Field paths
 * are the real JSON paths (`spec.strategy.canary.steps[2].pause.duration`); `argoField` carries the
 * path Argo prints, which leaves out `.canary`, so formatted messages can match upstream exactly.
 */
import { matchesMetaLabelSelector } from '../../kube/index.js';
import { scaleIntOrPercent } from '../replicas.js';
import { formatMessage } from '../status/conditions.js';
import type { CanaryStep, CanaryStrategy, LabelSelector, Rollout } from '../types.js';
import { pauseDurationSeconds } from './duration.js';
import {
  requiresCanaryStableServices,
  routerConfigError,
  TrafficValidationMessage,
  validatePingPong,
  validateStepTraffic,
} from './traffic-validation.js';
import {
  formatValidationError,
  internalError,
  invalid,
  invalidAt,
  required,
  requiredAt,
  type ValidationError,
} from './validation-error.js';
import { isEmptyTemplate, WorkloadRefMessage } from './workload-ref.js';

export { formatValidationError, type ValidationError } from './validation-error.js';

export const ValidationMessage = {
  InvalidSetWeight: (maxWeight: number) => `SetWeight needs to be between 0 and ${maxWeight}`,
  InvalidSetCanaryScaleTrafficPolicy: 'SetCanaryScale requires TrafficRouting to be set',
  InvalidSetHeaderRouteTrafficPolicy: TrafficValidationMessage.InvalidSetHeaderRouteTrafficPolicy,
  InvalidSetMirrorRouteTrafficPolicy: TrafficValidationMessage.InvalidSetMirrorRouteTrafficPolicy,
  InvalidDuration: 'Duration needs to be greater than 0',
  InvalidMaxSurgeMaxUnavailable: 'MaxSurge and MaxUnavailable both can not be zero',
  InvalidStep:
    'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
  InvalidStrategy: 'Multiple Strategies can not be listed',
  DuplicatedServicesBlueGreen:
    'This rollout uses the same service for the active and preview services, but two different services are required.',
  DuplicatedServicesCanary:
    'This rollout uses the same service for the stable and canary services, but two different services are required.',
  InvalidTrafficRouting: 'Canary service and Stable service must to be set to use Traffic Routing',
  InvalidAnalysisArgs: 'Analyses arguments must refer to valid object metadata supported by downwardAPI',
  InvalidCanaryScaleDownDelay: 'Canary scaleDownDelaySeconds can only be used with traffic routing',
  InvalidCanaryDynamicStableScale: 'Canary dynamicStableScale can only be used with traffic routing',
  InvalidCanaryDynamicStableScaleWithScaleDownDelay:
    'Canary dynamicStableScale cannot be used with scaleDownDelaySeconds',
  InvalidCanaryMaxWeight: 'Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins',
  StepRouteNotInManagedRoutes: TrafficValidationMessage.StepRouteNotInManagedRoutes,
  EmptySelector: 'empty selector is invalid for deployment',
  InvalidSelector: 'invalid label selector',
  SelectorMismatch: '`selector` does not match template `labels`',
  NonNegative: 'must be greater than or equal to 0',
  DeadlineNotAboveMinReady: 'must be greater than minReadySeconds',
  /** Slipway only: Argo silently resolves an unparseable maxSurge/maxUnavailable to 0. */
  InvalidIntOrPercent: 'must be an integer or a percentage such as "25%"',
} as const;

/** Argo's InvalidSpec condition message for the first validation error. */
export function invalidSpecMessage(rolloutName: string, error: ValidationError): string {
  return formatMessage.invalidSpec(rolloutName, formatValidationError(error, { argoPath: true }));
}

function selectorProblem(selector: LabelSelector): boolean {
  return (selector.matchExpressions ?? []).some((e) => {
    const values = e.values ?? [];
    if (e.operator === 'In' || e.operator === 'NotIn') return values.length === 0;
    if (e.operator === 'Exists' || e.operator === 'DoesNotExist') return values.length > 0;
    return true;
  });
}

const FIELD_REF = /^metadata\.(name|namespace|uid|labels|annotations)(\['[^']*'\])?$/;
const isMetadataPathValid = (path: string): boolean => {
  const match = FIELD_REF.exec(path);
  return match !== null && (match[2] === undefined || match[1] === 'labels' || match[1] === 'annotations');
};

/** Argo's `hasMultipleStepsType` (setWeight, pause, experiment, analysis) and its empty-step check. */
function stepShapeErrors(step: CanaryStep, paths: readonly [string, string]): ValidationError[] {
  const has = (value: unknown) => value !== undefined && value !== null;
  const errors: ValidationError[] = [];
  const exclusive = [step.setWeight, step.pause, step.experiment, step.analysis].filter(has).length;
  if (exclusive > 1) {
    const value = `step.Experiment: ${has(step.experiment)} step.Pause: ${has(step.pause)} step.SetWeight: ${has(step.setWeight)} step.Analysis: ${has(step.analysis)}`;
    errors.push(invalidAt(paths, value, ValidationMessage.InvalidStep));
  }
  const actions = [
    step.experiment,
    step.pause,
    step.setWeight,
    step.analysis,
    step.setCanaryScale,
    step.setHeaderRoute,
    step.setMirrorRoute,
    step.plugin,
  ];
  if (!actions.some(has)) {
    const value =
      'step.Experiment: true step.Pause: true step.SetWeight: true step.Analysis: true step.SetCanaryScale: true step.SetHeaderRoute: true step.SetMirrorRoute: true step.Plugin: true';
    errors.push(invalidAt(paths, value, ValidationMessage.InvalidStep));
  }
  return errors;
}

function validateCanary(canary: CanaryStrategy, replicas: number): ValidationError[] {
  const errors: ValidationError[] = [];
  const at = (path: string) => [`spec.strategy.canary.${path}`, `spec.strategy.${path}`] as const;
  const tr = canary.trafficRouting as (Record<string, unknown> & { maxTrafficWeight?: number }) | undefined;

  const surge = canary.maxSurge ?? '25%';
  const unavailable = canary.maxUnavailable ?? '25%';
  for (const [name, value] of [
    ['maxSurge', surge],
    ['maxUnavailable', unavailable],
  ] as const) {
    if (scaleIntOrPercent(value, replicas, true) === undefined) {
      errors.push(invalidAt(at(name), value, ValidationMessage.InvalidIntOrPercent));
    }
  }
  if (argoIntOrPercent(surge) === 0 && argoIntOrPercent(unavailable) === 0) {
    errors.push(invalidAt(at('maxSurge'), canary.maxSurge, ValidationMessage.InvalidMaxSurgeMaxUnavailable));
  }
  if (canary.canaryService && canary.stableService && canary.canaryService === canary.stableService) {
    errors.push(
      invalidAt(at('stableService'), canary.stableService, ValidationMessage.DuplicatedServicesCanary),
    );
  }
  errors.push(...validatePingPong(canary, at));
  if (requiresCanaryStableServices(canary)) {
    for (const name of ['stableService', 'canaryService'] as const) {
      if (!canary[name])
        errors.push(invalidAt(at(name), canary[name] ?? '', ValidationMessage.InvalidTrafficRouting));
    }
  }
  if (tr === undefined) {
    if (canary.scaleDownDelaySeconds !== undefined) {
      errors.push(
        invalidAt(
          at('scaleDownDelaySeconds'),
          canary.scaleDownDelaySeconds,
          ValidationMessage.InvalidCanaryScaleDownDelay,
        ),
      );
    }
    if (canary.dynamicStableScale) {
      errors.push(
        invalidAt(at('dynamicStableScale'), true, ValidationMessage.InvalidCanaryDynamicStableScale),
      );
    }
  } else {
    if (canary.scaleDownDelaySeconds !== undefined && canary.dynamicStableScale) {
      errors.push(
        invalidAt(
          at('dynamicStableScale'),
          true,
          ValidationMessage.InvalidCanaryDynamicStableScaleWithScaleDownDelay,
        ),
      );
    }
    const plugins = tr.plugins as Record<string, unknown> | undefined;
    if (
      tr.maxTrafficWeight !== undefined &&
      tr.nginx === undefined &&
      Object.keys(plugins ?? {}).length === 0
    ) {
      errors.push(
        invalidAt(
          at('trafficRouting.maxTrafficWeight'),
          tr.maxTrafficWeight,
          ValidationMessage.InvalidCanaryMaxWeight,
        ),
      );
    }
  }
  const maxWeight = tr?.maxTrafficWeight ?? 100;
  (canary.steps ?? []).forEach((step, i) => {
    const stepPaths = at(`steps[${i}]`);
    const [stepPath, argoStepPath] = stepPaths;
    const sub = (name: string) => [`${stepPath}.${name}`, `${argoStepPath}.${name}`] as const;
    errors.push(...stepShapeErrors(step, stepPaths));
    if (step.setWeight != null && (step.setWeight < 0 || step.setWeight > maxWeight)) {
      errors.push(invalidAt(sub('setWeight'), step.setWeight, ValidationMessage.InvalidSetWeight(maxWeight)));
    }
    if (step.pause != null && pauseDurationSeconds(step.pause) < 0) {
      errors.push(
        invalidAt(sub('pause.duration'), pauseDurationSeconds(step.pause), ValidationMessage.InvalidDuration),
      );
    }
    if (step.setCanaryScale != null && tr === undefined) {
      errors.push(requiredAt(at('trafficRouting'), ValidationMessage.InvalidSetCanaryScaleTrafficPolicy));
    }
    errors.push(...validateStepTraffic(step, tr, stepPaths));
    const args = step.analysis?.args ?? [];
    const badArg = args.some((a) => {
      const path = a.valueFrom?.fieldRef?.fieldPath;
      return path?.startsWith('metadata') === true && !isMetadataPathValid(path);
    });
    if (badArg) errors.push(invalidAt(sub('analyses'), args, ValidationMessage.InvalidAnalysisArgs));
  });
  return errors;
}

/** Argo's `getIntOrPercentValue`: "N%" → N, otherwise the int value (a non-numeric string → 0). */
function argoIntOrPercent(value: number | string): number {
  if (typeof value === 'number') return value;
  const text = /^\d+%$/.test(value) ? value.slice(0, -1) : value;
  return /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : 0;
}

export interface ValidateRolloutOptions {
  /**
   * The spec's template (and maybe selector) came from its `workloadRef` (Argo's
   * `TemplateResolvedFromRef`): the controller validates the resolved Rollout like one with its own
   * template. Default false, as for a manifest on disk (`slipway lint`): then a workloadRef Rollout
   * must have an empty template and its template is not checked.
   */
  readonly templateResolvedFromRef?: boolean;
}

/** Every InvalidSpec problem of a Rollout, in Argo's order; empty when the spec is valid. */
export function validateRollout(rollout: Rollout, options: ValidateRolloutOptions = {}): ValidationError[] {
  const spec = rollout.spec ?? {};
  const resolved = options.templateResolvedFromRef === true;
  const errors: ValidationError[] = [];
  const replicas = spec.replicas ?? 1;
  if (replicas < 0) errors.push(invalid('spec.replicas', replicas, ValidationMessage.NonNegative));
  const selector = spec.selector;
  if (spec.workloadRef === undefined) {
    if (selector === undefined) {
      errors.push(required('spec.selector', formatMessage.missingField('.spec.selector')));
    } else if (
      Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length ===
      0
    ) {
      errors.push(invalid('spec.selector', selector, ValidationMessage.EmptySelector));
    }
  }
  if (!resolved && spec.workloadRef !== undefined && !isEmptyTemplate(spec.template)) {
    errors.push(internalError('spec.template', WorkloadRefMessage.TemplateNotEmpty));
  }
  if (selector !== undefined && selectorProblem(selector)) {
    errors.push(invalid('spec.selector', selector, ValidationMessage.InvalidSelector));
  } else if ((resolved || spec.workloadRef === undefined) && selector !== undefined) {
    const isEmpty =
      Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0;
    const labels = spec.template?.metadata?.labels ?? {};
    if (!isEmpty && !matchesMetaLabelSelector(selector, labels)) {
      errors.push(invalid('spec.template.metadata.labels', labels, ValidationMessage.SelectorMismatch));
    }
  }
  const minReady = spec.minReadySeconds ?? 0;
  if (minReady < 0) errors.push(invalid('spec.minReadySeconds', minReady, ValidationMessage.NonNegative));
  const history = spec.revisionHistoryLimit ?? 10;
  if (history < 0) errors.push(invalid('spec.revisionHistoryLimit', history, ValidationMessage.NonNegative));
  const deadline = spec.progressDeadlineSeconds ?? 600;
  if (deadline < 0)
    errors.push(invalid('spec.progressDeadlineSeconds', deadline, ValidationMessage.NonNegative));
  if (deadline <= minReady) {
    errors.push(
      invalid('spec.progressDeadlineSeconds', deadline, ValidationMessage.DeadlineNotAboveMinReady),
    );
  }
  const { canary, blueGreen } = spec.strategy ?? {};
  if (canary === undefined && blueGreen === undefined) {
    const message = formatMessage.missingField('.spec.strategy.canary or .spec.strategy.blueGreen');
    errors.push(required('spec.strategy', message, 'spec.strategy.strategy'));
  } else if (canary !== undefined && blueGreen !== undefined) {
    errors.push(
      invalid(
        'spec.strategy',
        'blueGreen: true canary: true',
        ValidationMessage.InvalidStrategy,
        'spec.strategy.strategy',
      ),
    );
  } else if (blueGreen !== undefined) {
    if (blueGreen.activeService === blueGreen.previewService) {
      const value = blueGreen.activeService ?? '';
      errors.push(
        invalid(
          'spec.strategy.blueGreen.activeService',
          value,
          ValidationMessage.DuplicatedServicesBlueGreen,
          'spec.strategy.activeService',
        ),
      );
    }
  } else if (canary !== undefined) {
    errors.push(...validateCanary(canary, Math.max(replicas, 0)));
  }
  // Argo checks the router configuration after the spec, before reading the objects it references.
  const configError = canary === undefined ? undefined : routerConfigError(canary);
  if (configError !== undefined) errors.push(configError);
  return errors;
}
