/**
 * Argo Rollouts' checks of the NGINX configuration, with its messages: exactly one of `stableIngress` and
 * `stableIngresses` (ValidateRolloutNginxIngressesConfig), and each named Ingress existing with a rule
 * that uses the stable Service (getReferencedNginxIngresses, ValidateIngress). Pure: the Ingresses come
 * in as values (undefined = not found).
 */
import { formatValidationError } from '../../spec/validation.js';
import type { Rollout } from '../../types.js';
import type { Ingress } from './plan-canary-ingress.js';
import { noStableRulesMessage } from './plan-canary-ingress.js';

const NGINX_PATH = 'spec.strategy.canary.trafficRouting.nginx';

/** field.InternalError's text. */
const internalError = (detail: string) => `${NGINX_PATH}: Internal error: ${detail}`;

export const NginxValidationMessage = {
  Both: 'Either StableIngress or StableIngresses must be configured. Both are configured.',
  Neither: 'Either StableIngress or StableIngresses must be configured. Neither are configured.',
} as const;

/** The configuration errors of `trafficRouting.nginx` (empty when valid or not NGINX). */
export function validateNginxConfig(rollout: Rollout): string[] {
  const nginx = rollout.spec?.strategy?.canary?.trafficRouting?.nginx;
  if (nginx === undefined) return [];
  const multiple = nginx.stableIngresses !== undefined;
  const single = nginx.stableIngress !== undefined && nginx.stableIngress !== '';
  if (multiple && single) return [internalError(NginxValidationMessage.Both)];
  if (!multiple && !single) return [internalError(NginxValidationMessage.Neither)];
  return [];
}

/** The lister's NotFound text for an Ingress. */
export const ingressNotFoundMessage = (name: string): string =>
  `ingress.networking.k8s.io "${name}" not found`;

/**
 * The first problem with the stable Ingresses the Rollout names, as Argo reports it in InvalidSpec, or
 * undefined. `lookup` returns the Ingress by name, undefined when it does not exist.
 */
export function validateStableIngresses(
  rollout: Rollout,
  lookup: (name: string) => Ingress | undefined,
): string | undefined {
  const canary = rollout.spec?.strategy?.canary;
  const nginx = canary?.trafficRouting?.nginx;
  if (nginx === undefined) return undefined;
  const multiple = nginx.stableIngresses !== undefined;
  const names = multiple ? (nginx.stableIngresses ?? []) : [nginx.stableIngress ?? ''];
  const found: Ingress[] = [];
  for (const name of names) {
    const ingress = lookup(name);
    if (ingress === undefined) {
      const field = multiple ? `${NGINX_PATH}.StableIngresses` : `${NGINX_PATH}.stableIngress`;
      const value = multiple ? nginx.stableIngresses : nginx.stableIngress;
      return invalid(field, value, ingressNotFoundMessage(name));
    }
    found.push(ingress);
  }
  const stableService = canary?.stableService ?? '';
  for (const ingress of found) {
    const name = ingress.metadata.name ?? '';
    const usesStable = (ingress.spec?.rules ?? []).some((rule) =>
      (rule.http?.paths ?? []).some((path) => path.backend?.service?.name === stableService),
    );
    if (usesStable) continue;
    const field = multiple ? `${NGINX_PATH}.stableIngresses` : `${NGINX_PATH}.stableIngress`;
    return invalid(
      field,
      multiple ? name : (nginx.stableIngress ?? ''),
      noStableRulesMessage(name, stableService),
    );
  }
  return undefined;
}

function invalid(field: string, value: unknown, message: string): string {
  return formatValidationError({ type: 'Invalid', field, argoField: field, value, message });
}
