import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PrometheusServer } from '../../src/dev/prometheus/index.js';
import {
  analysisRun,
  checkRunInvariants,
  getRun,
  runPhase,
  startAnalysisController,
} from '../support/fixtures/analysis-controller.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';
import {
  hasSuccessRates,
  launchScrapedMetrics,
  type ScrapedMetrics,
  successRateQuery,
} from '../support/prometheus/index.js';

/** Errors are retried after 10 s (Argo), so these scenarios take tens of seconds each. */
describe('AnalysisRun when Prometheus goes away', () => {
  let metrics: ScrapedMetrics | undefined;
  let prometheus: PrometheusServer;
  let controller: { stop(): Promise<void> };
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    await controller?.stop();
    await metrics?.dispose();
  });
  const { client, ns } = useTestNamespace('analysis-outage', { crds: true });

  before(async () => {
    metrics = await launchScrapedMetrics({ web: 0.01 });
    prometheus = metrics.prometheus;
    controller = await startAnalysisController(ns.name);
  });

  const metric = (count: number, consecutiveErrorLimit: number) => ({
    name: 'success-rate',
    interval: '1s',
    count,
    successCondition: 'result[0] >= 0.95',
    consecutiveErrorLimit,
    provider: { prometheus: { address: prometheus.url, query: successRateQuery(), timeout: 5 } },
  });

  it('recovers when Prometheus is back before consecutiveErrorLimit', async () => {
    await client.create(
      analysisRun(ns.name, 'recovers', {
        args: [{ name: 'service-name', value: 'web' }],
        metrics: [metric(4, 2)],
      }),
    );
    await eventually('a first successful measurement', async () => {
      const run = await getRun(client, ns.name, 'recovers');
      return (run.status?.metricResults?.[0]?.successful ?? 0) >= 1;
    });
    await prometheus.stop();
    await eventually(
      'a measurement error',
      async () => {
        const run = await getRun(client, ns.name, 'recovers');
        return (run.status?.metricResults?.[0]?.consecutiveError ?? 0) >= 1;
      },
      30_000,
    );
    await prometheus.start();
    await eventually('prometheus data again', () => hasSuccessRates(prometheus, ['web']), 60_000, 500);
    const run = await runPhase(client, ns.name, 'recovers', 'Successful', 90_000);
    const result = run.status?.metricResults?.[0];
    assert.ok((result?.error ?? 0) >= 1, 'an error was recorded');
    assert.equal(result?.consecutiveError ?? 0, 0);
    assert.equal(result?.count, 4, 'errors do not count');
    const errored = result?.measurements?.find((m) => m.phase === 'Error');
    assert.match(errored?.message ?? '', /cannot reach prometheus|ECONNREFUSED/);
    assert.deepEqual(checkRunInvariants(run), []);
  });

  it('errors after consecutiveErrorLimit while Prometheus stays down', async () => {
    await prometheus.start();
    await client.create(
      analysisRun(ns.name, 'outage', {
        args: [{ name: 'service-name', value: 'web' }],
        metrics: [metric(100, 1)],
      }),
    );
    await eventually('a first successful measurement', async () => {
      const run = await getRun(client, ns.name, 'outage');
      return (run.status?.metricResults?.[0]?.successful ?? 0) >= 1;
    });
    await prometheus.stop();
    const run = await runPhase(client, ns.name, 'outage', 'Error', 60_000);
    assert.match(
      run.status?.message ?? '',
      /^Metric "success-rate" assessed Error due to consecutiveErrors \(2\) > consecutiveErrorLimit \(1\): "Error Message: cannot reach prometheus/,
    );
    assert.equal(run.status?.runSummary?.error, 1);
  });
});
