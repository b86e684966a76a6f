/**
 * The SMI TrafficSplit a Rollout wants (Argo Rollouts' rollout/trafficrouting/smi): named
 * `trafficRouting.smi.trafficSplitName` (default: the Rollout's name), `spec.service` the
 * `smi.rootService` (default: the stable Service), backends in Argo's order: the canary Service with the
 * desired weight, each additional destination (an Experiment's Services) with its weight, then the stable
 * Service with what is left of 100. Owned by the Rollout (controller reference). Pure.
 */
import type { KubeObject, OwnerReference } from '../../../kube/index.js';
import { controllerRef, isControlledBy } from '../../replica-sets/replica-sets.js';
import type { Rollout } from '../../types.js';
import { createMergePatch } from '../merge-patch.js';
import type { AdditionalDestination } from '../router.js';

/** The TrafficSplit versions Argo can write (`--traffic-split-api-version`, default v1alpha1). */
export const TRAFFIC_SPLIT_VERSIONS = ['v1alpha1', 'v1alpha2', 'v1alpha3'] as const;
export type TrafficSplitVersion = (typeof TRAFFIC_SPLIT_VERSIONS)[number];
export const DEFAULT_TRAFFIC_SPLIT_VERSION: TrafficSplitVersion = 'v1alpha1';
export const TRAFFIC_SPLIT_GROUP = 'split.smi-spec.io';

export const isTrafficSplitVersion = (v: string): v is TrafficSplitVersion =>
  (TRAFFIC_SPLIT_VERSIONS as readonly string[]).includes(v);

/** Argo's error for an unknown `--traffic-split-api-version`. */
export const unsupportedVersionMessage = (version: string): string =>
  `Unsupported TrafficSplit API version \`${version}\``;

/** Argo's error when the TrafficSplit exists without this Rollout as its controller. */
export const notOwnedMessage = (name: string): string => `Rollout does not own TrafficSplit \`${name}\``;

export interface TrafficSplitBackend {
  readonly service: string;
  /** v1alpha1 weights are resource.Quantity values, written as strings ("10"); later versions integers. */
  readonly weight: number | string;
}

export interface TrafficSplitSpec {
  readonly service: string;
  readonly backends: readonly TrafficSplitBackend[];
  readonly matches?: readonly unknown[];
}

export interface TrafficSplit extends KubeObject {
  readonly spec?: TrafficSplitSpec;
}

export function trafficSplitName(rollout: Rollout): string {
  const configured = rollout.spec?.strategy?.canary?.trafficRouting?.smi?.trafficSplitName;
  return configured !== undefined && configured !== '' ? configured : (rollout.metadata?.name ?? '');
}

export function rootServiceName(rollout: Rollout): string {
  const canary = rollout.spec?.strategy?.canary;
  const root = canary?.trafficRouting?.smi?.rootService;
  return root !== undefined && root !== '' ? root : (canary?.stableService ?? '');
}

const weightValue = (version: TrafficSplitVersion, weight: number): number | string =>
  version === 'v1alpha1' ? String(weight) : weight;

/** The TrafficSplit's desired spec for `desiredWeight` percent to the canary. */
export function desiredTrafficSplitSpec(
  rollout: Rollout,
  version: TrafficSplitVersion,
  desiredWeight: number,
  additional: readonly AdditionalDestination[],
): TrafficSplitSpec {
  const canary = rollout.spec?.strategy?.canary;
  let stableWeight = 100 - desiredWeight;
  const backends: TrafficSplitBackend[] = [
    { service: canary?.canaryService ?? '', weight: weightValue(version, desiredWeight) },
  ];
  for (const dest of additional) {
    backends.push({ service: dest.serviceName, weight: weightValue(version, dest.weight) });
    stableWeight -= dest.weight;
  }
  backends.push({ service: canary?.stableService ?? '', weight: weightValue(version, stableWeight) });
  return { service: rootServiceName(rollout), backends };
}

