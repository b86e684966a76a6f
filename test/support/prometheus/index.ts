import { type PrometheusOptions, PrometheusServer } from '../../../src/dev/prometheus/index.js';

export { MetricsApp } from './metrics-app.js';

/** A Prometheus for a test: `SLIPWAY_PROMETHEUS_BIN` as the CLI reads it, else the system one, else built. */
export function launchPrometheus(options: Omit<PrometheusOptions, 'binary'>): Promise<PrometheusServer> {
  return PrometheusServer.launch({ ...options, binary: process.env.SLIPWAY_PROMETHEUS_BIN });
}

/** The seed `success-rate` query (test/fixtures/argo-manifests/seed.yaml) with a short window. */
export function successRateQuery(serviceArg = '{{args.service-name}}', window = '5s'): string {
  return [
    `sum(rate(http_requests_total{service="${serviceArg}",status!~"5.."}[${window}]))`,
    '/',
    `sum(rate(http_requests_total{service="${serviceArg}"}[${window}]))`,
  ].join('\n');
}
