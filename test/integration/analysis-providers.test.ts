import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import {
  analysisRun,
  getRun,
  runPhase,
  startAnalysisController,
} from '../support/fixtures/analysis-controller.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const SECRET = 's3cr3t-token-value';

describe('AnalysisRun web and job providers, terminate, args', () => {
  let server: LocalHttpServer;
  let controller: { stop(): Promise<void> };
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    await controller?.stop();
    await server?.close();
  });
  const { client, ns } = useTestNamespace('analysis-providers', { crds: true });

  before(async () => {
    server = await startLocalHttpServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/health') res.end(JSON.stringify({ data: { ok: true, ratio: 0.99 } }));
      else if (req.url === '/echo') res.end(JSON.stringify({ auth: req.headers.authorization ?? '' }));
      else res.writeHead(500).end('{}');
    });
    controller = await startAnalysisController(ns.name);
  });

  it('web provider: jsonPath result with conditions', async () => {
    await client.create(
      analysisRun(ns.name, 'web-ok', {
        metrics: [
          {
            name: 'health',
            count: 2,
            interval: '1s',
            successCondition: 'result.ok && result.ratio > 0.95',
            provider: { web: { url: `${server.base}/health`, jsonPath: '{$.data}', timeoutSeconds: 5 } },
          },
        ],
      }),
    );
    const run = await runPhase(client, ns.name, 'web-ok', 'Successful');
    assert.equal(run.status?.metricResults?.[0]?.measurements?.[0]?.value, '{"ok":true,"ratio":0.99}');
  });

  it('web provider: a non-2xx status is an error', async () => {
    await client.create(
      analysisRun(ns.name, 'web-500', {
        metrics: [
          { name: 'down', consecutiveErrorLimit: 0, provider: { web: { url: `${server.base}/fail` } } },
        ],
      }),
    );
    const run = await runPhase(client, ns.name, 'web-500', 'Error');
    assert.equal(
      run.status?.metricResults?.[0]?.measurements?.[0]?.message,
      'received non 2xx response code: 500',
    );
  });

  it('secret args are substituted at measurement time and redacted as *****', async () => {
    await client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: ns.name, name: 'creds' },
      stringData: { token: SECRET },
    });
    await client.create(
      analysisRun(ns.name, 'secret', {
        args: [{ name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
        metrics: [
          {
            name: 'echo',
            consecutiveErrorLimit: 0,
            successCondition: 'asInt(result) > 0',
            provider: {
              web: {
                url: `${server.base}/echo`,
                jsonPath: '{$.auth}',
                headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }],
              },
            },
          },
        ],
      }),
    );
    const run = await runPhase(client, ns.name, 'secret', 'Error');
    const text = JSON.stringify(run.status);
    assert.ok(!text.includes(SECRET), 'the secret never reaches status');
    const measurement = run.status?.metricResults?.[0]?.measurements?.[0];
    // The condition errors (asInt of "Bearer …"); Argo keeps no value on an Error measurement.
    assert.equal(measurement?.value, undefined);
    assert.match(measurement?.message ?? '', /\*\*\*\*\*/);
  });

  it('an arg without a value makes the run Error with a clear message', async () => {
    await client.create(
      analysisRun(ns.name, 'unresolved', {
        metrics: [{ name: 'm', provider: { web: { url: `${server.base}/{{args.missing}}` } } }],
      }),
    );
    const run = await runPhase(client, ns.name, 'unresolved', 'Error');
    assert.equal(
      run.status?.message,
      'Unable to resolve metric arguments: failed to resolve {{args.missing}}',
    );
  });

  it('terminate ends an endless run Successful with "Run Terminated"', async () => {
    await client.create(
      analysisRun(ns.name, 'endless', {
        metrics: [{ name: 'health', interval: '1s', provider: { web: { url: `${server.base}/health` } } }],
      }),
    );
    await eventually(
      'two measurements',
      async () => ((await getRun(client, ns.name, 'endless')).status?.metricResults?.[0]?.count ?? 0) >= 2,
    );
    await client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', namespace: ns.name, name: 'endless' },
      { spec: { terminate: true } },
      { type: 'merge' },
    );
    const run = await runPhase(client, ns.name, 'endless', 'Successful');
    assert.equal(run.status?.message, 'Run Terminated');
  });

  const jobSpec = (extra: Record<string, unknown> = {}) => ({
    backoffLimit: 0,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'check', image: 'busybox', command: ['true'] }],
        ...extra,
      },
    },
  });

  it('job provider: Successful when the Job completes', async () => {
    await client.create(
      analysisRun(ns.name, 'job-ok', {
        metrics: [{ name: 'smoke', provider: { job: { spec: jobSpec() } } }],
      }),
    );
    const run = await runPhase(client, ns.name, 'job-ok', 'Successful', 90_000);
    const jobName = run.status?.metricResults?.[0]?.measurements?.[0]?.metadata?.['job-name'];
    assert.equal(jobName, `${run.metadata.uid}.smoke.1`);
    const job = await client.get<KubeObject>({
      apiVersion: 'batch/v1',
      kind: 'Job',
      namespace: ns.name,
      name: jobName ?? '',
    });
    assert.equal(job.metadata.ownerReferences?.[0]?.uid, run.metadata.uid);
  });

  it('job provider: Failed when the Job fails', async () => {
    const unschedulable = jobSpec({ nodeSelector: { 'slipway.dev/no-such-node': 'true' } });
    await client.create(
      analysisRun(ns.name, 'job-fail', {
        metrics: [
          { name: 'smoke', provider: { job: { spec: { ...unschedulable, activeDeadlineSeconds: 2 } } } },
        ],
      }),
    );
    const run = await runPhase(client, ns.name, 'job-fail', 'Failed', 90_000);
    assert.equal(
      run.status?.message,
      'Metric "smoke" assessed Failed due to failed (1) > failureLimit (0): "Error Message: Job was active longer than specified deadline"',
    );
  });

  // The local cluster's kwok stages run a Job pod's command: `sleep N` takes N seconds, `exit N` is its exit code
  // (Argo's e2e analysis templates: analysistemplate-sleep-job.yaml, -fail-multiple-job, -long-running-job).
  const scriptJob = (script: string) =>
    jobSpec({
      containers: [
        { name: 'sleep-job', image: 'nginx:1.19-alpine', command: ['sh', '-c', '-x'], args: [script] },
      ],
    });

  it('job provider: a Job whose command exits 1 fails the metric with the Job controller’s reason', async () => {
    await client.create(
      analysisRun(ns.name, 'job-exit-1', {
        metrics: [{ name: 'sleep-job', provider: { job: { spec: scriptJob('sleep 0s && exit 1') } } }],
      }),
    );
    const run = await runPhase(client, ns.name, 'job-exit-1', 'Failed', 90_000);
    assert.equal(
      run.status?.message,
      'Metric "sleep-job" assessed Failed due to failed (1) > failureLimit (0): "Error Message: Job has reached the specified backoff limit"',
    );
    const { items: pods } = await client.listAll<
      KubeObject & { status?: { containerStatuses?: { state?: { terminated?: { exitCode?: number } } }[] } }
    >({ apiVersion: 'v1', kind: 'Pod' }, { namespace: ns.name });
    const exitCodes = pods
      .filter((p) => p.metadata.labels?.['job-name']?.includes('sleep-job') ?? false)
      .map((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode);
    assert.ok(exitCodes.includes(1), `the pod exited 1 (${JSON.stringify(exitCodes)})`);
  });

  it('job provider: a Job that sleeps keeps the measurement Running until it exits 0', async () => {
    await client.create(
      analysisRun(ns.name, 'job-sleep', {
        metrics: [{ name: 'sleep-job', provider: { job: { spec: scriptJob('sleep 4 && exit 0') } } }],
      }),
    );
    await eventually(
      'the Job measurement to be Running',
      async () =>
        (await getRun(client, ns.name, 'job-sleep')).status?.metricResults?.[0]?.measurements?.[0]?.phase ===
        'Running',
      60_000,
    );
    const started = Date.now();
    const run = await runPhase(client, ns.name, 'job-sleep', 'Successful', 90_000);
    assert.equal(run.status?.phase, 'Successful');
    assert.ok(Date.now() - started >= 1_000, 'the pod ran for its sleep, not at once');
  });

  it('job provider: a Job whose image cannot be pulled ends the measurement Inconclusive (Argo ≥ 1.10)', async () => {
    const spec = jobSpec({
      containers: [
        {
          name: 'invalid-image-job',
          image: 'nonexistent-image-that-does-not-exist:latest',
          command: ['sh', '-c'],
          args: ["echo 'This should never run'"],
        },
      ],
    });
    await client.create(
      analysisRun(ns.name, 'job-bad-image', {
        metrics: [{ name: 'invalid-image-job', provider: { job: { spec } } }],
      }),
    );
    const run = await runPhase(client, ns.name, 'job-bad-image', 'Inconclusive', 90_000);
    const message = run.status?.metricResults?.[0]?.measurements?.[0]?.message ?? '';
    assert.match(message, /^Pod .+, container invalid-image-job has terminal error \(ErrImagePull\): /);
  });

  it('job provider: terminating a run deletes its long-running Job (sleep 6000)', async () => {
    await client.create(
      analysisRun(ns.name, 'job-long', {
        metrics: [{ name: 'long-running-job', provider: { job: { spec: scriptJob('sleep 6000') } } }],
      }),
    );
    const running = await eventually(
      'the long-running Job measurement to be Running',
      async () => {
        const r = await getRun(client, ns.name, 'job-long');
        return r.status?.metricResults?.[0]?.measurements?.[0]?.phase === 'Running' ? r : undefined;
      },
      60_000,
    );
    const jobName = running.status?.metricResults?.[0]?.measurements?.[0]?.metadata?.['job-name'] ?? '';
    await client.patch(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', namespace: ns.name, name: 'job-long' },
      { spec: { terminate: true } },
      { type: 'merge' },
    );
    // Argo ≥ 1.9: a terminated Job measurement is Inconclusive ("Metric Terminated")
    const run = await runPhase(client, ns.name, 'job-long', 'Inconclusive', 90_000);
    assert.equal(run.status?.metricResults?.[0]?.measurements?.[0]?.message, 'Metric Terminated');
    await eventually(
      'the Job to be deleted',
      async () =>
        (await client
          .get({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns.name, name: jobName })
          .then(() => false)
          .catch(() => true)) || undefined,
      60_000,
    );
  });
});
