import { stringify } from 'yaml';
import {
  type EventRecorder,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
  type StatusWriter,
  toKubeTime,
} from '../core/index.js';
import type { Reflector } from '../kube/index.js';
import type { ChartFile } from './chart-archive.js';
import { type ChartSourceDeps, ChartSourceError, type FetchedChart, fetchChart } from './chart-sources.js';
import type { ChartStore } from './chart-store.js';
import { deleteFluxCondition, FluxConditionType, FluxReason, setFluxCondition } from './conditions.js';
import {
  currentFluxObject,
  handledReconcileRequest,
  RECONCILE_REQUEST_ANNOTATION,
} from './current-object.js';
import type { HelmChart, HelmChartStatus, HelmRepository } from './helm-types.js';
import { mergeValues, parseValues, type Values } from './helm-values.js';
import { durationMs, jittered } from './intervals.js';
import { fetchFailedConditions } from './source-conditions.js';
import { writeFluxStatus } from './status-write.js';
import type { FluxCondition, GitRepository } from './types.js';

export interface HelmChartReconcilerDeps extends ChartSourceDeps {
  readonly charts: Reflector<HelmChart>;
  readonly store: ChartStore;
  readonly writer: StatusWriter;
  readonly events: EventRecorder;
  /** Re-check of a source without artifact (Flux: 30 s). */
  readonly dependencyRequeueMs: number;
}

/** The source revision a HelmChart's artifact depends on, from the informer caches. */
function sourceRevision(
  chart: HelmChart,
  helmRepos: Reflector<HelmRepository>,
  gitRepos: Reflector<GitRepository>,
): string | undefined {
  const key = `${chart.metadata.namespace ?? ''}/${chart.spec.sourceRef.name}`;
  const src =
    chart.spec.sourceRef.kind === 'HelmRepository' ? helmRepos.store.get(key) : gitRepos.store.get(key);
  return src?.status?.artifact?.revision;
}

/** source-controller's values merge: `valuesFiles` in order replace the chart's values.yaml. */
async function withValuesFiles(chart: HelmChart, fetched: FetchedChart): Promise<readonly ChartFile[]> {
  const list = chart.spec.valuesFiles ?? [];
  if (list.length === 0) return fetched.files;
  let merged: Values = {};
  for (const path of list) {
    const content = await fetched.readFile(path);
    if (content === undefined) {
      if (chart.spec.ignoreMissingValuesFiles) continue;
      throw new ChartSourceError(`values files merge error: no values file found at path '${path}'`);
    }
    merged = mergeValues(merged, parseValues(content.toString('utf8'), path));
  }
  return [
    ...fetched.files.filter((f) => f.path !== 'values.yaml'),
    { path: 'values.yaml', content: Buffer.from(stringify(merged)) },
  ];
}

/**
 * The HelmChart reconciler: pull the chart version from a HelmRepository's index (semver range) or
 * take the chart directory of a GitRepository's artifact, merge `valuesFiles`, keep it unpacked in
 * the chart store, and report it as source-controller does (artifact revision = chart version,
 * `observedChartName`, `observedSourceArtifactRevision`, Ready `ChartPullSucceeded` /
 * `ChartPackageSucceeded`).
 */
export class HelmChartReconciler implements Reconciler {
  constructor(private readonly d: HelmChartReconcilerDeps) {}

