/**
 * Which Ingress changes should reconcile which Rollout (Argo Rollouts' ingress controller): every stable
 * Ingress a Rollout names and the canary Ingress made from it map to that Rollout, for Ingresses of an
 * NGINX class (`--nginx-ingress-classes`, default `nginx`). For the controller's watch wiring. Pure.
 */
import type { KubeObject } from '../../../kube/index.js';
import type { Rollout } from '../../types.js';
import { canaryIngressName } from './plan-canary-ingress.js';

export const DEFAULT_NGINX_INGRESS_CLASSES: readonly string[] = ['nginx'];

/**
 * `namespace/name` keys of the Ingresses a Rollout's NGINX routing depends on: each stable Ingress and its
 * canary Ingress (Argo's GetRolloutIngressKeys, NGINX part).
 */
export function rolloutIngressKeys(rollout: Rollout): string[] {
  const nginx = rollout.spec?.strategy?.canary?.trafficRouting?.nginx;
  if (nginx === undefined) return [];
  const namespace = rollout.metadata?.namespace ?? '';
  const rolloutName = rollout.metadata?.name ?? '';
  const names = [
    ...(nginx.stableIngress !== undefined && nginx.stableIngress !== '' ? [nginx.stableIngress] : []),
    ...(nginx.stableIngresses ?? []),
  ];
  return names.flatMap((stable) => [
    `${namespace}/${stable}`,
    `${namespace}/${canaryIngressName(rolloutName, stable)}`,
  ]);
}

/** The Ingress's class: the `kubernetes.io/ingress.class` annotation, else `spec.ingressClassName`. */
export function ingressClassOf(ingress: KubeObject): string {
  const annotated = ingress.metadata.annotations?.['kubernetes.io/ingress.class'];
  if (annotated !== undefined && annotated !== '') return annotated;
  const spec = ingress.spec as { ingressClassName?: string } | undefined;
  return spec?.ingressClassName ?? '';
}

/** Whether a change of this Ingress should reconcile the Rollouts that reference it. */
export function isNginxIngress(
  ingress: KubeObject,
  classes: readonly string[] = DEFAULT_NGINX_INGRESS_CLASSES,
): boolean {
  return classes.includes(ingressClassOf(ingress));
}
