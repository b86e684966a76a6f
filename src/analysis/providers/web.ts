import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Measurement, Metric } from '../types.js';
import { errorMeasurement, type MeasureContext, type MetricProvider, reasonOf } from './provider.js';
import { measureWebResponse, webRequest } from './web-result.js';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

function send(
  url: URL,
  init: {
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
    readonly timeoutMs: number;
    readonly insecure: boolean;
    readonly signal: AbortSignal;
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

/**
 * Calls an HTTP endpoint (Argo's web provider): the request is built by `webRequest` and the response
 * judged by `measureWebResponse`. Header values (often secrets) are sent, never logged.
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
    if (spec === undefined) return fail('web metric spec is required');
    const built = webRequest(spec);
    if (!built.ok) return fail(built.message);
    const { url, ...init } = built.request;
    let response: HttpResponse;
    try {
      response = await send(url, { ...init, signal: ctx.signal });
    } catch (err) {
      return fail(reasonOf(err));
    }
    return {
      ...measureWebResponse(ctx.metric, spec.jsonPath, response, { now: new Date(startedAt) }),
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(ctx.clock.now()).toISOString(),
    };
  }

  async resume(_ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    return measurement;
  }

  async terminate(_ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    return measurement;
  }
}
