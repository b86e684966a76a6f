import type { EvaluateOptions } from '../../expr/index.js';
import { evaluateMetricResult, type MetricConditions } from '../evaluate.js';
import type { Measurement, WebMetricSpec } from '../types.js';
import { evaluateJsonPath, parseJsonPath } from './json-path.js';

/** Argo's default web metric timeout, in seconds. */
export const DEFAULT_WEB_TIMEOUT_SECONDS = 10;

/** What the web provider sends. Header values may hold secrets: never log this. */
export interface WebRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly insecure: boolean;
}

/**
 * The request Argo's web provider would send, or why it sends none, checked in Argo's order
 * (metricproviders/webmetric/webmetric.go): the jsonPath must parse (`NewWebMetricJsonParser`); `body` and
 * `jsonBody` exclude each other and need POST or PUT; the URL must be http(s). Method defaults to GET;
 * headers are set in order, a later one with the same name (any case) replacing an earlier one, and a
 * `jsonBody` sets `Content-Type: application/json` over any given.
 */
export function webRequest(
  spec: WebMetricSpec,
): { ok: true; request: WebRequest } | { ok: false; message: string } {
  const jsonPath = parseJsonPath(spec.jsonPath === undefined || spec.jsonPath === '' ? '{$}' : spec.jsonPath);
  if (!jsonPath.ok) return jsonPath;
  const method = spec.method === undefined || spec.method === '' ? 'GET' : spec.method.toUpperCase();
  const hasBody = spec.body !== undefined && spec.body !== '';
  const hasJsonBody = spec.jsonBody !== undefined && spec.jsonBody !== null;
  if (hasBody && hasJsonBody)
    return { ok: false, message: 'use either Body or JSONBody; both cannot exists for WebMetric payload' };
  if ((hasBody || hasJsonBody) && method === 'GET')
    return { ok: false, message: 'Body/JSONBody can only be used with POST or PUT WebMetric Method types' };
  const rawUrl = spec.url ?? '';
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, message: `parse ${JSON.stringify(rawUrl)}: invalid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, message: `unsupported protocol scheme "${url.protocol.replace(/:$/, '')}"` };
  const headers: Record<string, string> = {};
  const set = (key: string, value: string) => {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === key.toLowerCase()) delete headers[k];
    headers[key] = value;
  };
  for (const h of spec.headers ?? []) set(h.key, h.value);
  if (hasJsonBody) set('Content-Type', 'application/json');
  const timeoutSeconds =
    spec.timeoutSeconds !== undefined && spec.timeoutSeconds > 0
      ? spec.timeoutSeconds
      : DEFAULT_WEB_TIMEOUT_SECONDS;
  const body = hasJsonBody ? JSON.stringify(spec.jsonBody) : hasBody ? spec.body : undefined;
  return {
    ok: true,
    request: {
      url,
      method,
      headers,
      ...(body !== undefined && { body }),
      timeoutMs: timeoutSeconds * 1000,
      insecure: spec.insecure === true,
    },
  };
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A JSON value as Go's `json.Marshal` writes it (how Argo prints web results into `measurement.value`):
 * object keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, strings quoted.
 */
export function goJsonText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJsonText).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => compareKeys(a, b));
    return `{${entries.map(([k, v]) => `${goJsonText(k)}:${goJsonText(v)}`).join(',')}}`;
  }
  if (value === undefined) return 'null';
  if (Object.is(value, -0)) return '-0';
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** What a response makes of a measurement; the provider adds startedAt and finishedAt. */
export type WebMeasurementFields = Pick<Measurement, 'phase' | 'value' | 'message'>;

/**
 * Argo's web provider from the response on (`Run` after `Do`, `parseResponse`, `getValue`): a non-2xx
 * status is an Error; a body that is not JSON is Successful with the body as its value and no condition
 * evaluated; otherwise the jsonPath's first value is assessed with the conditions and kept as Go prints
 * it. Errors (jsonPath, conditions) carry no value.
 */
export function measureWebResponse(
  metric: MetricConditions,
  jsonPath: string | undefined,
  response: { readonly status: number; readonly body: string },
  options: EvaluateOptions = {},
): WebMeasurementFields {
  if (response.status < 200 || response.status >= 300)
    return { phase: 'Error', message: `received non 2xx response code: ${response.status}` };
  let document: unknown;
  try {
    document = JSON.parse(response.body);
  } catch {
    return { phase: 'Successful', ...(response.body !== '' && { value: response.body }) };
  }
  const selected = evaluateJsonPath(jsonPath === undefined || jsonPath === '' ? '{$}' : jsonPath, document);
  if (!selected.ok) return { phase: 'Error', message: selected.message };
  const assessment = evaluateMetricResult(metric, selected.value, options);
  if (assessment.phase === 'Error') return { phase: 'Error', message: assessment.message ?? '' };
  return { phase: assessment.phase, value: goJsonText(selected.value) };
}
