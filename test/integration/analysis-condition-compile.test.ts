import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analysisRun, runPhase, startAnalysisController } from '../support/fixtures/analysis-controller.js';
import { eventRecorded } from '../support/fixtures/rollout-scenario.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

describe('AnalysisRun: conditions that do not compile end the run before any measurement', () => {
  let server: LocalHttpServer;
  let requests = 0;
  let controller: { stop(): Promise<void> };
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    await controller?.stop();
    await server?.close();
  });
  const { client, ns } = useTestNamespace('analysis-compile', { crds: true });

  before(async () => {
    server = await startLocalHttpServer((_req, res) => {
      requests += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ value: 1 }));
    });
    controller = await startAnalysisController(ns.name);
  });

  it('Error naming the metric, the condition and the compile error; the provider is never called', async () => {
    await client.create(
      analysisRun(ns.name, 'broken', {
        args: [{ name: 'threshold', value: '0.9' }],
        metrics: [
          {
            name: 'fine',
            interval: '1s',
            count: 3,
            successCondition: 'result.value == 1',
            provider: { web: { url: `${server.base}/fine` } },
          },
          {
            name: 'success-rate',
            interval: '1s',
            count: 3,
            successCondition: 'result.value >= {{args.threshold}} &&',
            provider: { web: { url: `${server.base}/rate` } },
          },
        ],
      }),
    );
    const run = await runPhase(client, ns.name, 'broken', 'Error');
    const reason = 'unexpected token EOF at line 1, column 23';
    assert.equal(
      run.status?.message,
      `Metric "success-rate" assessed Error due to invalid successCondition: "Error Message: could not evaluate successCondition "result.value >= 0.9 &&": ${reason}"`,
    );
    const result = run.status?.metricResults?.find((r) => r.name === 'success-rate');
    assert.equal(result?.phase, 'Error');
    assert.equal(result?.message, `could not evaluate successCondition "result.value >= 0.9 &&": ${reason}`);
    for (const r of run.status?.metricResults ?? []) assert.equal(r.measurements?.length ?? 0, 0, r.name);
    assert.equal(requests, 0, 'no measurement was taken');
    await eventRecorded(client, ns.name, 'broken', 'AnalysisRunError', (e) =>
      e.startsWith('AnalysisRunError:'),
    );
    await eventRecorded(client, ns.name, 'broken', 'MetricError', (e) =>
      e.startsWith("MetricError: Metric 'success-rate' Completed. Result: Error"),
    );
  });

  it('a dry-run metric with a broken condition does not stop the run', async () => {
    await client.create(
      analysisRun(ns.name, 'dry', {
        dryRun: [{ metricName: 'experimental' }],
        metrics: [
          {
            name: 'fine',
            successCondition: 'result.value == 1',
            provider: { web: { url: `${server.base}/fine` } },
          },
          {
            name: 'experimental',
            successCondition: 'result ==',
            provider: { web: { url: `${server.base}/x` } },
          },
        ],
      }),
    );
    const run = await runPhase(client, ns.name, 'dry', 'Successful');
    assert.equal(run.status?.metricResults?.find((r) => r.name === 'experimental')?.phase, 'Error');
  });
});
