import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  assessRun,
  isTerminating,
  type JobClient,
  JobProvider,
  jobsToDelete,
  type MeasureContext,
  type Measurement,
  type Metric,
  type MetricResult,
  metricsOverLimit,
  ProviderRegistry,
  sequencedJobName,
  takeMeasurements,
} from '../../../src/analysis/index.js';
import { ManualClock } from '../../../src/core/index.js';
import {
  type DeleteOptions,
  KubeError,
  KubeErrorCode,
  type KubeObject,
  type ListOptions,
  type ObjectRef,
} from '../../../src/kube/index.js';
import { silentLogger } from '../../../src/observability/index.js';

const file = fileURLToPath(new URL('../../golden/analysis/job.json', import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8')) as {
  names: { name: string; uid: string; metric: string; count: number; error: number; job: string }[];
  gc: { name: string; jobs: [string, number][]; limit: number; delete: string[] }[];
  overLimit: {
    name: string;
    measurements: Record<string, number>;
    retention: Record<string, number>;
    over: { name: string; limit: number }[];
  }[];
};
const T0 = Date.parse('2024-05-01T12:00:00Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

describe('job provider decisions golden (Argo job_test.go)', () => {
  for (const c of golden.names) {
    it(c.name, () => {
      const name = sequencedJobName(c.uid, c.metric, c.count + c.error + 1);
      assert.equal(name, c.job);
      assert.ok(name.length <= 63);
    });
  }
  for (const c of golden.gc) {
    it(c.name, () => {
      const jobs = c.jobs.map(([name, s]) => ({ metadata: { name, creationTimestamp: iso(s) } }));
      assert.deepEqual(jobsToDelete(jobs, c.limit), c.delete);
    });
  }
  for (const c of golden.overLimit) {
    it(c.name, () => {
      const results: MetricResult[] = Object.entries(c.measurements).map(([name, n]) => ({
        name,
        phase: 'Running',
        measurements: Array.from({ length: n }, () => ({ phase: 'Successful' as const })),
      }));
      assert.deepEqual(metricsOverLimit(results, new Map(Object.entries(c.retention))), c.over);
    });
  }
});

/** Jobs in memory; records deletes; can be told to fail them. */
class FakeJobs implements JobClient {
  readonly jobs = new Map<string, KubeObject>();
  readonly pods: KubeObject[] = [];
  readonly deletes: { name: string; options?: DeleteOptions }[] = [];
  failDeletes = false;

  async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T> {
    const job = this.jobs.get(ref.name);
    if (job === undefined)
      throw new KubeError(KubeErrorCode.NotFound, `jobs.batch "${ref.name}" not found`, {
        reason: 'NotFound',
      });
    return job as T;
  }
  async list<T extends KubeObject = KubeObject>(gvk: { kind: string }, options?: ListOptions) {
    const [key, value] = (options?.labelSelector ?? '').split('=');
    const items = (gvk.kind === 'Pod' ? this.pods : [...this.jobs.values()]).filter(
      (j) => key === '' || j.metadata.labels?.[key ?? ''] === value,
    );
    return { apiVersion: 'v1', kind: 'List', metadata: {}, items: items as T[] };
  }
  async create<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    const name = obj.metadata.name ?? '';
    if (this.jobs.has(name))
      throw new KubeError(KubeErrorCode.AlreadyExists, `jobs.batch "${name}" already exists`);
    const created = { ...obj, metadata: { ...obj.metadata, creationTimestamp: iso(this.jobs.size) } };
    this.jobs.set(name, created);
    return created as T;
  }
  async delete(ref: ObjectRef, options?: DeleteOptions): Promise<void> {
    if (this.failDeletes) throw new KubeError(KubeErrorCode.Forbidden, 'random delete error');
    this.deletes.push({ name: ref.name, ...(options !== undefined && { options }) });
    if (!this.jobs.delete(ref.name))
      throw new KubeError(KubeErrorCode.NotFound, `jobs.batch "${ref.name}" not found`);
  }
}

const RUN = { namespace: 'ns', name: 'run', uid: 'dummyuid' };
const jobMetric: Metric = {
  name: 'dummymetric',
  provider: { job: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: {} } } } },
};
const context = (count = 0, error = 0): MeasureContext => ({
  run: RUN,
  metric: jobMetric,
  now: T0,
  clock: new ManualClock(T0 + 5000),
  signal: new AbortController().signal,
  logger: silentLogger(),
  count,
  error,
});
const running = (name?: string): Measurement => ({
  phase: 'Running',
  startedAt: iso(0),
  ...(name !== undefined && { metadata: { 'job-name': name, 'job-namespace': 'ns' } }),
});
const withCondition = (type: string, message?: string) => ({
  status: { conditions: [{ type, status: 'True', ...(message !== undefined && { message }) }] },
});

