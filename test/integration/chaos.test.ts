// CI-sized chaos (issue 12): one `slipway controller` process running every controller is killed at
// random 1-8 s intervals (SIGKILL, every third restart a SIGTERM) while Rollouts step through new images
// with step notifications and Applications receive commits and drift. Afterwards every invariant must
// hold. `bench/chaos.ts` runs the same engine at full size. SLIPWAY_CHAOS_SEED replays a run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../src/kube/index.js';
import { type ChaosReport, formatChaosReport, isChaosClean, runChaos } from '../support/chaos/index.js';
import { testClient, testKubeconfigPath, testNamespace } from '../support/kube.js';

const KILLS = 12;

describe('chaos: every controller in one process, restarted 12 times under load', () => {
  let client: KubeClient;
  let ns: { name: string; delete(): Promise<void> };
  let workDir: string;
  let report: ChaosReport;
  const seed = Number(process.env.SLIPWAY_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));

  before(
    async () => {
      client = testClient();
      ns = await testNamespace(client, 'chaos');
      workDir = mkdtempSync(join(tmpdir(), 'slipway-chaos-'));
      report = await runChaos({
        client,
        kubeconfigPath: testKubeconfigPath(),
        namespace: ns.name,
        workDir,
        runtime: { kind: 'tsx' },
        rollouts: 5,
        rolloutReplicas: 2,
        applications: 3,
        kills: KILLS,
        sigtermEvery: 3,
        killIntervalMs: [1_000, 8_000],
        updateGapMs: [1_500, 4_000],
        commitGapMs: [3_000, 7_000],
        driftGapMs: [2_000, 5_000],
        settleTimeoutMs: 120_000,
        seed,
        log: (line) => process.stderr.write(`[chaos] ${line}\n`),
      });
      process.stderr.write(`${formatChaosReport(report)}\n`);
    },
    { timeout: 720_000 },
  );
  after(async () => {
    // only the controller log of a failed run stays (its path is in the report)
    if (report !== undefined && isChaosClean(report)) rmSync(workDir, { recursive: true, force: true });
    else
      for (const d of ['tmp', 'sync'])
        if (workDir !== undefined) rmSync(join(workDir, d), { recursive: true, force: true });
    await ns?.delete();
    client?.close();
  });

  const why = () => `seed ${seed}\n${formatChaosReport(report)}`;

  it(`restarted the controller ${KILLS} times, some with SIGTERM, and every SIGTERM exited cleanly`, () => {
    assert.equal(report.kills.sigkill + report.kills.sigterm, KILLS, why());
    assert.ok(report.kills.sigterm >= 3, why());
    assert.deepEqual(report.restarts.unclean, [], why());
    assert.deepEqual(report.restarts.crashes, [], why());
    assert.ok(report.rolloutUpdates >= 5 && report.commits >= 3 && report.drifts >= 3, why());
  });

  it('leaves every Rollout Healthy on its last revision', () => {
    assert.deepEqual(report.endState.rollouts, [], why());
  });

  it('leaves no duplicate, orphan or wrongly scaled ReplicaSet', () => {
    assert.deepEqual(
      report.endState.replicaSets,
      {
        duplicate: [],
        orphan: [],
        wronglyScaled: [],
        overHistoryLimit: [],
      },
      why(),
    );
  });

  it('leaves every Application Synced at the last commit, Healthy, with its drift healed', () => {
    assert.deepEqual(report.endState.applications, [], why());
  });

  it('delivers exactly one message per completed step, naming that step', () => {
    const n = report.notifications;
    assert.ok(n.expected > 0, why());
    assert.equal(n.unparsable, 0, why());
    assert.equal(n.lost, 0, `lost step notifications\n${why()}`);
    assert.equal(n.duplicated, 0, `duplicated step notifications\n${why()}`);
    assert.equal(n.wrongStep, 0, `messages naming another step or revision\n${why()}`);
    assert.equal(n.missingByContent + n.extraByContent, 0, why());
  });
});
