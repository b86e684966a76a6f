import {
  formatMetaLabelSelector,
  isAlreadyExists,
  isNotFound,
  type KubeObject,
  type KubeReader,
  type KubeWriter,
  type MetaLabelSelector,
} from '../../kube/index.js';
import type { Measurement, Metric } from '../types.js';
import { jobsToDelete, sequencedJobName } from './job-names.js';
import { type JobPod, jobResumeDelayMs, terminalPodError } from './job-pods.js';
import {
  errorMeasurement,
  type MeasureContext,
  type MetricProvider,
  type RunRef,
  reasonOf,
} from './provider.js';

export const JOB_GVK = { apiVersion: 'batch/v1', kind: 'Job' } as const;
/** Label on every Job the provider creates: the owning AnalysisRun's uid. */
export const ANALYSIS_RUN_UID_LABEL = 'analysisrun.argoproj.io/uid';
const NAME_ANNOTATION = 'analysisrun.argoproj.io/name';
const NAMESPACE_ANNOTATION = 'analysisrun.argoproj.io/namespace';
const METRIC_ANNOTATION = 'analysisrun.argoproj.io/metric-name';
const JOB_NAME_KEY = 'job-name';
const JOB_NAMESPACE_KEY = 'job-namespace';

const POD_GVK = { apiVersion: 'v1', kind: 'Pod' } as const;

interface JobObject extends KubeObject {
  readonly spec?: { readonly selector?: MetaLabelSelector };
  readonly status?: {
    readonly conditions?: readonly {
      readonly type?: string;
      readonly status?: string;
      readonly message?: string;
    }[];
  };
}

/** Successful when the Job completes, Failed when it fails, Running while neither. */
export function jobPhase(job: JobObject): { phase: 'Successful' | 'Failed' | 'Running'; message?: string } {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== 'True') continue;
    if (c.type === 'Failed')
      return { phase: 'Failed', ...(c.message !== undefined && { message: c.message }) };
    if (c.type === 'Complete') return { phase: 'Successful' };
  }
  return { phase: 'Running' };
}

/** Argo's `getJobNamespacedName`: the Job a measurement refers to, from its metadata. */
function jobRef(measurement: Measurement, run: RunRef): { namespace: string; name: string } | undefined {
  const name = measurement.metadata?.[JOB_NAME_KEY];
  if (name === undefined || name === '') return undefined;
  const namespace = measurement.metadata?.[JOB_NAMESPACE_KEY];
  return { name, namespace: namespace === undefined || namespace === '' ? run.namespace : namespace };
}

const MISSING_METADATA = 'job metadata reference missing';

/** What the job provider needs of the API: Jobs by name, by label, created and deleted; their pods. */
export type JobClient = Pick<KubeReader, 'get' | 'list'> & Pick<KubeWriter, 'create' | 'delete'>;

/**
 * Runs a Kubernetes Job per measurement (Argo's metricproviders/job/job.go). The Job is owned by the
 * AnalysisRun and labelled with its uid, so Job changes wake the run up; the measurement stays Running
 * until the Job completes (Successful) or fails (Failed). Terminating deletes the Job (foreground) and
 * ends the measurement Inconclusive (Argo ≥ 1.9); old Jobs are garbage-collected beyond the run's limit.
 */
export class JobProvider implements MetricProvider {
  readonly type = 'job';

  constructor(private readonly client: JobClient) {}

  metadata(_metric: Metric): Record<string, string> {
    return {};
  }