describe('JobProvider', () => {
  it('Argo TestRun: creates <uid>.<metric>.<count+error+1>, owned by and labelled with the run', async () => {
    const client = new FakeJobs();
    const m = await new JobProvider(client).run(context(2, 1));
    assert.deepEqual(m, {
      phase: 'Running',
      startedAt: iso(0),
      metadata: { 'job-name': 'dummyuid.dummymetric.4', 'job-namespace': 'ns' },
    });
    const job = client.jobs.get('dummyuid.dummymetric.4');
    assert.deepEqual(job?.metadata.labels, { team: 'a', 'analysisrun.argoproj.io/uid': 'dummyuid' });
    assert.deepEqual(job?.metadata.annotations, {
      'analysisrun.argoproj.io/name': 'run',
      'analysisrun.argoproj.io/namespace': 'ns',
      'analysisrun.argoproj.io/metric-name': 'dummymetric',
    });
    assert.equal(job?.metadata.ownerReferences?.[0]?.uid, 'dummyuid');
    const pods = (job?.spec as undefined | { template?: { metadata?: { labels?: Record<string, string> } } })
      ?.template;
    assert.equal(
      pods?.metadata?.labels?.['analysisrun.argoproj.io/uid'],
      'dummyuid',
      'pods carry the run uid',
    );
  });

  it('Argo TestRunCreateCollision: a Job of that name owned by another run is an Error', async () => {
    const client = new FakeJobs();
    client.jobs.set('dummyuid.dummymetric.1', {
      metadata: { name: 'dummyuid.dummymetric.1', labels: { 'analysisrun.argoproj.io/uid': 'other' } },
    });
    const m = await new JobProvider(client).run(context());
    assert.equal(m.phase, 'Error');
    assert.equal(m.message, 'jobs.batch "dummyuid.dummymetric.1" already exists');
  });

  it('a Job of that name owned by this run is reused (a create that raced)', async () => {
    const client = new FakeJobs();
    client.jobs.set('dummyuid.dummymetric.1', {
      metadata: { name: 'dummyuid.dummymetric.1', labels: { 'analysisrun.argoproj.io/uid': 'dummyuid' } },
    });
    assert.equal((await new JobProvider(client).run(context())).phase, 'Running');
  });

  it('Argo TestResume*: Complete → Successful, Failed → Failed, else still Running', async () => {
    const client = new FakeJobs();
    const provider = new JobProvider(client);
    client.jobs.set('ok', { metadata: { name: 'ok' }, ...withCondition('Complete') });
    client.jobs.set('bad', { metadata: { name: 'bad' }, ...withCondition('Failed', 'BackoffLimitExceeded') });
    client.jobs.set('busy', { metadata: { name: 'busy' }, status: {} });
    const ok = await provider.resume(context(), running('ok'));
    assert.deepEqual([ok.phase, ok.finishedAt], ['Successful', iso(5)]);
    const bad = await provider.resume(context(), running('bad'));
    assert.deepEqual([bad.phase, bad.message], ['Failed', 'BackoffLimitExceeded']);
    const busy = await provider.resume(context(), running('busy'));
    assert.equal(busy.phase, 'Running');
    assert.equal(busy.finishedAt, undefined);
    // Argo TestResumeRunningJob: polled again after √(2·elapsed) s (5 s elapsed → √10 s)
    assert.equal(busy.resumeAt, new Date(T0 + 5000 + Math.sqrt(10) * 1000).toISOString());
  });

  it('Argo TestResumeRunningJobWith{FailedPods,FailedInitContainer}: an image that cannot be pulled → Inconclusive', async () => {
    const client = new FakeJobs();
    const provider = new JobProvider(client);
    for (const [name, field, reason] of [
      ['pull', 'containerStatuses', 'ErrImagePull'],
      ['init', 'initContainerStatuses', 'ImagePullBackOff'],
    ] as const) {
      client.jobs.set(name, {
        metadata: { name, namespace: 'ns' },
        spec: { selector: { matchLabels: { 'job-name': name } } },
        status: {},
      } as KubeObject);
      client.pods.push({
        metadata: { name: `${name}-pod`, namespace: 'ns', labels: { 'job-name': name } },
        status: { [field]: [{ name: 'dummy', state: { waiting: { reason, message: 'not found' } } }] },
      } as KubeObject);
      const m = await provider.resume(context(), running(name));
      assert.deepEqual(
        [m.phase, m.message, m.finishedAt],
        [
          'Inconclusive',
          `Pod ${name}-pod, container dummy has terminal error (${reason}): not found\n`,
          iso(5),
        ],
      );
    }
  });

  it('Argo TestResumeErrorJob / TestResumeMeasurementNoMetadata', async () => {
    const provider = new JobProvider(new FakeJobs());
    const gone = await provider.resume(context(), running('job-which-does-not-exist'));
    assert.deepEqual(
      [gone.phase, gone.message, gone.finishedAt],
      ['Error', 'job.batch "job-which-does-not-exist" not found', iso(5)],
    );
    const bare = await provider.resume(context(), running());
    assert.deepEqual([bare.phase, bare.message], ['Error', 'job metadata reference missing']);
  });

  it('Argo TestTerminateMeasurement: deletes the Job in the foreground and ends Inconclusive (also if gone)', async () => {
    const client = new FakeJobs();
    client.jobs.set('j', { metadata: { name: 'j' } });
    const provider = new JobProvider(client);
    for (let i = 0; i < 2; i++) {
      const m = await provider.terminate(context(), running('j'));
      assert.deepEqual([m.phase, m.finishedAt], ['Inconclusive', iso(5)]);
    }
    assert.equal(client.jobs.size, 0);
    assert.equal(client.deletes[0]?.options?.propagationPolicy, 'Foreground');
  });

  it('Argo TestTerminateError / TestTerminateMeasurementNoMetadata', async () => {
    const client = new FakeJobs();
    client.failDeletes = true;
    const provider = new JobProvider(client);
    const failed = await provider.terminate(context(), running('doesnt-matter'));
    assert.deepEqual([failed.phase, failed.message], ['Error', 'random delete error']);
    const bare = await provider.terminate(context(), running());
    assert.deepEqual([bare.phase, bare.message], ['Error', 'job metadata reference missing']);
  });

  it('Argo TestGarbageCollect: keeps the newest `limit` Jobs of the run, whatever the metric', async () => {
    const client = new FakeJobs();
    for (let i = 0; i < 12; i++)
      client.jobs.set(`job-${i}`, {
        metadata: {
          name: `job-${i}`,
          creationTimestamp: iso(i),
          labels: { 'analysisrun.argoproj.io/uid': 'dummyuid' },
        },
      });
    client.jobs.set('other-run', {
      metadata: {
        name: 'other-run',
        creationTimestamp: iso(-1),
        labels: { 'analysisrun.argoproj.io/uid': 'x' },
      },
    });
    const deleted = await new JobProvider(client).garbageCollect(RUN, 10, new AbortController().signal);
    assert.deepEqual(deleted, ['job-0', 'job-1']);
    assert.equal(client.jobs.size, 11);
    assert.ok(client.jobs.has('other-run'));
  });
});

