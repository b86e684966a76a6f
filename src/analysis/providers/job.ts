import { isAlreadyExists, isNotFound, type KubeClient, type KubeObject } from '../../kube/index.js';
import type { Measurement, Metric } from '../types.js';
import { errorMeasurement, type MeasureContext, type MetricProvider, reasonOf } from './provider.js';

export const JOB_GVK = { apiVersion: 'batch/v1', kind: 'Job' } as const;
/** Label on every Job the provider creates: the owning AnalysisRun's uid. */
export const ANALYSIS_RUN_UID_LABEL = 'analysisrun.argoproj.io/uid';
const NAME_ANNOTATION = 'analysisrun.argoproj.io/name';
const NAMESPACE_ANNOTATION = 'analysisrun.argoproj.io/namespace';
const METRIC_ANNOTATION = 'analysisrun.argoproj.io/metric-name';
const JOB_NAME_KEY = 'job-name';
const JOB_NAMESPACE_KEY = 'job-namespace';

interface JobObject extends KubeObject {
  readonly status?: {
    readonly conditions?: readonly {
      readonly type?: string;
      readonly status?: string;
      readonly message?: string;
    }[];
  };
}

/** Argo's Job naming: `<run uid>.<metric>.<count + 1>`. */
export function jobName(runUid: string, metricName: string, count: number): string {
  return `${runUid}.${metricName}.${count + 1}`;
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

/**
 * Runs a Kubernetes Job per measurement (Argo's job provider). The Job is owned by the AnalysisRun and
 * labelled with its uid, so Job changes wake the run up; the measurement stays Running until the Job
 * completes (Successful) or fails (Failed). Terminating deletes the Job.
 */
export class JobProvider implements MetricProvider {
  readonly type = 'job';

  constructor(private readonly client: KubeClient) {}

  metadata(_metric: Metric): Record<string, string> {
    return {};
  }

  async run(ctx: MeasureContext): Promise<Measurement> {
    const spec = ctx.metric.provider.job;
    const startedAt = new Date(ctx.now).toISOString();
    if (spec?.spec === undefined) return errorMeasurement(ctx.now, 'job spec is required', ctx.clock.now());
    const name = jobName(ctx.run.uid, ctx.metric.name, ctx.count);
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
      spec: spec.spec,
    };
    try {
      await this.client.create(job, { signal: ctx.signal });
    } catch (err) {
      if (!isAlreadyExists(err)) return errorMeasurement(ctx.now, reasonOf(err), ctx.clock.now());
      try {
        const existing = await this.client.get<JobObject>({ ...JOB_GVK, namespace: ctx.run.namespace, name });
        if (existing.metadata.labels?.[ANALYSIS_RUN_UID_LABEL] !== ctx.run.uid)
          return errorMeasurement(
            ctx.now,
            `job ${name} exists and is not owned by this run`,
            ctx.clock.now(),
          );
      } catch (getErr) {
        return errorMeasurement(ctx.now, reasonOf(getErr), ctx.clock.now());
      }
    }
    return {
      phase: 'Running',
      startedAt,
      metadata: { [JOB_NAME_KEY]: name, [JOB_NAMESPACE_KEY]: ctx.run.namespace },
    };
  }

  async resume(ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    const name = measurement.metadata?.[JOB_NAME_KEY];
    const namespace = measurement.metadata?.[JOB_NAMESPACE_KEY] ?? ctx.run.namespace;
    const finish = (phase: Measurement['phase'], message?: string): Measurement => ({
      ...measurement,
      phase,
      finishedAt: new Date(ctx.clock.now()).toISOString(),
      ...(message !== undefined && { message }),
    });
    if (name === undefined) return finish('Error', 'job measurement has no job-name metadata');
    try {
      const job = await this.client.get<JobObject>({ ...JOB_GVK, namespace, name }, { signal: ctx.signal });
      const state = jobPhase(job);
      if (state.phase === 'Running') return measurement;
      return finish(state.phase, state.message);
    } catch (err) {
      if (isNotFound(err)) return finish('Error', `job ${name} not found`);
      return finish('Error', reasonOf(err));
    }
  }

  async terminate(ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    const name = measurement.metadata?.[JOB_NAME_KEY];
    if (name !== undefined) {
      try {
        await this.client.delete(
          { ...JOB_GVK, namespace: measurement.metadata?.[JOB_NAMESPACE_KEY] ?? ctx.run.namespace, name },
          { propagationPolicy: 'Background' },
        );
      } catch (err) {
        if (!isNotFound(err)) ctx.logger.warn({ err, job: name }, 'cannot delete analysis job');
      }
    }
    return { ...measurement, phase: 'Successful', finishedAt: new Date(ctx.clock.now()).toISOString() };
  }
}
