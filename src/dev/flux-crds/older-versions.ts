import type { KubeObject } from '../../kube/index.js';

/**
 * The older API versions of Flux's kinds that manifests in the wild still use (the issue 19 seeds apply
 * `source.toolkit.fluxcd.io/v1beta2` HelmRepositories and `helm.toolkit.fluxcd.io/v2beta1` HelmReleases).
 * The CRDs at the pinned releases serve only the current version; these are added as served, deprecated,
 * non-storage copies of it with `conversion: None`: the API server stores and returns every object as the
 * current version and only rewrites `apiVersion`, so no conversion webhook is needed. A field the current
 * schema no longer has is pruned; the seeds' fields all exist in the current schemas.
 */
export const OLDER_FLUX_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'gitrepositories.source.toolkit.fluxcd.io': ['v1beta2'],
  'helmrepositories.source.toolkit.fluxcd.io': ['v1beta2'],
  'helmcharts.source.toolkit.fluxcd.io': ['v1beta2'],
  'ocirepositories.source.toolkit.fluxcd.io': ['v1beta2'],
  'kustomizations.kustomize.toolkit.fluxcd.io': ['v1beta2'],
  'helmreleases.helm.toolkit.fluxcd.io': ['v2beta1', 'v2beta2'],
  'imagerepositories.image.toolkit.fluxcd.io': ['v1beta1', 'v1beta2'],
  'imagepolicies.image.toolkit.fluxcd.io': ['v1beta1', 'v1beta2'],
  'imageupdateautomations.image.toolkit.fluxcd.io': ['v1beta1', 'v1beta2'],
};

interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly [field: string]: unknown;
}

interface Crd extends KubeObject {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly CrdVersion[];
    readonly conversion?: unknown;
    readonly [field: string]: unknown;
  };
}

/** The CRD with its older versions served from the storage version's schema. Pure; other CRDs unchanged. */
export function withOlderVersions(crd: KubeObject): KubeObject {
  const older = OLDER_FLUX_VERSIONS[crd.metadata.name ?? ''];
  const { spec } = crd as Crd;
  const storage = spec?.versions?.find((v) => v.storage);
  if (older === undefined || storage === undefined) return crd;
  const known = new Set(spec.versions.map((v) => v.name));
  const added = older
    .filter((name) => !known.has(name))
    .map((name) => ({
      ...storage,
      name,
      served: true,
      storage: false,
      deprecated: true,
      deprecationWarning: `${spec.group}/${name} ${spec.names.kind} is deprecated, upgrade to ${storage.name}`,
    }));
  return {
    ...crd,
    spec: { ...spec, versions: [...spec.versions, ...added], conversion: { strategy: 'None' } },
  } as KubeObject;
}
