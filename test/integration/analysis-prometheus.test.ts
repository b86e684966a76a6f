import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Metric } from '../../src/analysis/index.js';
import type { PrometheusServer } from '../../src/dev/prometheus/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import {
  analysisRun,
  checkRunInvariants,
  runPhase,
  startAnalysisController,
} from '../support/fixtures/analysis-controller.js';
import { eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';
import { launchScrapedMetrics, type ScrapedMetrics, successRateQuery } from '../support/prometheus/index.js';

/** The seed `success-rate` metric, with a 1 s interval and a short rate window. */
function successRate(address: string, overrides: Partial<Metric> = {}): Metric {
  return {
    name: 'success-rate',
    interval: '1s',
    count: 3,
    successCondition: 'result[0] >= 0.95',
    failureLimit: 1,
    provider: { prometheus: { address, query: successRateQuery() } },
    ...overrides,
  };
}

describe('AnalysisRun against a real Prometheus', () => {
  let metrics: ScrapedMetrics | undefined;
  let prometheus: PrometheusServer;
  let controller: { stop(): Promise<void> };
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    await controller?.stop();
    await metrics?.dispose();
  });
  const { client, ns } = useTestNamespace('analysis-prom', { crds: true });

  before(async () => {
    metrics = await launchScrapedMetrics({ healthy: 0.01, broken: 0.2, wobbly: 0.1 });
    prometheus = metrics.prometheus;
    controller = await startAnalysisController(ns.name);
  });

  it('is Successful at a 1% error rate', async () => {
    await client.create(
      analysisRun(ns.name, 'healthy', {
        args: [{ name: 'service-name', value: 'healthy' }],
        metrics: [successRate(prometheus.url)],
      }),
    );
    const run = await runPhase(client, ns.name, 'healthy', 'Successful');
    const result = run.status?.metricResults?.[0];
    assert.equal(result?.count, 3);
    assert.equal(result?.successful, 3);
    const value = Number(result?.measurements?.[0]?.value?.replace(/[[\]]/g, ''));
    assert.ok(value > 0.95 && value <= 1, `value ${result?.measurements?.[0]?.value}`);
    assert.match(result?.metadata?.ResolvedPrometheusQuery ?? '', /service="healthy"/);
    assert.deepEqual(run.status?.runSummary, {
      count: 1,
      successful: 1,
      failed: 0,
      inconclusive: 0,
      error: 0,
    });
    assert.deepEqual(checkRunInvariants(run), []);
    await eventually('AnalysisRunSuccessful event', async () => {
      const { items } = await client.listAll<KubeObject & { reason?: string }>(
        { apiVersion: 'v1', kind: 'Event' },
        { namespace: ns.name },
      );
      return items.some((e) => e.reason === 'AnalysisRunSuccessful');
    });
  });

  it('fails at a 20% error rate with Argo’s message', async () => {
    await client.create(
      analysisRun(ns.name, 'broken', {
        args: [{ name: 'service-name', value: 'broken' }],
        metrics: [successRate(prometheus.url)],
      }),
    );
    const run = await runPhase(client, ns.name, 'broken', 'Failed');
    assert.equal(
      run.status?.message,
      'Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)',
    );
    assert.equal(run.status?.metricResults?.[0]?.phase, 'Failed');
    assert.equal(run.status?.runSummary?.failed, 1);
    assert.deepEqual(checkRunInvariants(run), []);
  });

  it('is Inconclusive when neither condition holds', async () => {
    await client.create(
      analysisRun(ns.name, 'wobbly', {
        args: [{ name: 'service-name', value: 'wobbly' }],
        metrics: [successRate(prometheus.url, { failureCondition: 'result[0] < 0.5', count: 2 })],
      }),
    );
    const run = await runPhase(client, ns.name, 'wobbly', 'Inconclusive');
    assert.equal(
      run.status?.message,
      'Metric "success-rate" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)',
    );
  });

  it('an empty result with result[0] errors with a clear message', async () => {
    await client.create(
      analysisRun(ns.name, 'no-data', {
        args: [{ name: 'service-name', value: 'does-not-exist' }],
        metrics: [successRate(prometheus.url, { consecutiveErrorLimit: 0 })],
      }),
    );
    const run = await runPhase(client, ns.name, 'no-data', 'Error');
    const measurement = run.status?.metricResults?.[0]?.measurements?.[0];
    assert.equal(measurement?.phase, 'Error');
    // Argo's Run marks an evaluation error with MarkMeasurementError and keeps no value.
    assert.equal(measurement?.value, undefined);
    assert.match(measurement?.message ?? '', /no data returned from the metric provider/);
    assert.match(
      run.status?.message ?? '',
      /assessed Error due to consecutiveErrors \(1\) > consecutiveErrorLimit \(0\)/,
    );
  });

  it('bad PromQL is a measurement error, not a crash', async () => {
    await client.create(
      analysisRun(ns.name, 'bad-promql', {
        metrics: [
          {
            name: 'broken-query',
            consecutiveErrorLimit: 0,
            successCondition: 'result[0] > 0',
            provider: { prometheus: { address: prometheus.url, query: 'sum(rate(' } },
          },
        ],
      }),
    );
    const run = await runPhase(client, ns.name, 'bad-promql', 'Error');
    assert.match(run.status?.metricResults?.[0]?.measurements?.[0]?.message ?? '', /HTTP 400.*parse error/);
  });
});
