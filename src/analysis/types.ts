/**
 * The AnalysisTemplate / ClusterAnalysisTemplate / AnalysisRun data model, field for field as Argo Rollouts
 * (`argoproj.io/v1alpha1`) writes it. Plain JSON shapes; the controller reads and writes them raw.
 */

export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

export interface FieldRef {
  readonly fieldPath: string;
}

export interface ArgumentValueFrom {
  /** Resolved by the AnalysisRun controller at measurement time; the value is redacted as `*****`. */
  readonly secretKeyRef?: SecretKeyRef;
  /** Resolved by the Rollout controller before the run is created. */
  readonly fieldRef?: FieldRef;
}

export interface Argument {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: ArgumentValueFrom;
}

export interface DryRun {
  /** A regular expression matched against metric names. */
  readonly metricName: string;
}

export interface MeasurementRetention {
  /** A regular expression matched against metric names. */
  readonly metricName: string;
  readonly limit: number;
}

export type IntOrString = number | string;

/** One metric provider block; exactly one key is expected. Unknown providers are kept as written. */
export interface MetricProviderSpec {
  readonly prometheus?: PrometheusMetricSpec;
  readonly web?: WebMetricSpec;
  readonly job?: JobMetricSpec;
  readonly [provider: string]: unknown;
}

export interface HeaderSpec {
  readonly key: string;
  readonly value: string;
}

export interface PrometheusMetricSpec {
  readonly address?: string;
  readonly query?: string;
  /** Seconds; default 30. */
  readonly timeout?: number;
  readonly insecure?: boolean;
  readonly headers?: readonly HeaderSpec[];
  readonly authentication?: {
    readonly basicAuth?: { readonly username?: string; readonly password?: string };
    readonly oauth2?: {
      readonly tokenUrl?: string;
      readonly clientId?: string;
      readonly clientSecret?: string;
      readonly scopes?: readonly string[];
    };
    readonly sigv4?: unknown;
  };
  readonly rangeQuery?: { readonly start?: string; readonly end?: string; readonly step?: string };
}

export interface WebMetricSpec {
  readonly url: string;
  readonly method?: string;
  readonly headers?: readonly HeaderSpec[];
  readonly body?: string;
  readonly jsonBody?: unknown;
  /** Seconds; default 10. */
  readonly timeoutSeconds?: number;
  readonly jsonPath?: string;
  readonly insecure?: boolean;
}

export interface JobMetricSpec {
  readonly metadata?: {
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: Readonly<Record<string, unknown>>;
}

export interface Metric {
  readonly name: string;
  readonly interval?: string;
  readonly initialDelay?: string;
  readonly count?: IntOrString;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  readonly failureLimit?: IntOrString;
  readonly inconclusiveLimit?: IntOrString;
  readonly consecutiveErrorLimit?: IntOrString;
  readonly consecutiveSuccessLimit?: IntOrString;
  readonly provider: MetricProviderSpec;
}

export interface AnalysisTemplateRef {
  readonly templateName: string;
  readonly clusterScope?: boolean;
}

export interface AnalysisTemplateSpec {
  readonly metrics?: readonly Metric[];
  readonly args?: readonly Argument[];
  readonly dryRun?: readonly DryRun[];
  readonly measurementRetention?: readonly MeasurementRetention[];
  /** Nested templates (Argo Rollouts ≥ 1.7). */
  readonly templates?: readonly AnalysisTemplateRef[];
}

/** An AnalysisTemplate or ClusterAnalysisTemplate as read from the API server. */
export interface AnalysisTemplateLike {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec: AnalysisTemplateSpec;
}

export interface AnalysisRunSpec {
  readonly metrics: readonly Metric[];
  readonly args?: readonly Argument[];
  readonly dryRun?: readonly DryRun[];
  readonly measurementRetention?: readonly MeasurementRetention[];
  readonly terminate?: boolean;
}

export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

export interface Measurement {
  readonly phase: AnalysisPhase;
  readonly message?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly value?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** When a Running measurement should be resumed (job provider). */
  readonly resumeAt?: string;
}

export interface MetricResult {
  readonly name: string;
  readonly phase: AnalysisPhase;
  readonly measurements?: readonly Measurement[];
  readonly message?: string;
  readonly count?: number;
  readonly successful?: number;
  readonly failed?: number;
  readonly inconclusive?: number;
  readonly error?: number;
  readonly consecutiveError?: number;
  readonly consecutiveSuccess?: number;
  readonly dryRun?: boolean;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface RunSummary {
  readonly count?: number;
  readonly successful?: number;
  readonly failed?: number;
  readonly inconclusive?: number;
  readonly error?: number;
}

export interface AnalysisRunStatus {
  readonly phase?: AnalysisPhase;
  readonly message?: string;
  readonly metricResults?: readonly MetricResult[];
  readonly startedAt?: string;
  readonly runSummary?: RunSummary;
  readonly dryRunSummary?: RunSummary;
}

/** The phases that end a measurement, a metric or a run. */
export function isCompletedPhase(phase: AnalysisPhase | undefined): boolean {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}
