import { Agent as HttpsAgent } from 'node:https';
import type { PrometheusConnectionOptions } from 'prometheus-query';
import type { Measurement, Metric } from '../types.js';
import type { TokenSource } from './oauth2.js';
import { measurePromResponse, type PromResponseBody } from './prometheus-result.js';
import { prometheusSpecProblem, prometheusTimeoutMs, resolveRange } from './prometheus-spec.js';
import { errorMeasurement, type MeasureContext, type MetricProvider } from './provider.js';

/** The metadata key Argo stores the resolved query under (on the metric result). */
export const RESOLVED_QUERY_KEY = 'ResolvedPrometheusQuery';

const insecureAgent = new HttpsAgent({ rejectUnauthorized: false, keepAlive: true });

/** One line from whatever prometheus-query threw; never the request config (it holds credentials). */
function queryFailure(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { errorType?: unknown; error?: unknown; httpStatus?: unknown };
    const reason = typeof e.error === 'string' ? e.error : 'unknown error';
    if (e.errorType === 'http_error') return `prometheus returned HTTP ${String(e.httpStatus)}: ${reason}`;
    if (e.errorType === 'timeout_error') return `prometheus query timed out: ${reason}`;
    if (e.errorType === 'network_error' || e.errorType === 'ssl_error')
      return `cannot reach prometheus: ${reason}`;
    if (err instanceof Error) return err.message;
    return reason;
  }
  return String(err);
}

/**
 * Queries Prometheus through `prometheus-query` (an instant query, or a range query with `rangeQuery`)
 * and turns the response into a measurement with `measurePromResponse`. The driver is configured not to
 * retry, to time out after `timeout` seconds (default 30), to use our abort signal, and its errors are
 * reduced to a reason string so credentials in the request config never reach a message or a log.
 */
export class PrometheusProvider implements MetricProvider {
  readonly type = 'prometheus';

  constructor(private readonly tokens: TokenSource) {}

  metadata(metric: Metric): Record<string, string> {
    const query = metric.provider.prometheus?.query;
    return query !== undefined && query !== '' ? { [RESOLVED_QUERY_KEY]: query } : {};
  }

  async run(ctx: MeasureContext): Promise<Measurement> {
    const spec = ctx.metric.provider.prometheus ?? {};
    const startedAt = ctx.now;
    const fail = (message: string): Measurement => errorMeasurement(startedAt, message, ctx.clock.now());
    const problem = prometheusSpecProblem(spec);
    if (problem !== undefined) return fail(problem);
    const address = spec.address ?? '';
    const query = spec.query ?? '';
    const timeoutMs = prometheusTimeoutMs(spec);
    const headers: Record<string, string> = {};
    for (const h of spec.headers ?? []) headers[h.key] = h.value;
    const oauth = spec.authentication?.oauth2;
    if (oauth?.tokenUrl !== undefined && oauth.tokenUrl !== '') {
      const token = await this.tokens.token(
        {
          tokenUrl: oauth.tokenUrl,
          clientId: oauth.clientId ?? '',
          clientSecret: oauth.clientSecret ?? '',
          ...(oauth.scopes !== undefined && { scopes: oauth.scopes }),
        },
        timeoutMs,
        ctx.signal,
      );
      if (!token.ok) return fail(token.message);
      headers.Authorization = `Bearer ${token.token}`;
    }
    const basic = spec.authentication?.basicAuth;
    const options: PrometheusConnectionOptions = {
      endpoint: address,
      headers,
      timeout: timeoutMs,
      ...(basic?.username !== undefined && {
        auth: { username: basic.username, password: basic.password ?? '' },
      }),
      requestInterceptor: {
        onFulfilled: (config) => {
          config.signal = ctx.signal;
          config.maxRedirects = 0;
          if (spec.insecure === true) config.httpsAgent = insecureAgent;
          return config;
        },
      },
    };
    let body: PromResponseBody | undefined;
    options.responseInterceptor = {
      onFulfilled: (response) => {
        body = response.data as PromResponseBody | undefined;
        return response;
      },
    };
    // Imported on first use (it brings axios): a process that only creates AnalysisRuns, the Rollout
    // controller's, never loads it.
    const { PrometheusDriver } = await import('prometheus-query');
    const driver = new PrometheusDriver(options);
    try {
      if (spec.rangeQuery !== undefined) {
        const range = resolveRange(spec.rangeQuery, startedAt);
        if (!range.ok) return fail(range.message);
        await driver.rangeQuery(query, range.range.start, range.range.end, range.range.stepSeconds);
      } else {
        await driver.instantQuery(query, new Date(startedAt));
      }
    } catch (err) {
      return fail(queryFailure(err));
    }
    return {
      ...measurePromResponse(ctx.metric, body, { now: new Date(startedAt) }),
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
