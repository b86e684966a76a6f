import type { Rollout } from '../../types.js';
import type { TrafficRouterContext, TrafficRouterFactory } from '../router.js';
import { NGINX_TYPE, NginxRouter } from './nginx-router.js';
import { validateNginxConfig } from './validate-nginx.js';

export { NGINX_TYPE, NginxRouter } from './nginx-router.js';
export {
  annotationPrefix,
  type CanaryIngressAction,
  type CanaryIngressPlan,
  canaryIngressName,
  DEFAULT_ANNOTATION_PREFIX,
  desiredCanaryIngress,
  INGRESS_API_VERSION,
  type Ingress,
  mergedAnnotations,
  noStableRulesMessage,
  notControlledMessage,
  planCanaryIngress,
  planCanaryIngressPatch,
  stableIngressNames,
} from './plan-canary-ingress.js';
export {
  ingressNotFoundMessage,
  NginxValidationMessage,
  validateNginxConfig,
  validateStableIngresses,
} from './validate-nginx.js';

/**
 * The NGINX Ingress router factory. Slipway writes `networking.k8s.io/v1` Ingresses only: Argo's
 * `extensions/v1beta1` mode (`--ingress-api-version`, or a server older than 1.19) targets API servers
 * that no longer exist (the version was removed in Kubernetes 1.22).
 */
export const nginxRouterFactory: TrafficRouterFactory = {
  key: 'nginx',
  type: NGINX_TYPE,
  matches: (rollout: Rollout) => rollout.spec?.strategy?.canary?.trafficRouting?.nginx !== undefined,
  validate: validateNginxConfig,
  create: (ctx: TrafficRouterContext) =>
    new NginxRouter({
      rollout: ctx.rollout,
      client: ctx.client,
      fieldManager: ctx.fieldManager,
      ...(ctx.signal && { signal: ctx.signal }),
    }),
};
export {
  DEFAULT_NGINX_INGRESS_CLASSES,
  ingressClassOf,
  isNginxIngress,
  rolloutIngressKeys,
} from './ingress-watch.js';
