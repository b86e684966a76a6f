/**
 * The canary Ingress a Rollout wants for NGINX Ingress (Argo Rollouts' rollout/trafficrouting/nginx):
 * generated from a stable Ingress, named `<rollout>-<stableIngress>-canary`, keeping only the rules that
 * send traffic to the stable Service, with those backends pointed at the canary Service, plus the
 * `canary` / `canary-weight` (and `canary-weight-total` with maxTrafficWeight) annotations. Pure.
 */
import type { KubeObject } from '../../../kube/index.js';
import { controllerRef, isControlledBy } from '../../replica-sets/replica-sets.js';
import type { Rollout } from '../../types.js';
import { createMergePatch } from '../merge-patch.js';

export const INGRESS_API_VERSION = 'networking.k8s.io/v1';
export const DEFAULT_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io';
export const CANARY_INGRESS_SUFFIX = '-canary';
const MAX_NAME_LENGTH = 253;
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

type Json = Readonly<Record<string, unknown>>;

export interface IngressBackend extends Json {
  readonly service?: { readonly name?: string } & Json;
}

export interface IngressPath extends Json {
  readonly backend?: IngressBackend;
}

export interface IngressRule extends Json {
  readonly http?: { readonly paths?: readonly IngressPath[] } & Json;
}

export interface IngressSpec extends Json {
  readonly ingressClassName?: string;
  readonly tls?: readonly Json[];
  readonly rules?: readonly IngressRule[];
}

export interface Ingress extends KubeObject {
  readonly spec?: IngressSpec;
}

/** Argo's `ingressutil.GetCanaryIngressName`: `<rollout>-<stable>` cut to fit 253 characters, `-canary`. */
export function canaryIngressName(rolloutName: string, stableIngressName: string): string {
  if (stableIngressName === '') return '';
  const prefix = `${rolloutName}-${stableIngressName}`.slice(
    0,
    MAX_NAME_LENGTH - CANARY_INGRESS_SUFFIX.length,
  );
  return `${prefix}${CANARY_INGRESS_SUFFIX}`;
}

export function annotationPrefix(rollout: Rollout): string {
  const prefix = rollout.spec?.strategy?.canary?.trafficRouting?.nginx?.annotationPrefix;
  return prefix !== undefined && prefix !== '' ? prefix : DEFAULT_ANNOTATION_PREFIX;
}

/**
 * The stable Ingresses the Rollout names: `stableIngresses` when set (even empty, as Argo), else
 * `stableIngress`.
 */
export function stableIngressNames(rollout: Rollout): readonly string[] {
  const nginx = rollout.spec?.strategy?.canary?.trafficRouting?.nginx;
  if (nginx?.stableIngresses !== undefined) return nginx.stableIngresses;
  return [nginx?.stableIngress ?? ''];
}

/** Argo's error when no rule of the stable Ingress uses the stable Service. */
export const noStableRulesMessage = (ingress: string, service: string): string =>
  `ingress \`${ingress}\` has no rules using service ${service} backend`;

export type CanaryIngressPlan =
  | { readonly ok: true; readonly ingress: Ingress }
  | { readonly ok: false; readonly message: string };

/** Rules pointing at the stable Service, rewritten to the canary Service; other rules are dropped. */
function canaryRules(rules: readonly IngressRule[], stable: string, canary: string): IngressRule[] {
  const out: IngressRule[] = [];
  for (const rule of rules) {
    let usesStable = false;
    const paths = (rule.http?.paths ?? []).map((path) => {
      if (path.backend?.service?.name !== stable) return path;
      usesStable = true;
      return { ...path, backend: { ...path.backend, service: { ...path.backend.service, name: canary } } };
    });
    if (usesStable) out.push({ ...rule, http: { ...rule.http, paths } });
  }
  return out;
}