describe('job measurements through takeMeasurements', () => {
  const base = {
    run: RUN,
    args: undefined,
    secrets: new Map<string, string>(),
    dryRunMetrics: new Set<string>(),
    clock: new ManualClock(T0),
    signal: new AbortController().signal,
    logger: silentLogger(),
  };

  it('a terminated run deletes the in-flight Job; the metric ends Inconclusive with "Metric Terminated"', async () => {
    const client = new FakeJobs();
    client.jobs.set('dummyuid.dummymetric.1', { metadata: { name: 'dummyuid.dummymetric.1' } });
    const inFlight = running('dummyuid.dummymetric.1');
    const status = {
      metricResults: [{ name: 'dummymetric', phase: 'Running' as const, measurements: [inFlight] }],
    };
    const terminating = isTerminating(true, status);
    const results = await takeMeasurements({
      ...base,
      providers: new ProviderRegistry(client),
      tasks: [{ metric: jobMetric, incomplete: inFlight }],
      metricResults: status.metricResults,
      terminating,
    });
    assert.equal(client.jobs.size, 0, 'the Job is deleted');
    const m = results[0]?.measurements?.[0];
    assert.deepEqual([m?.phase, m?.message], ['Inconclusive', 'Metric Terminated']);
    const run = assessRun({
      metrics: [jobMetric],
      metricResults: results,
      terminate: true,
      terminating,
      dryRunMetrics: new Set(),
    });
    assert.equal(run.metricResults[0]?.phase, 'Inconclusive');
    assert.equal(run.metricResults[0]?.message, 'Metric Terminated');
  });

  it('the measurement beyond the retention limit garbage-collects the oldest Job', async () => {
    const client = new FakeJobs();
    const measurements: Measurement[] = [];
    for (let i = 1; i <= 3; i++) {
      const name = sequencedJobName(RUN.uid, jobMetric.name, i);
      await client.create({ metadata: { name, labels: { 'analysisrun.argoproj.io/uid': RUN.uid } } });
      measurements.push({ ...running(name), phase: 'Successful', finishedAt: iso(i) });
    }
    const previous: MetricResult = {
      name: 'dummymetric',
      phase: 'Running',
      count: 3,
      successful: 3,
      measurements,
    };
    const results = await takeMeasurements({
      ...base,
      providers: new ProviderRegistry(client),
      tasks: [{ metric: jobMetric }],
      metricResults: [previous],
      retention: new Map([['dummymetric', 3]]),
      terminating: false,
    });
    assert.equal(results[0]?.measurements?.length, 4, 'trimming is the reconciler’s job');
    assert.deepEqual([...client.jobs.keys()].sort(), [
      'dummyuid.dummymetric.2',
      'dummyuid.dummymetric.3',
      'dummyuid.dummymetric.4',
    ]);
  });
});
