import { Agent as HttpsAgent } from 'node:https';
import { type PrometheusConnectionOptions, PrometheusDriver } from 'prometheus-query';
import { compile, ExprTime } from '../../expr/index.js';
import { evaluateMetricResult } from '../evaluate.js';
import { durationMs } from '../metric-fields.js';
import type { Measurement, Metric, PrometheusMetricSpec } from '../types.js';
import type { TokenSource } from './oauth2.js';
import { convertPromResult, type PromQueryData } from './prometheus-result.js';
import { errorMeasurement, type MeasureContext, type MetricProvider } from './provider.js';

/** Argo's default Prometheus query timeout, in seconds. */
export const DEFAULT_PROMETHEUS_TIMEOUT_SECONDS = 30;
/** The metadata key Argo stores the resolved query under. */
export const RESOLVED_QUERY_KEY = 'ResolvedPrometheusQuery';

const insecureAgent = new HttpsAgent({ rejectUnauthorized: false, keepAlive: true });

type Range = { start: Date; end: Date; stepSeconds: number };

/** Evaluates `rangeQuery.start`/`end` (expr time expressions like `now() - duration("5m")`) and `step`. */
export function resolveRange(
  spec: NonNullable<PrometheusMetricSpec['rangeQuery']>,
  now: number,
): { ok: true; range: Range } | { ok: false; message: string } {
  const at = (source: string | undefined, field: string): Date | string => {
    if (source === undefined || source === '') return `rangeQuery.${field} is required`;
    try {
      const value = compile(source).evaluate({}, { now: new Date(now) });
      if (value instanceof ExprTime) return value.toDate();
      if (value instanceof Date) return value;
      return `rangeQuery.${field} must evaluate to a time`;
    } catch (err) {
      return `rangeQuery.${field}: ${err instanceof Error ? err.message : String(err)}`;
    }
  };
  const start = at(spec.start, 'start');
  if (typeof start === 'string') return { ok: false, message: start };
  const end = at(spec.end, 'end');
  if (typeof end === 'string') return { ok: false, message: end };
  const step = durationMs(spec.step ?? '');
  if (!step.ok || step.ms <= 0)
    return { ok: false, message: `rangeQuery.step: invalid duration "${spec.step ?? ''}"` };
  return { ok: true, range: { start, end, stepSeconds: step.ms / 1000 } };
}

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
 * and assesses the value with the metric's conditions. The driver is configured not to retry, to time out
 * after `timeout` seconds (default 30), to use our abort signal, and its errors are reduced to a reason
 * string so credentials in the request config never reach a message or a log.
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
    if (spec.address === undefined || spec.address === '') return fail('prometheus address is required');
    const query = spec.query ?? '';
    const timeoutMs =
      (spec.timeout !== undefined && spec.timeout > 0 ? spec.timeout : DEFAULT_PROMETHEUS_TIMEOUT_SECONDS) *
      1000;
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
      endpoint: spec.address,
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
    let raw: PromQueryData | undefined;
    options.responseInterceptor = {
      onFulfilled: (response) => {
        const body = response.data as { data?: PromQueryData } | undefined;
        raw = body?.data;
        return response;
      },
    };
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
    if (raw === undefined) return fail('prometheus returned no data object');
    const converted = convertPromResult(raw);
    if (!converted.ok) return fail(converted.message);
    const assessment = evaluateMetricResult(ctx.metric, converted.value, { now: new Date(startedAt) });
    return {
      phase: assessment.phase,
      value: converted.text,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(ctx.clock.now()).toISOString(),
      ...(assessment.message !== undefined && { message: assessment.message }),
      metadata: { [RESOLVED_QUERY_KEY]: query },
    };
  }

  async resume(_ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    return measurement;
  }

  async terminate(_ctx: MeasureContext, measurement: Measurement): Promise<Measurement> {
    return measurement;
  }
}
