import { SlipwayError } from '../../errors/index.js';
import type { KubeObject } from '../../kube/index.js';

/**
 * The SMI project publishes its TrafficSplit CRD (smi-sdk-go `crds/split.yaml`) only as
 * `apiextensions.k8s.io/v1beta1`, which API servers stopped serving in 1.22. This turns it into the
 * equivalent `apiextensions.k8s.io/v1` CRD, mechanically:
 * - the shared `validation` schema becomes each version's `schema`, with `type: object` at the root
 *   (v1 requires structural schemas);
 * - `additionalPrinterColumns[].JSONPath` becomes `jsonPath`, per version;
 * - every listed version is served (the published file serves only v1alpha4): Argo Rollouts writes
 *   `split.smi-spec.io/v1alpha1` by default (`--traffic-split-api-version`, also v1alpha2/v1alpha3),
 *   and meshes that implement SMI serve those. The shapes are compatible (conversion `None`) except
 *   v1alpha1's backend `weight`, a Kubernetes quantity (`"10"` or `10`), so that one field is
 *   int-or-string in v1alpha1.
 * Pure: the published object in, the v1 object out. A CRD that is already v1 is returned as is.
 */
export function smiCrdToV1(published: KubeObject, source: string): KubeObject {
  if (published.apiVersion === 'apiextensions.k8s.io/v1') return published;
  const spec = asRecord(published.spec);
  const validation = asRecord(spec?.validation);
  const schema = asRecord(validation?.openAPIV3Schema);
  const versions = Array.isArray(spec?.versions) ? spec.versions.map(asRecord) : [];
  if (
    published.apiVersion !== 'apiextensions.k8s.io/v1beta1' ||
    published.kind !== 'CustomResourceDefinition' ||
    spec === undefined ||
    schema === undefined ||
    versions.length === 0 ||
    versions.some((v) => typeof v?.name !== 'string')
  ) {
    throw new SlipwayError(
      'DEV_TRAFFIC_CRDS_SOURCE',
      `${source}: not the v1beta1 CustomResourceDefinition with a validation schema and versions that smi-sdk-go publishes; check the pinned SMI version`,
    );
  }
  const columns = Array.isArray(spec.additionalPrinterColumns)
    ? spec.additionalPrinterColumns.map(asRecord).map((c) => {
        const { JSONPath, ...rest } = c ?? {};
        return { ...rest, jsonPath: JSONPath };
      })
    : undefined;
  const rootSchema = { type: 'object', ...schema };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: published.metadata.name,
      annotations: {
        ...(published.metadata.annotations ?? {}),
        'slipway.dev/converted-from': `apiextensions.k8s.io/v1beta1 in ${source}`,
      },
    },
    spec: {
      group: spec.group,
      scope: spec.scope,
      names: spec.names,
      conversion: { strategy: 'None' },
      versions: versions.map((v) => ({
        name: v?.name,
        served: true,
        storage: v?.storage === true,
        schema: {
          openAPIV3Schema: v?.name === 'v1alpha1' ? withQuantityWeight(rootSchema) : rootSchema,
        },
        ...(columns ? { additionalPrinterColumns: columns } : {}),
      })),
    },
  };
}

/** The schema with `spec.backends[].weight` accepting an int or a string (a Kubernetes quantity). */
function withQuantityWeight(schema: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(schema);
  const backends = asRecord(asRecord(asRecord(copy.properties)?.spec)?.properties)?.backends;
  const props = asRecord(asRecord(asRecord(backends)?.items)?.properties);
  const weight = asRecord(props?.weight);
  if (props !== undefined && weight !== undefined) {
    props.weight = {
      ...(typeof weight.description === 'string' ? { description: weight.description } : {}),
      'x-kubernetes-int-or-string': true,
    };
  }
  return copy;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
