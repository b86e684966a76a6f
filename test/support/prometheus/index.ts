import { type PrometheusOptions, PrometheusServer } from '../../../src/dev/prometheus/index.js';

import { eventually } from '../kube.js';
import { MetricsApp } from './metrics-app.js';

export { MetricsApp };

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

/** Prometheus has a success rate (`successRateQuery`) for every one of `services`. */
export async function hasSuccessRates(
  prometheus: PrometheusServer,
  services: readonly string[],
): Promise<boolean> {
  for (const service of services) {
    const data = await prometheus.query(successRateQuery(service));
    if (data === undefined || data.result.length === 0) return false;
  }
  return true;
}

export interface ScrapedMetrics {
  readonly app: MetricsApp;
  readonly prometheus: PrometheusServer;
  /** Disposes of Prometheus, then stops the app. */
  dispose(): Promise<void>;
}

/**
 * A MetricsApp serving requests with `errorRates` (by service) and a Prometheus scraping it, resolved once
 * Prometheus has a success rate for every service.
 */
export async function launchScrapedMetrics(
  errorRates: Readonly<Record<string, number>>,
): Promise<ScrapedMetrics> {
  const app = await MetricsApp.start();
  let prometheus: PrometheusServer | undefined;
  const dispose = async () => {
    await prometheus?.dispose();
    await app.stop();
  };
  try {
    for (const [service, rate] of Object.entries(errorRates)) app.setErrorRate(service, rate);
    const launched = await launchPrometheus({ targets: [app.target] });
    prometheus = launched;
    await eventually(
      'prometheus has a success rate for every service',
      () => hasSuccessRates(launched, Object.keys(errorRates)),
      60_000,
      500,
    );
    return { app, prometheus: launched, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
