// The SIGKILL-at-every-step loop for blue-green: a controller process killed whenever the Rollout's
// blue-green status moves (preview up, analysis, pause, active switch, promotion) or every 1.5 s, and a
// fresh one started, over many revisions. Watched from the side: no two ReplicaSets for one hash, the
// active Service never selects a ReplicaSet without pods, a pause keeps its start time, at most one
// pre-promotion run per revision, and every revision ends Healthy on its own pods.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { POD_TEMPLATE_HASH_LABEL } from '../../src/rollouts/index.js';
import { startAnalysisController } from '../support/fixtures/analysis-controller.js';
import { spawnControllerFixture, whenStarted } from '../support/fixtures/fixture-process.js';
import {
  checkInvariants,
  createRollout,
  getRollout,
  replicaSetsOf,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;

describe('rollouts: blue-green with the controller killed at every step', () => {
  let proc: ChildProcess | undefined;
  let analysis: { stop(): Promise<void> } | undefined;
  let metrics: LocalHttpServer | undefined;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
    proc?.kill('SIGKILL');
    await analysis?.stop();
    await metrics?.close();
  });
  const { client, ns } = useTestNamespace('ro-bg-restart', { crds: true });

  before(async () => {
    analysis = await startAnalysisController(ns.name);
    metrics = await startLocalHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":1}');
    });
    await client.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'web-ok', namespace: ns.name },
      spec: {
        metrics: [
          {
            name: 'ok',
            successCondition: 'result == 1',
            provider: { web: { url: metrics.base, jsonPath: '{$.ok}' } },
          },
        ],
      },
    });
  });

  it('every revision ends Healthy on its own pods after ≥ 20 SIGKILLs, with nothing seen out of order', async () => {
    const name = 'bg-restart';
    for (const role of ['active', 'preview'])
      await client.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `${name}-${role}`, namespace: ns.name },
        spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
      });
    await createRollout(client, ns.name, {
      name,
      replicas: 3,
      spec: {
        strategy: {
          blueGreen: {
            activeService: `${name}-active`,
            previewService: `${name}-preview`,
            previewReplicaCount: 1,
            autoPromotionSeconds: 2,
            scaleDownDelaySeconds: 3,
            prePromotionAnalysis: { templates: [{ templateName: 'web-ok' }] },
          },
        },
      },
    });
    proc = await whenStarted(spawnControllerFixture('rollout-controller-process', ns.name));
    await eventually(
      'initial deploy Healthy',
      async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
      60_000,
    );

    const problems: string[] = [];
    const pauseStarts = new Map<string, string>();
    const seq: string[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        try {
          const r = await getRollout(client, ns.name, name);
          const hash = r.status?.currentPodHash ?? '';
          const bg = r.status?.blueGreen;
          const mark = `${hash.slice(0, 4)}:${r.status?.phase?.[0] ?? '-'}${bg?.activeSelector === hash ? 'A' : ''}${r.status?.stableRS === hash ? 'S' : ''}`;
          if (seq.at(-1) !== mark) seq.push(mark);
          for (const p of r.status?.pauseConditions ?? []) {
            const key = `${hash}/${p.reason}`;
            const seen = pauseStarts.get(key);
            if (seen !== undefined && seen !== p.startTime)
              problems.push(`pause start time changed at ${key}`);
            pauseStarts.set(key, p.startTime);
          }
          const sets = await replicaSetsOf(client, ns.name);
          const hashes = sets.map((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL]);
          if (new Set(hashes).size !== hashes.length)
            problems.push(`duplicate ReplicaSet hash: ${hashes.join(',')}`);
          const active = await client.get({
            apiVersion: 'v1',
            kind: 'Service',
            namespace: ns.name,
            name: `${name}-active`,
          });
          const selected = (active.spec as { selector?: Record<string, string> }).selector?.[
            POD_TEMPLATE_HASH_LABEL
          ];
          const rs = sets.find((s) => s.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === selected);
          if (selected !== undefined && (rs?.spec?.replicas ?? 0) === 0)
            problems.push(`active Service selects ${selected}, which has no pods`);
          const { items: runs } = await client.listAll(AR, {
            namespace: ns.name,
            labelSelector: 'rollout-type=PrePromotion',
          });
          const perHash = new Map<string, number>();
          for (const run of runs) {
            const h = run.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
            perHash.set(h, (perHash.get(h) ?? 0) + 1);
          }
          for (const [h, n] of perHash) if (n > 1) problems.push(`${n} pre-promotion runs for ${h}`);
        } catch {
          /* transient */
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    let kills = 0;
    let revision = 0;
    const images = Array.from({ length: 12 }, (_, i) => `v${i + 1}`);
    while (kills < 20 || (await getRollout(client, ns.name, name)).status?.phase !== 'Healthy') {
      const r = await getRollout(client, ns.name, name);
      if (r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash) {
        assert.ok(revision < images.length, 'too many revisions needed');
        await setImage(client, ns.name, name, `argoproj/rollouts-demo:${images[revision++]}`);
      }
      const before = JSON.stringify([r.status?.phase, r.status?.blueGreen, r.status?.stableRS]);
      // kill at the next move of the blue-green status (or after 1.5 s)
      await eventually(
        'a status move',
        async () => {
          const now = await getRollout(client, ns.name, name);
          return JSON.stringify([now.status?.phase, now.status?.blueGreen, now.status?.stableRS]) !== before;
        },
        1_500,
        20,
      ).catch(() => {});
      proc?.kill('SIGKILL');
      kills++;
      proc = await whenStarted(spawnControllerFixture('rollout-controller-process', ns.name));
      if (kills > 60) break;
    }
    await eventually(
      'Healthy on the last revision',
      async () => {
        const r = await getRollout(client, ns.name, name);
        return r.status?.phase === 'Healthy' && r.status.stableRS === r.status.currentPodHash;
      },
      90_000,
    );
    watching = false;
    await watcher;
    process.stdout.write(`# ${seq.join(' ')}\n`);
    process.stdout.write(
      `# ${kills} SIGKILLs over ${revision} revisions; ${pauseStarts.size} pauses observed\n`,
    );
    assert.ok(kills >= 20, `only ${kills} kills`);
    assert.deepEqual(problems, []);
    const final = await getRollout(client, ns.name, name);
    assert.equal(final.status?.blueGreen?.activeSelector, final.status?.currentPodHash);
    await checkInvariants(client, ns.name, name);
  });
});