  async run(ctx: MeasureContext): Promise<Measurement> {
    const spec = ctx.metric.provider.job;
    const startedAt = new Date(ctx.now).toISOString();
    if (spec?.spec === undefined) return errorMeasurement(ctx.now, 'job spec is required', ctx.clock.now());
    const name = sequencedJobName(ctx.run.uid, ctx.metric.name, ctx.count + ctx.error + 1);
    const job: KubeObject = {
      apiVersion: JOB_GVK.apiVersion,
      kind: JOB_GVK.kind,
      metadata: {
        name,
        namespace: ctx.run.namespace,
        labels: { ...(spec.metadata?.labels ?? {}), [ANALYSIS_RUN_UID_LABEL]: ctx.run.uid },
        annotations: {
          ...(spec.metadata?.annotations ?? {}),
          [NAME_ANNOTATION]: ctx.run.name,
          [NAMESPACE_ANNOTATION]: ctx.run.namespace,
          [METRIC_ANNOTATION]: ctx.metric.name,
        },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'AnalysisRun',
            name: ctx.run.name,
            uid: ctx.run.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: withPodLabel(spec.spec, ANALYSIS_RUN_UID_LABEL, ctx.run.uid),
    };
    try {
      await this.client.create(job, { signal: ctx.signal });
    } catch (err) {
      // Argo reuses a Job of the same name only when this run owns it (a create that raced a reconcile).
      if (!isAlreadyExists(err)) return errorMeasurement(ctx.now, reasonOf(err), ctx.clock.now());
      try {
        const existing = await this.client.get<JobObject>({ ...JOB_GVK, namespace: ctx.run.namespace, name });
        if (existing.metadata.labels?.[ANALYSIS_RUN_UID_LABEL] !== ctx.run.uid)
          return errorMeasurement(ctx.now, reasonOf(err), ctx.clock.now());
      } catch {
        return errorMeasurement(ctx.now, reasonOf(err), ctx.clock.now());
      }
    }
    return {
      phase: 'Running',
      startedAt,
      metadata: { [JOB_NAME_KEY]: name, [JOB_NAMESPACE_KEY]: ctx.run.namespace },
    };
  }

  async resume(ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    const finish = finisher(ctx, measurement);
    const ref = jobRef(measurement, ctx.run);
    if (ref === undefined) return finish('Error', MISSING_METADATA);
    try {
      const job = await this.client.get<JobObject>({ ...JOB_GVK, ...ref }, { signal: ctx.signal });
      const state = jobPhase(job);
      if (state.phase !== 'Running') return finish(state.phase, state.message);
      // a pod stuck on its image never changes the Job: look at the pods, and look again later
      const stuck = terminalPodError(await this.podsOf(job, ctx.signal));
      if (stuck !== undefined) return finish('Inconclusive', stuck);
      const now = ctx.clock.now();
      const elapsed = now - (Date.parse(measurement.startedAt ?? '') || now);
      return { ...measurement, resumeAt: new Date(now + jobResumeDelayMs(elapsed)).toISOString() };
    } catch (err) {
      if (isNotFound(err)) return finish('Error', `job.batch "${ref.name}" not found`);
      return finish('Error', reasonOf(err));
    }
  }

  async terminate(ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    const finish = finisher(ctx, measurement);
    const ref = jobRef(measurement, ctx.run);
    if (ref === undefined) return finish('Error', MISSING_METADATA);
    try {
      await this.deleteJob(ref, ctx.signal);
    } catch (err) {
      return finish('Error', reasonOf(err));
    }
    ctx.logger.info({ job: ref.name }, 'analysis job terminated');
    return finish('Inconclusive');
  }

  /**
   * Argo's `GarbageCollect`: lists every Job labelled with the run's uid (all of the run's metrics),
   * oldest first, and deletes all but the newest `limit`. Throws on the first failed delete.
   */
  async garbageCollect(run: RunRef, limit: number, signal: AbortSignal): Promise<readonly string[]> {
    const { items } = await this.client.list<JobObject>(JOB_GVK, {
      namespace: run.namespace,
      labelSelector: `${ANALYSIS_RUN_UID_LABEL}=${run.uid}`,
      signal,
    });
    const doomed = jobsToDelete(items, limit);
    for (const job of doomed) await this.deleteJob({ namespace: run.namespace, name: job }, signal);
    return doomed;
  }

  /** The Job's pods, by its selector. */
  private async podsOf(job: JobObject, signal: AbortSignal): Promise<readonly JobPod[]> {
    const selector = job.spec?.selector;
    if (selector === undefined) return [];
    const { items } = await this.client.list<JobPod>(POD_GVK, {
      namespace: job.metadata.namespace ?? '',
      labelSelector: formatMetaLabelSelector(selector),
      signal,
    });
    return items;
  }

  /** Foreground deletion (the Job's pods go first); a Job already gone is fine. */
  private async deleteJob(ref: { namespace: string; name: string }, signal: AbortSignal): Promise<void> {
    try {
      await this.client.delete({ ...JOB_GVK, ...ref }, { propagationPolicy: 'Foreground', signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** Ends an in-flight measurement now with a phase (and message). */
function finisher(ctx: MeasureContext, measurement: Measurement) {
  return (phase: Measurement['phase'], message?: string): Measurement => ({
    ...measurement,
    phase,
    finishedAt: new Date(ctx.clock.now()).toISOString(),
    ...(message !== undefined && { message }),
  });
}

/** The Job spec with `label` on its pod template too (Argo's pod informer finds metric Job pods by it). */
function withPodLabel(
  jobSpec: Record<string, unknown>,
  label: string,
  value: string,
): Record<string, unknown> {
  const template = (jobSpec.template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  return {
    ...jobSpec,
    template: {
      ...template,
      metadata: { ...template.metadata, labels: { ...template.metadata?.labels, [label]: value } },
    },
  };
}
