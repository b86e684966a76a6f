import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import {
  analysisRun,
  checkRunInvariants,
  getRun,
  runPhase,
} from '../support/fixtures/analysis-controller.js';
import { spawnControllerFixture, whenStarted } from '../support/fixtures/fixture-process.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

function stop(proc: ChildProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}

const COUNT = 15;

describe('analysis: the AnalysisRun controller stopped (SIGTERM) and killed (SIGKILL) mid-run', () => {
  let server: LocalHttpServer;
  let proc: ChildProcess | undefined;
  const requests: number[] = [];
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    if (proc !== undefined) await stop(proc, 'SIGKILL');
    await server?.close();
  });
  const { client, ns } = useTestNamespace('analysis-restart', { crds: true });

  before(async () => {
    // a slow endpoint, so that some kills land while a measurement is in flight
    server = await startLocalHttpServer((_req, res) => {
      requests.push(Date.now());
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ value: 1 }));
      }, 300);
    });
  });

  it(`carries on after each restart: exactly ${COUNT} measurements recorded, Successful`, async () => {
    const name = 'steady';
    await client.create(
      analysisRun(ns.name, name, {
        metrics: [
          {
            name: 'ok',
            count: COUNT,
            interval: '1s',
            successCondition: 'result.value == 1',
            provider: { web: { url: `${server.base}/ok`, timeoutSeconds: 10 } },
          },
        ],
      }),
    );
    proc = await whenStarted(spawnControllerFixture('analysis-controller-process', ns.name));
    const measured = () =>
      getRun(client, ns.name, name).then((r) => r.status?.metricResults?.[0]?.count ?? 0);
    const reach = (n: number) =>
      eventually(`${n} measurements`, async () => ((await measured()) >= n ? true : undefined), 120_000, 50);

    await reach(2);
    const startedAt = (await getRun(client, ns.name, name)).status?.startedAt;
    assert.ok(startedAt, 'run started');

    const kills: string[] = [];
    for (const [at, signal] of [
      [4, 'SIGTERM'],
      [6, 'SIGKILL'],
      [8, 'SIGTERM'],
      [10, 'SIGKILL'],
      [12, 'SIGKILL'],
    ] as const) {
      await reach(at);
      // land some kills inside a measurement: the request starts right after the previous one's interval
      if (signal === 'SIGKILL') await new Promise((r) => setTimeout(r, 1_100));
      await stop(proc, signal);
      kills.push(signal);
      const frozen = await measured();
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(await measured(), frozen, 'nothing is measured while no controller runs');
      proc = await whenStarted(spawnControllerFixture('analysis-controller-process', ns.name));
    }

    const run = await runPhase(client, ns.name, name, 'Successful', 120_000);
    const result = run.status?.metricResults?.[0];
    process.stdout.write(
      `# ${kills.join(' ')}: ${requests.length} provider requests for ${COUNT} measurements\n`,
    );
    assert.equal(run.status?.startedAt, startedAt, 'startedAt kept across restarts');
    assert.equal(result?.phase, 'Successful');
    assert.equal(result?.count, COUNT, 'no measurement lost or recorded twice');
    assert.equal(result?.successful, COUNT);
    assert.equal(result?.error ?? 0, 0, 'no Error measurement from a stop or a kill');
    assert.deepEqual(checkRunInvariants(run), []);
    // a measurement in flight when the process died is taken again (its result was never written);
    // a graceful stop lets it finish, so only SIGKILLs may add a request
    const sigkills = kills.filter((k) => k === 'SIGKILL').length;
    assert.ok(
      requests.length >= COUNT && requests.length <= COUNT + sigkills,
      `${requests.length} requests for ${COUNT} measurements and ${sigkills} SIGKILLs`,
    );
    // the retained measurements are in order, one per interval
    const starts = (result?.measurements ?? []).map((m) => Date.parse(m.startedAt ?? ''));
    assert.equal(starts.length, 10, 'Argo keeps the last 10');
    for (let i = 1; i < starts.length; i++)
      assert.ok((starts[i] ?? 0) > (starts[i - 1] ?? 0), `measurement ${i} starts after ${i - 1}`);
  });
});
