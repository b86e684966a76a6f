import { compile, ExprTime } from '../../expr/index.js';
import { durationMs } from '../metric-fields.js';
import type { PrometheusMetricSpec } from '../types.js';

/** Argo's default Prometheus query timeout, in seconds. */
export const DEFAULT_PROMETHEUS_TIMEOUT_SECONDS = 30;

/** Go's `url.Parse` + Argo's `IsUrl`: a scheme and a host. */
function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol !== '' && url.host !== '';
  } catch {
    return false;
  }
}

/**
 * What Argo's `NewPrometheusAPI` then `NewPrometheusProvider` reject before querying, in that order and
 * with their messages (metricproviders/prometheus/prometheus.go); undefined when the spec can be queried. Argo falls back to
 * the `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS` environment variable when `address` is empty; Slipway has no
 * such fallback, so the address must be set.
 */
export function prometheusSpecProblem(spec: PrometheusMetricSpec): string | undefined {
  const address = spec.address ?? '';
  if (address === '') return 'prometheus address is not configured';
  if (!isUrl(address)) return 'prometheus address is not is url format';
  const oauth = spec.authentication?.oauth2;
  if (oauth?.tokenUrl !== undefined && oauth.tokenUrl !== '') {
    if ((oauth.clientId ?? '') === '' || (oauth.clientSecret ?? '') === '')
      return 'missing mandatory parameter in metric for OAuth2 setup';
  }
  if (spec.timeout !== undefined && spec.timeout < 0) return 'prometheus timeout should not be negative';
  return undefined;
}

/** The query timeout in ms: `timeout` seconds when positive, else Argo's default 30 s. */
export function prometheusTimeoutMs(spec: PrometheusMetricSpec): number {
  const seconds =
    spec.timeout !== undefined && spec.timeout > 0 ? spec.timeout : DEFAULT_PROMETHEUS_TIMEOUT_SECONDS;
  return seconds * 1000;
}

export interface QueryRange {
  readonly start: Date;
  readonly end: Date;
  readonly stepSeconds: number;
}

/**
 * Evaluates `rangeQuery.start`/`end` (expr time expressions like `now() - duration("5m")`) and parses
 * `step` (a Go duration), with Argo's messages: `failed to parse rangeQuery.start as time: …`.
 */
export function resolveRange(
  spec: NonNullable<PrometheusMetricSpec['rangeQuery']>,
  now: number,
): { ok: true; range: QueryRange } | { ok: false; message: string } {
  const at = (source: string | undefined, field: 'start' | 'end'): Date | string => {
    const failed = (reason: string) => `failed to parse rangeQuery.${field} as time: ${reason}`;
    if (source === undefined || source === '') return failed('the expression is empty');
    try {
      const value = compile(source).evaluate({}, { now: new Date(now) });
      if (value instanceof ExprTime) return value.toDate();
      if (value instanceof Date) return value;
      return failed('the expression does not evaluate to a time');
    } catch (err) {
      return failed(err instanceof Error ? err.message : String(err));
    }
  };
  const start = at(spec.start, 'start');
  if (typeof start === 'string') return { ok: false, message: start };
  const end = at(spec.end, 'end');
  if (typeof end === 'string') return { ok: false, message: end };
  const step = durationMs(spec.step ?? '');
  if (!step.ok) return { ok: false, message: `failed to parse rangeQuery.step as duration: ${step.message}` };
  if (step.ms <= 0)
    return { ok: false, message: 'failed to parse rangeQuery.step as duration: the step must be positive' };
  return { ok: true, range: { start, end, stepSeconds: step.ms / 1000 } };
}
