import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { evaluateMetricResult } from '../evaluate.js';
import type { Measurement, Metric } from '../types.js';
import { evaluateJsonPath } from './json-path.js';
import { errorMeasurement, type MeasureContext, type MetricProvider, reasonOf } from './provider.js';

/** Argo's default web metric timeout, in seconds. */
export const DEFAULT_WEB_TIMEOUT_SECONDS = 10;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

function send(
  url: URL,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    timeoutMs: number;
    insecure: boolean;
    signal: AbortSignal;
  },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      url,
      {
        method: init.method,
        headers: init.headers,
        timeout: init.timeoutMs,
        signal: init.signal,
        ...(url.protocol === 'https:' && init.insecure && { rejectUnauthorized: false }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) req.destroy(new Error('response body too large'));
          else chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${init.timeoutMs / 1000}s`)));
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** Formats a JSON value the way Argo prints web results into `measurement.value`. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value);
}

/**
 * Calls an HTTP endpoint (Argo's web provider): `method` (default GET), `headers`, `body` or `jsonBody`,
 * `timeoutSeconds` (default 10); a non-2xx status is an Error; the JSON response (or the `jsonPath`
 * selection of it) is the result the conditions see.
 */
export class WebProvider implements MetricProvider {
  readonly type = 'web';

  metadata(_metric: Metric): Record<string, string> {
    return {};
  }

  async run(ctx: MeasureContext): Promise<Measurement> {
    const spec = ctx.metric.provider.web;
    const startedAt = ctx.now;
    const fail = (message: string): Measurement => errorMeasurement(startedAt, message, ctx.clock.now());
    if (spec?.url === undefined || spec.url === '') return fail('web metric url is required');
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      return fail('web metric url is not a valid URL');
    }
    const headers: Record<string, string> = {};
    for (const h of spec.headers ?? []) headers[h.key] = h.value;
    let body = spec.body;
    if (spec.jsonBody !== undefined) {
      body = JSON.stringify(spec.jsonBody);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
        headers['Content-Type'] = 'application/json';
    }
    const timeoutSeconds =
      spec.timeoutSeconds !== undefined && spec.timeoutSeconds > 0
        ? spec.timeoutSeconds
        : DEFAULT_WEB_TIMEOUT_SECONDS;
    let response: HttpResponse;
    try {
      response = await send(url, {
        method: (spec.method ?? 'GET').toUpperCase(),
        headers,
        ...(body !== undefined && { body }),
        timeoutMs: timeoutSeconds * 1000,
        insecure: spec.insecure === true,
        signal: ctx.signal,
      });
    } catch (err) {
      return fail(reasonOf(err));
    }
    if (response.status < 200 || response.status >= 300)
      return fail(`received non 2xx response code: ${response.status}`);
    let document: unknown;
    try {
      document = JSON.parse(response.body);
    } catch {
      return fail('could not parse JSON body');
    }
    const selected = evaluateJsonPath(spec.jsonPath ?? '{$}', document);
    if (!selected.ok) return fail(selected.message);
    const assessment = evaluateMetricResult(ctx.metric, selected.value, { now: new Date(startedAt) });
    return {
      phase: assessment.phase,
      value: valueText(selected.value),
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(ctx.clock.now()).toISOString(),
      ...(assessment.message !== undefined && { message: assessment.message }),
    };
  }

  async resume(_ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    return measurement;
  }

  async terminate(_ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    return measurement;
  }
}
