import { formatGoFloat, parsePromFloat } from './go-float.js';

/** The `data` object of a Prometheus query API response, as JSON. */
export interface PromQueryData {
  readonly resultType?: string;
  readonly result?: unknown;
}

export type PromValue =
  | { readonly ok: true; readonly value: number | number[]; readonly text: string }
  | { readonly ok: false; readonly message: string };

type Sample = readonly [number, string];

const isSample = (v: unknown): v is Sample => Array.isArray(v) && v.length === 2 && typeof v[1] === 'string';

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
      return { ok: true, value, text: formatGoFloat(value) };
    }
    case 'vector': {
      if (!Array.isArray(data.result))
        return { ok: false, message: 'malformed vector result from Prometheus' };
      const values: number[] = [];
      for (const series of data.result as unknown[]) {
        const sample = (series as { value?: unknown } | null)?.value;
        if (!isSample(sample)) return { ok: false, message: 'malformed vector result from Prometheus' };
        values.push(parsePromFloat(sample[1]));
      }
      return { ok: true, value: values, text: `[${values.map(formatGoFloat).join(',')}]` };
    }
    case 'matrix': {
      if (!Array.isArray(data.result))
        return { ok: false, message: 'malformed matrix result from Prometheus' };
      const values: number[] = [];
      for (const series of data.result as unknown[]) {
        const samples = (series as { values?: unknown } | null)?.values;
        if (!Array.isArray(samples)) return { ok: false, message: 'malformed matrix result from Prometheus' };
        for (const sample of samples) {
          if (!isSample(sample)) return { ok: false, message: 'malformed matrix result from Prometheus' };
          values.push(parsePromFloat(sample[1]));
        }
      }
      return { ok: true, value: values, text: `[${values.map(formatGoFloat).join(',')}]` };
    }
    default:
      return { ok: false, message: 'Prometheus metric type not supported' };
  }
}
