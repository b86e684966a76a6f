import type { EvaluateOptions } from '../../expr/index.js';
import { formatF } from '../../go/index.js';
import { evaluateMetricResult, type MetricConditions } from '../evaluate.js';
import type { Measurement } from '../types.js';

/** The `data` object of a Prometheus query API response, as JSON. */
export interface PromQueryData {
  readonly resultType?: string;
  readonly result?: unknown;
}

/** A Prometheus query API response body, as JSON. */
export interface PromResponseBody {
  readonly status?: string;
  readonly data?: PromQueryData;
  readonly warnings?: readonly string[];
}

export type PromValue =
  | { readonly ok: true; readonly value: number | number[]; readonly text: string }
  | { readonly ok: false; readonly message: string };

type Sample = readonly [number, string];

const isSample = (v: unknown): v is Sample => Array.isArray(v) && v.length === 2 && typeof v[1] === 'string';

/** Parses a Prometheus sample value string (`"0.5"`, `"+Inf"`, `"NaN"`). */
function parsePromFloat(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return Number.NaN;
  return Number(text);
}

/** A sample as Argo prints it: `strconv.FormatFloat(v, 'f', -1, 64)` (shortest digits, no exponent). */
const sampleText = (value: number): string => formatF(value, -1);
const vectorText = (values: readonly number[]): string => `[${values.map(sampleText).join(',')}]`;

/** A vector's samples (one per series) or a matrix's (every series' values); undefined when malformed. */
function samplesOf(resultType: 'vector' | 'matrix', result: unknown): Sample[] | undefined {
  if (!Array.isArray(result)) return undefined;
  const out: Sample[] = [];
  for (const series of result as unknown[]) {
    const fields = series as { value?: unknown; values?: unknown } | null;
    const samples = resultType === 'vector' ? [fields?.value] : fields?.values;
    if (!Array.isArray(samples)) return undefined;
    for (const sample of samples) {
      if (!isSample(sample)) return undefined;
      out.push(sample);
    }
  }
  return out;
}

/**
 * Converts a query result the way Argo's Prometheus provider does: a scalar is a number, a vector an
 * array of its sample values, a matrix (range query) the flattened values of every series. The text is
 * what the measurement's `value` shows: `0.99` or `[0.99,1]`.
 */
export function convertPromResult(data: PromQueryData): PromValue {
  switch (data.resultType) {
    case 'scalar': {
      if (!isSample(data.result)) return { ok: false, message: 'malformed scalar result from Prometheus' };
      const value = parsePromFloat(data.result[1]);
      return { ok: true, value, text: sampleText(value) };
    }
    case 'vector':
    case 'matrix': {
      const samples = samplesOf(data.resultType, data.result);
      if (samples === undefined)
        return { ok: false, message: `malformed ${data.resultType} result from Prometheus` };
      const values = samples.map((sample) => parsePromFloat(sample[1]));
      return { ok: true, value: values, text: vectorText(values) };
    }
    default:
      return { ok: false, message: 'Prometheus metric type not supported' };
  }
}

/** What a query response makes of a measurement; the provider adds startedAt and finishedAt. */
export type PromMeasurementFields = Pick<Measurement, 'phase' | 'value' | 'message' | 'metadata'>;

/**
 * Argo's `processResponse` and the end of its `Run`: the converted value is assessed with the metric's
 * conditions; an unsupported result type or a condition error is an Error measurement without a value;
 * otherwise the value text is kept, and the response's warnings go to the measurement's metadata as
 * `warnings: "w1", "w2"`.
 */
export function measurePromResponse(
  metric: MetricConditions,
  body: PromResponseBody | undefined,
  options: EvaluateOptions = {},
): PromMeasurementFields {
  if (body?.data === undefined) return { phase: 'Error', message: 'prometheus returned no data object' };
  const converted = convertPromResult(body.data);
  if (!converted.ok) return { phase: 'Error', message: converted.message };
  const assessment = evaluateMetricResult(metric, converted.value, options);
  if (assessment.phase === 'Error') return { phase: 'Error', message: assessment.message ?? '' };
  const warnings = (body.warnings ?? []).map((w) => `"${w}"`).join(', ');
  return {
    phase: assessment.phase,
    value: converted.text,
    ...(warnings !== '' && { metadata: { warnings } }),
  };
}
