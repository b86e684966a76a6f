export { MetricsApp } from './metrics-app.js';
export { PROMETHEUS_BIN, type PrometheusOptions, PrometheusServer } from './prometheus-server.js';

/** The seed `success-rate` query (test/fixtures/argo-manifests/seed.yaml) with a short window. */
export function successRateQuery(serviceArg = '{{args.service-name}}', window = '5s'): string {
  return [
    `sum(rate(http_requests_total{service="${serviceArg}",status!~"5.."}[${window}]))`,
    '/',
    `sum(rate(http_requests_total{service="${serviceArg}"}[${window}]))`,
  ].join('\n');
}