/** The whole TrafficSplit to create when none exists. */
export function desiredTrafficSplit(
  rollout: Rollout,
  version: TrafficSplitVersion,
  desiredWeight: number,
  additional: readonly AdditionalDestination[],
): TrafficSplit {
  const owner: OwnerReference = controllerRef(rollout);
  return {
    apiVersion: `${TRAFFIC_SPLIT_GROUP}/${version}`,
    kind: 'TrafficSplit',
    metadata: {
      name: trafficSplitName(rollout),
      namespace: rollout.metadata?.namespace ?? '',
      ownerReferences: [owner],
    },
    spec: desiredTrafficSplitSpec(rollout, version, desiredWeight, additional),
  };
}

/** Whether the Rollout (by uid) is the TrafficSplit's controller (metav1.IsControlledBy). */
export function isOwnedBy(obj: KubeObject, rollout: Rollout): boolean {
  return isControlledBy(obj, rollout.metadata?.uid);
}

/** The spec fields Argo's typed TrafficSplit knows; anything else in the stored spec is left alone. */
const KNOWN_SPEC_FIELDS: Readonly<Record<TrafficSplitVersion, readonly string[]>> = {
  v1alpha1: ['service', 'backends'],
  v1alpha2: ['service', 'backends', 'matches'],
  v1alpha3: ['service', 'backends', 'matches'],
};

/** v1alpha1 weights are quantities: "10" and 10 are the same weight. */
function normalizeSpec(version: TrafficSplitVersion, spec: Readonly<Record<string, unknown>>) {
  const out: Record<string, unknown> = {};
  for (const key of KNOWN_SPEC_FIELDS[version]) if (spec[key] !== undefined) out[key] = spec[key];
  if (version === 'v1alpha1' && Array.isArray(out.backends)) {
    out.backends = (out.backends as Record<string, unknown>[]).map((b) =>
      typeof b === 'object' && b !== null && typeof b.weight === 'number'
        ? { ...b, weight: String(b.weight) }
        : b,
    );
  }
  return out;
}

/**
 * The merge patch bringing an existing TrafficSplit's spec to the desired one, or undefined when nothing
 * changed (Argo then logs "not modified" and writes nothing).
 */
export function planTrafficSplitPatch(
  existing: TrafficSplit,
  desiredSpec: TrafficSplitSpec,
  version: TrafficSplitVersion,
): { readonly spec: Record<string, unknown> } | undefined {
  const current = normalizeSpec(version, (existing.spec ?? {}) as unknown as Record<string, unknown>);
  const desired = normalizeSpec(version, desiredSpec as unknown as Record<string, unknown>);
  const patch = createMergePatch(current, desired);
  return patch === undefined ? undefined : { spec: patch };
}

/** What `setWeight` must do to the TrafficSplit. */
export type TrafficSplitAction =
  | { readonly kind: 'create'; readonly object: TrafficSplit }
  | { readonly kind: 'patch'; readonly name: string; readonly patch: Record<string, unknown> }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly message: string };

/** The whole decision of `setWeight`, given the TrafficSplit as it is (undefined when it does not exist). */
export function planTrafficSplit(
  rollout: Rollout,
  version: TrafficSplitVersion,
  desiredWeight: number,
  additional: readonly AdditionalDestination[],
  existing: TrafficSplit | undefined,
): TrafficSplitAction {
  const desired = desiredTrafficSplit(rollout, version, desiredWeight, additional);
  if (existing === undefined) return { kind: 'create', object: desired };
  const name = desired.metadata.name ?? '';
  if (!isOwnedBy(existing, rollout)) return { kind: 'error', message: notOwnedMessage(name) };
  const patch = planTrafficSplitPatch(
    existing,
    desiredTrafficSplitSpec(rollout, version, desiredWeight, additional),
    version,
  );
  return patch === undefined ? { kind: 'none' } : { kind: 'patch', name, patch };
}
