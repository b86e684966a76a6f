import type { Metric, MetricProviderSpec } from '../types.js';
import { type JobClient, JobProvider } from './job.js';
import { TokenSource } from './oauth2.js';
import { PrometheusProvider } from './prometheus.js';
import type { MetricProvider } from './provider.js';
import { WebProvider } from './web.js';

export { ANALYSIS_RUN_UID_LABEL, JOB_GVK, type JobClient, JobProvider, jobPhase } from './job.js';
export { JOB_NAME_LIMIT, jobsToDelete, sequencedJobName } from './job-names.js';
export { evaluateJsonPath, type JsonPathSegment, parseJsonPath } from './json-path.js';
export { TokenSource } from './oauth2.js';
export { PrometheusProvider, RESOLVED_QUERY_KEY } from './prometheus.js';
export {
  convertPromResult,
  measurePromResponse,
  type PromMeasurementFields,
  type PromQueryData,
  type PromResponseBody,
  type PromValue,
} from './prometheus-result.js';
export {
  DEFAULT_PROMETHEUS_TIMEOUT_SECONDS,
  prometheusSpecProblem,
  prometheusTimeoutMs,
  type QueryRange,
  resolveRange,
} from './prometheus-spec.js';
export { errorMeasurement, type MeasureContext, type MetricProvider, type RunRef } from './provider.js';
export { WebProvider } from './web.js';
export {
  DEFAULT_WEB_TIMEOUT_SECONDS,
  goJsonText,
  measureWebResponse,
  type WebMeasurementFields,
  type WebRequest,
  webRequest,
} from './web-result.js';

export type ProviderKind = 'prometheus' | 'web' | 'job';

/** Which provider a metric names, or why none fits. */
export function providerKind(
  spec: MetricProviderSpec,
): { ok: true; kind: ProviderKind } | { ok: false; message: string } {
  if (spec.prometheus !== undefined) return { ok: true, kind: 'prometheus' };
  if (spec.web !== undefined) return { ok: true, kind: 'web' };
  if (spec.job !== undefined) return { ok: true, kind: 'job' };
  const name = Object.keys(spec)[0] ?? 'none';
  return { ok: false, message: `metric provider "${name}" is not supported by slipway` };
}

/** The providers of one controller; one instance of each, shared by every run. */
export class ProviderRegistry {
  private readonly prometheus: PrometheusProvider;
  private readonly web = new WebProvider();
  private readonly job: JobProvider | undefined;

  /** Without a client the job provider is unavailable (the CLI's one-off evaluation). */
  constructor(client: JobClient | undefined, tokens: TokenSource = new TokenSource()) {
    this.prometheus = new PrometheusProvider(tokens);
    this.job = client === undefined ? undefined : new JobProvider(client);
  }

  providerFor(metric: Metric): { ok: true; provider: MetricProvider } | { ok: false; message: string } {
    const kind = providerKind(metric.provider);
    if (!kind.ok) return kind;
    switch (kind.kind) {
      case 'prometheus':
        return { ok: true, provider: this.prometheus };
      case 'web':
        return { ok: true, provider: this.web };
      case 'job':
        return this.job === undefined
          ? { ok: false, message: 'the job provider needs a cluster' }
          : { ok: true, provider: this.job };
    }
  }
}
