/**
 * Spec validation for the InvalidSpec condition, following Argo Rollouts'
 * pkg/apis/rollouts/validation/validation.go (messages are Argo's where Argo has one). Field paths
 * are the real JSON paths (`spec.strategy.canary.steps[2].pause.duration`); `argoField` carries the
 * path Argo prints, which leaves out `.canary`, so formatted messages can match upstream exactly.
 */
import { matchesMetaLabelSelector } from '../../kube/index.js';
import { stepActions } from '../canary/steps.js';
import { scaleIntOrPercent } from '../replicas.js';
import { formatMessage } from '../status/conditions.js';
import type { CanaryStrategy, LabelSelector, Rollout } from '../types.js';
import { pauseDurationSeconds } from './duration.js';

export const ValidationMessage = {
  InvalidSetWeight: (maxWeight: number) => `SetWeight needs to be between 0 and ${maxWeight}`,
  InvalidSetCanaryScaleTrafficPolicy: 'SetCanaryScale requires TrafficRouting to be set',
  InvalidSetHeaderRouteTrafficPolicy:
    'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
  InvalidSetMirrorRouteTrafficPolicy: 'SetMirrorRoute requires TrafficRouting, supports Istio only',
  InvalidDuration: 'Duration needs to be greater than 0',
  InvalidMaxSurgeMaxUnavailable: 'MaxSurge and MaxUnavailable both can not be zero',
  InvalidStep: 'Step must have one of the following set: experiment, setWeight, setCanaryScale or pause',
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
  InvalidCanaryMaxWeight: 'Canary maxTrafficWeight in traffic routing only support in Nginx and Plugins',
  StepRouteNotInManagedRoutes:
    'Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes',
  EmptySelector: 'empty selector is invalid for deployment',
  InvalidSelector: 'invalid label selector',
  SelectorMismatch: '`selector` does not match template `labels`',
  NonNegative: 'must be greater than or equal to 0',
  DeadlineNotAboveMinReady: 'must be greater than minReadySeconds',
  /** Slipway only: Argo silently resolves an unparseable maxSurge/maxUnavailable to 0. */
  InvalidIntOrPercent: 'must be an integer or a percentage such as "25%"',
} as const;

export interface ValidationError {
  readonly type: 'Required' | 'Invalid';
  /** JSON path of the offending field. */
  readonly field: string;
  /** The path Argo reports for the same error. */
  readonly argoField: string;
  readonly message: string;
  readonly value?: unknown;
}

const required = (field: string, message: string, argoField = field): ValidationError => ({
  type: 'Required',
  field,
  argoField,
  message,
});
const invalid = (field: string, value: unknown, message: string, argoField = field): ValidationError => ({
  type: 'Invalid',
  field,
  argoField,
  value,
  message,
});

type Paths = readonly [field: string, argoField: string];
const invalidAt = (paths: Paths, value: unknown, message: string) =>
  invalid(paths[0], value, message, paths[1]);
const requiredAt = (paths: Paths, message: string) => required(paths[0], message, paths[1]);

function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && Object.values(value).every((v) => typeof v === 'string')) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Kubernetes' `field.Error.Error()` text, e.g.
 * `spec.strategy.steps[0].setWeight: Invalid value: 101: SetWeight needs to be between 0 and 100`.
 */
export function formatValidationError(
  error: ValidationError,
  options: { readonly argoPath?: boolean } = {},
): string {
  const field = options.argoPath ? error.argoField : error.field;
  const body = error.type === 'Required' ? 'Required value' : `Invalid value: ${formatValue(error.value)}`;
  return `${field}: ${body}${error.message === '' ? '' : `: ${error.message}`}`;
}

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

const ROUTERS_NEEDING_SERVICES = ['smi', 'apisix', 'ambassador', 'nginx', 'appMesh', 'traefik'] as const;

function requiresCanaryStableServices(canary: CanaryStrategy & { readonly pingPong?: unknown }): boolean {
  const tr = canary.trafficRouting as Record<string, unknown> | undefined;
  if (tr === undefined) return false;
  if (tr.alb !== undefined && canary.pingPong === undefined) return true;
  const istio = tr.istio as { destinationRule?: unknown } | undefined;
  if (istio !== undefined && istio.destinationRule === undefined) return true;
  return ROUTERS_NEEDING_SERVICES.some((router) => tr[router] !== undefined);
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
  const managedRoutes = tr?.managedRoutes as readonly { name?: string }[] | undefined;
  (canary.steps ?? []).forEach((step, i) => {
    const [stepPath, argoStepPath] = at(`steps[${i}]`);
    const sub = (name: string) => [`${stepPath}.${name}`, `${argoStepPath}.${name}`] as const;
    const actions = stepActions(step);
    if (actions.length !== 1) {
      errors.push(invalidAt([stepPath, argoStepPath], actions.join(', '), ValidationMessage.InvalidStep));
    }
    if (step.setWeight !== undefined && (step.setWeight < 0 || step.setWeight > maxWeight)) {
      errors.push(invalidAt(sub('setWeight'), step.setWeight, ValidationMessage.InvalidSetWeight(maxWeight)));
    }
    if (step.pause !== undefined && pauseDurationSeconds(step.pause) < 0) {
      errors.push(
        invalidAt(sub('pause.duration'), pauseDurationSeconds(step.pause), ValidationMessage.InvalidDuration),
      );
    }
    if (step.setCanaryScale !== undefined && tr === undefined) {
      errors.push(requiredAt(at('trafficRouting'), ValidationMessage.InvalidSetCanaryScaleTrafficPolicy));
    }
    if (step.setHeaderRoute !== undefined) {
      const plugins = tr?.plugins as Record<string, unknown> | undefined;
      if (
        tr === undefined ||
        (tr.istio === undefined &&
          tr.alb === undefined &&
          tr.apisix === undefined &&
          Object.keys(plugins ?? {}).length === 0)
      ) {
        errors.push(
          invalidAt(
            sub('setHeaderRoute'),
            step.setHeaderRoute,
            ValidationMessage.InvalidSetHeaderRouteTrafficPolicy,
          ),
        );
      }
    }
    if (step.setMirrorRoute !== undefined && tr?.istio === undefined) {
      errors.push(
        invalidAt(
          sub('setMirrorRoute'),
          step.setMirrorRoute,
          ValidationMessage.InvalidSetMirrorRouteTrafficPolicy,
        ),
      );
    }
    const route = step.setHeaderRoute ?? step.setMirrorRoute;
    if (tr !== undefined && route !== undefined) {
      if (managedRoutes === undefined) {
        const message = formatMessage.missingField('spec.strategy.canary.trafficRouting.managedRoutes');
        errors.push(requiredAt(at('trafficRouting.managedRoutes'), message));
      } else if (!managedRoutes.some((r) => r.name === (route.name ?? ''))) {
        const name = step.setHeaderRoute !== undefined ? 'setHeaderRoute' : 'setMirrorRoute';
        errors.push(invalidAt(sub(name), route.name ?? '', ValidationMessage.StepRouteNotInManagedRoutes));
      }
    }
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

/** Every InvalidSpec problem of a Rollout, in Argo's order; empty when the spec is valid. */
export function validateRollout(rollout: Rollout): ValidationError[] {
  const spec = rollout.spec ?? {};
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
  if (selector !== undefined && selectorProblem(selector)) {
    errors.push(invalid('spec.selector', selector, ValidationMessage.InvalidSelector));
  } else if (spec.workloadRef === undefined && selector !== undefined) {
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
  return errors;
}