/** The desired canary Ingress for `desiredWeight`, or Argo's error when the stable one has no stable rule. */
export function desiredCanaryIngress(
  rollout: Rollout,
  stableIngress: Ingress,
  name: string,
  desiredWeight: number,
): CanaryIngressPlan {
  const canary = rollout.spec?.strategy?.canary;
  const routing = canary?.trafficRouting;
  const stableService = canary?.stableService ?? '';
  const prefix = annotationPrefix(rollout);

  const rules = canaryRules(stableIngress.spec?.rules ?? [], stableService, canary?.canaryService ?? '');
  if (rules.length === 0) {
    return { ok: false, message: noStableRulesMessage(stableIngress.metadata.name ?? '', stableService) };
  }

  const annotations: Record<string, string> = {};
  const ingressClass = stableIngress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (ingressClass !== undefined) annotations[INGRESS_CLASS_ANNOTATION] = ingressClass;
  for (const [key, value] of Object.entries(routing?.nginx?.additionalIngressAnnotations ?? {})) {
    annotations[key.startsWith(prefix) ? key : `${prefix}/${key}`] = value;
  }
  Object.assign(annotations, routing?.nginx?.canaryIngressAnnotations ?? {});
  annotations[`${prefix}/canary`] = 'true';
  annotations[`${prefix}/canary-weight`] = String(desiredWeight);
  if (routing?.maxTrafficWeight !== undefined) {
    annotations[`${prefix}/canary-weight-total`] = String(routing.maxTrafficWeight);
  }

  const stableSpec = stableIngress.spec ?? {};
  const spec: IngressSpec = {
    ...(stableSpec.ingressClassName !== undefined && { ingressClassName: stableSpec.ingressClassName }),
    ...(stableSpec.tls !== undefined && { tls: stableSpec.tls }),
    rules,
  };
  return {
    ok: true,
    ingress: {
      apiVersion: INGRESS_API_VERSION,
      kind: 'Ingress',
      metadata: {
        name,
        namespace: rollout.metadata?.namespace ?? '',
        annotations,
        ownerReferences: [controllerRef(rollout)],
      },
      spec,
    },
  };
}

/**
 * The annotations to write: the desired ones, plus every annotation already on the canary Ingress that
 * the desired set lacks (other controllers' annotations survive; Argo's getDesiredAnnotations).
 */
export function mergedAnnotations(current: Ingress, desired: Ingress): Record<string, string> {
  return { ...(current.metadata.annotations ?? {}), ...(desired.metadata.annotations ?? {}) };
}

/**
 * The merge patch of annotations, labels and spec that brings the existing canary Ingress to the desired
 * one, or undefined when nothing changed. Labels are not generated, so labels on the canary Ingress are
 * removed, as Argo does.
 */
export function planCanaryIngressPatch(
  current: Ingress,
  desired: Ingress,
): Record<string, unknown> | undefined {
  const view = (annotations: unknown, labels: unknown, spec: unknown) => ({
    metadata: {
      ...(annotations !== undefined && { annotations }),
      ...(labels !== undefined && { labels }),
    },
    spec: spec ?? {},
  });
  return createMergePatch(
    view(current.metadata.annotations, current.metadata.labels, current.spec),
    view(mergedAnnotations(current, desired), desired.metadata.labels, desired.spec),
  );
}

/** What `setWeight` must do to one canary Ingress. */
export type CanaryIngressAction =
  | { readonly kind: 'create'; readonly object: Ingress }
  | { readonly kind: 'patch'; readonly name: string; readonly patch: Record<string, unknown> }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly message: string };

/**
 * The whole decision of `setWeight` for one stable Ingress, given the canary Ingress as it is (undefined
 * when it does not exist).
 */
export function planCanaryIngress(
  rollout: Rollout,
  stableIngress: Ingress,
  desiredWeight: number,
  current: Ingress | undefined,
): CanaryIngressAction {
  const name = canaryIngressName(rollout.metadata?.name ?? '', stableIngress.metadata.name ?? '');
  const plan = desiredCanaryIngress(rollout, stableIngress, name, desiredWeight);
  if (!plan.ok) return { kind: 'error', message: plan.message };
  if (current === undefined) return { kind: 'create', object: plan.ingress };
  if (!isControlledBy(current, rollout.metadata?.uid)) {
    return { kind: 'error', message: notControlledMessage(name) };
  }
  const patch = planCanaryIngressPatch(current, plan.ingress);
  return patch === undefined ? { kind: 'none' } : { kind: 'patch', name, patch };
}

/** Argo's error when the canary Ingress exists without this Rollout as its controller. */
export const notControlledMessage = (name: string): string =>
  `canary ingress \`${name}\` controlled by different object`;
