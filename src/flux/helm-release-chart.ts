// What ties a HelmRelease to its Helm release and its HelmChart: helm-controller's names and labels.
import { findCondition } from '../core/index.js';
import type { KubeClient, KubeObject, Reflector } from '../kube/index.js';
import type { ApplyOwner } from './apply.js';
import { FluxConditionType } from './conditions.js';
import { HelmReason } from './helm-release-status.js';
import { HELM_CHART_GVK, type HelmChart, type HelmRelease } from './helm-types.js';
import { type OciReleaseChartDeps, ociReleaseChart, type ReleaseChart } from './oci-release-chart.js';
import { FLUX_FIELD_MANAGER } from './status-write.js';

/** helm-controller's ownership labels on the objects of a release. */
export const HELM_NAME_LABEL = 'helm.toolkit.fluxcd.io/name';
export const HELM_NAMESPACE_LABEL = 'helm.toolkit.fluxcd.io/namespace';
export const OWNER_LABELS = { name: HELM_NAME_LABEL, namespace: HELM_NAMESPACE_LABEL } as const;

/** helm-controller's GetReleaseName: `releaseName`, else `[<targetNamespace>-]<name>`. Pure. */
/** Helm's and Flux's marks on a release's objects (its test hooks included). */
export function helmReleaseOwner(hr: HelmRelease, releaseNs: string): ApplyOwner {
  return {
    labels: {
      [HELM_NAME_LABEL]: hr.metadata.name ?? '',
      [HELM_NAMESPACE_LABEL]: hr.metadata.namespace ?? '',
      'app.kubernetes.io/managed-by': 'Helm',
    },
    annotations: {
      'meta.helm.sh/release-name': releaseNameOf(hr),
      'meta.helm.sh/release-namespace': releaseNs,
    },
    defaultNamespace: releaseNs,
  };
}

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

/** The source a HelmRelease's chart comes from, or undefined for an unsupported `chartRef` kind. Pure. */
export function releaseChartSource(
  hr: HelmRelease,
): { kind: 'HelmChart' | 'OCIRepository'; namespace: string; name: string } | undefined {
  if (hr.spec.chartRef?.kind === 'OCIRepository' && !hr.spec.chart)
    return {
      kind: 'OCIRepository',
      namespace: hr.spec.chartRef.namespace || (hr.metadata.namespace ?? ''),
      name: hr.spec.chartRef.name,
    };
  const ref = helmChartRef(hr);
  return ref && { kind: 'HelmChart', ...ref };
}

export interface ReleaseChartDeps extends OciReleaseChartDeps {
  readonly client: KubeClient;
  readonly charts: Reflector<HelmChart>;
  /** Asks the HelmChart controller to run a chart again (its artifact left this process). */
  readonly refreshChart: (key: string) => void;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Step 2 of a HelmRelease reconcile: its chart, from the HelmChart it owns (`chart.spec`, applied
 * here) or names (`chartRef` HelmChart), or from an OCIRepository (`chartRef`), as helm-controller
 * reads them; `intervalMs` is the retry of an unsupported reference.
 */
export async function resolveReleaseChart(
  d: ReleaseChartDeps,
  hr: HelmRelease,
  intervalMs: number,
): Promise<ReleaseChart> {
  const source = releaseChartSource(hr);
  if (!source)
    return {
      kind: 'not-ready',
      reason: HelmReason.ArtifactFailed,
      message: `unsupported chartRef kind '${hr.spec.chartRef?.kind ?? ''}'`,
      requeueMs: intervalMs,
    };
  if (source.kind === 'OCIRepository') return ociReleaseChart(d, source);
  const key = `${source.namespace}/${source.name}`;
  if (hr.spec.chart) {
    try {
      await applyOwnedHelmChart(d.client, d.charts, hr, source);
    } catch (err) {
      return {
        kind: 'not-ready',
        reason: HelmReason.ArtifactFailed,
        message: `could not create HelmChart: ${errorText(err)}`,
        requeueMs: d.dependencyRequeueMs,
      };
    }
  }
  const chart = d.charts.store.get(key);
  const ready = findCondition(chart?.status?.conditions, FluxConditionType.Ready);
  const artifact = chart?.status?.artifact;
  if (
    !chart ||
    !artifact ||
    ready?.status !== 'True' ||
    chart.status?.observedGeneration !== chart.metadata.generation
  )
    return {
      kind: 'not-ready',
      reason: HelmReason.ArtifactFailed,
      message: `HelmChart '${key}' is not ready: ${ready?.message ?? 'no artifact'}`,
      requeueMs: Math.min(d.dependencyRequeueMs, 5_000),
      helmChart: key,
    };
  const dir = d.store.dir(artifact.path);
  if (!dir) {
    d.refreshChart(key);
    return {
      kind: 'not-ready',
      reason: HelmReason.ArtifactFailed,
      message: `HelmChart '${key}' artifact is being fetched again`,
      requeueMs: 2_000,
      helmChart: key,
    };
  }
  return {
    kind: 'ready',
    dir,
    chartName: chart.status?.observedChartName ?? chart.spec.chart,
    chartVersion: artifact.revision,
    helmChart: key,
  };
}