  async reconcile(ctx: ReconcileContext, req: ReconcileRequest): Promise<ReconcileResult | undefined> {
    const current = currentFluxObject(this.d.charts, this.d.writer, 'HelmChart', req);
    if (current.state !== 'active') return undefined;
    const chart = current.obj;
    const now = toKubeTime(ctx.clock.now());
    const gen = chart.metadata.generation;
    const intervalMs = durationMs(chart.spec.interval, 600_000);
    let conditions: readonly FluxCondition[] = chart.status?.conditions ?? [];
    const set = (type: FluxConditionType, status: 'True' | 'False', reason: string, message: string) => {
      conditions = setFluxCondition(
        conditions,
        { type, status, reason: reason as FluxReason, message },
        gen,
        now,
      );
    };
    const requested = chart.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
    const srcRevision = sourceRevision(chart, this.d.helmRepos, this.d.gitRepos);
    const st = chart.status;
    const upToDate =
      st?.observedGeneration === gen &&
      srcRevision !== undefined &&
      st?.observedSourceArtifactRevision === srcRevision &&
      st.artifact !== undefined &&
      this.d.store.dir(st.artifact.path) !== undefined &&
      conditions.find((c) => c.type === FluxConditionType.Ready)?.status === 'True';
    if (upToDate && (requested === undefined || st?.lastHandledReconcileAt === requested))
      return { requeueAfterMs: jittered(intervalMs, Math.random()) };

    let status: HelmChartStatus;
    let requeueMs = jittered(intervalMs, Math.random());
    try {
      const fetched = await fetchChart(this.d, chart);
      const files = await withValuesFiles(chart, fetched);
      const ns = chart.metadata.namespace ?? '';
      const stored = await this.d.store.put(
        ns,
        chart.metadata.name ?? '',
        fetched.name,
        fetched.version,
        files,
      );
      const previous = st?.artifact;
      const isNew = previous?.revision !== fetched.version || previous.digest !== stored.digest;
      const reason = fetched.packaged ? 'ChartPackageSucceeded' : 'ChartPullSucceeded';
      const valuesFiles = chart.spec.valuesFiles ?? [];
      const summary = `${fetched.packaged ? 'packaged' : 'pulled'} '${fetched.name}' chart with version '${fetched.version}'${
        valuesFiles.length > 0 ? ` and merged values files [${valuesFiles.join(' ')}]` : ''
      }`;
      conditions = deleteFluxCondition(conditions, FluxConditionType.FetchFailed);
      conditions = deleteFluxCondition(conditions, 'BuildFailed' as FluxConditionType);
      conditions = deleteFluxCondition(conditions, FluxConditionType.Reconciling);
      set(
        FluxConditionType.ArtifactInStorage,
        'True',
        FluxReason.Succeeded,
        `stored artifact: revision '${fetched.version}'`,
      );
      set(FluxConditionType.Ready, 'True', reason, summary);
      if (isNew) {
        ctx.logger.info({ chart: fetched.name, version: fetched.version }, 'stored helm chart');
        this.d.events.normal(chart, reason, summary);
      }
      status = {
        ...st,
        conditions,
        observedGeneration: gen ?? 0,
        ...(fetched.sourceRevision !== undefined && {
          observedSourceArtifactRevision: fetched.sourceRevision,
        }),
        observedChartName: fetched.name,
        ...(valuesFiles.length > 0 ? { observedValuesFiles: valuesFiles } : {}),
        artifact: {
          path: stored.path,
          url: `slipway://${stored.path}`,
          revision: fetched.version,
          digest: stored.digest,
          size: stored.size,
          lastUpdateTime: isNew || !previous ? now : previous.lastUpdateTime,
        },
        url: `slipway://helmchart/${ns}/${chart.metadata.name ?? ''}/${fetched.name}-latest.tgz`,
      };
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      const waiting = err instanceof ChartSourceError && err.waiting;
      const reason =
        (err instanceof ChartSourceError ? err.reason : undefined) ??
        (waiting ? 'NoSourceArtifact' : 'ChartPullError');
      const failure = fetchFailedConditions(conditions, reason, text, gen, now);
      conditions = failure.conditions;
      if (failure.isNew) {
        ctx.logger.warn({ reason }, 'helm chart reconciliation failed');
        this.d.events.warning(chart, reason, text);
      }
      status = { ...st, conditions };
      requeueMs = waiting ? this.d.dependencyRequeueMs : Math.min(requeueMs, 60_000);
    }
    await writeFluxStatus(this.d.client, this.d.writer, chart, {
      ...status,
      ...handledReconcileRequest(chart),
    });
    return { requeueAfterMs: requeueMs };
  }
}
