import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { installCrds } from '../../src/install/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import { analysisRun, runPhase, startAnalysisController } from '../support/fixtures/analysis-controller.js';
import { eventRecorded } from '../support/fixtures/rollout-scenario.js';
import { testClient, testNamespace } from '../support/kube.js';

describe('AnalysisRun: conditions that do not compile end the run before any measurement', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let server: Server;
  let base: string;
  let requests = 0;
  let controller: { stop(): Promise<void> };

  before(async () => {
    client = testClient();
    await installCrds(client);
    ns = await testNamespace(client, 'analysis-compile');
    server = createServer((_req, res) => {
      requests += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ value: 1 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    controller = await startAnalysisController(ns.name);
  });

  after(async () => {
    await controller?.stop();
    await new Promise<void>((r) => server?.close(() => r()));
    await ns?.delete();
    client?.close();
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
            provider: { web: { url: `${base}/fine` } },
          },
          {
            name: 'success-rate',
            interval: '1s',
            count: 3,
            successCondition: 'result.value >= {{args.threshold}} &&',
            provider: { web: { url: `${base}/rate` } },
          },
        ],
      }),
    );
    const run = await runPhase(client, ns.name, 'broken', 'Error');
    const reason = 'unexpected end of expression at line 1, column 23';
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
          { name: 'fine', successCondition: 'result.value == 1', provider: { web: { url: `${base}/fine` } } },
          { name: 'experimental', successCondition: 'result ==', provider: { web: { url: `${base}/x` } } },
        ],
      }),
    );
    const run = await runPhase(client, ns.name, 'dry', 'Successful');
    assert.equal(run.status?.metricResults?.find((r) => r.name === 'experimental')?.phase, 'Error');
  });
});
