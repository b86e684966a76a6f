// What ties a HelmRelease to its Helm release and its HelmChart: helm-controller's names and labels.
import type { KubeClient, KubeObject, Reflector } from '../kube/index.js';
import { HELM_CHART_GVK, type HelmChart, type HelmRelease } from './helm-types.js';
import { FLUX_FIELD_MANAGER } from './status-write.js';

/** helm-controller's ownership labels on the objects of a release. */
export const HELM_NAME_LABEL = 'helm.toolkit.fluxcd.io/name';
export const HELM_NAMESPACE_LABEL = 'helm.toolkit.fluxcd.io/namespace';
export const OWNER_LABELS = { name: HELM_NAME_LABEL, namespace: HELM_NAMESPACE_LABEL } as const;

/** helm-controller's GetReleaseName: `releaseName`, else `[<targetNamespace>-]<name>`. Pure. */
export function releaseNameOf(hr: HelmRelease): string {
  if (hr.spec.releaseName) return hr.spec.releaseName;
  const name = hr.metadata.name ?? '';
  return hr.spec.targetNamespace ? `${hr.spec.targetNamespace}-${name}` : name;
}

/** The HelmChart a `chart.spec` HelmRelease owns: `<namespace>-<name>` in the source's namespace. Pure. */
export function helmChartRef(hr: HelmRelease): { namespace: string; name: string } | undefined {
  const ns = hr.metadata.namespace ?? '';
  if (hr.spec.chart)
    return {
      namespace: hr.spec.chart.spec.sourceRef.namespace || ns,
      name: `${ns}-${hr.metadata.name ?? ''}`,
    };
  if (hr.spec.chartRef?.kind === 'HelmChart')
    return { namespace: hr.spec.chartRef.namespace || ns, name: hr.spec.chartRef.name };
  return undefined;
}

/** The HelmChart a `chart.spec` HelmRelease owns, applied when its spec differs (helm-controller's `reconcileChartTemplate`). */
export async function applyOwnedHelmChart(
  client: KubeClient,
  charts: Reflector<HelmChart>,
  hr: HelmRelease,
  ref: { namespace: string; name: string },
): Promise<void> {
  const t = hr.spec.chart?.spec;
  if (!t) return;
  const spec = {
    chart: t.chart,
    ...(t.version !== undefined && { version: t.version }),
    sourceRef: { kind: t.sourceRef.kind, name: t.sourceRef.name },
    interval: t.interval ?? hr.spec.interval,
    reconcileStrategy: t.reconcileStrategy ?? 'ChartVersion',
    ...(t.valuesFiles !== undefined && { valuesFiles: t.valuesFiles }),
    ...(t.ignoreMissingValuesFiles !== undefined && {
      ignoreMissingValuesFiles: t.ignoreMissingValuesFiles,
    }),
  };
  const existing = charts.store.get(`${ref.namespace}/${ref.name}`);
  if (existing && JSON.stringify(existing.spec) === JSON.stringify({ ...existing.spec, ...spec })) return;
  await client.apply(
    {
      ...HELM_CHART_GVK,
      metadata: {
        name: ref.name,
        namespace: ref.namespace,
        labels: {
          [HELM_NAME_LABEL]: hr.metadata.name ?? '',
          [HELM_NAMESPACE_LABEL]: hr.metadata.namespace ?? '',
        },
      },
      spec,
    } as KubeObject,
    { fieldManager: FLUX_FIELD_MANAGER, force: true },
  );
}
