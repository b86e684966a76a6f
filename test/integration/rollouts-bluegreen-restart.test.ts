// The SIGKILL-at-every-step loop for blue-green: a controller process killed whenever the Rollout's
// blue-green status moves (preview up, analysis, pause, active switch, promotion) or every 1.5 s, and a
// fresh one started, over many revisions. Watched from the side: no two ReplicaSets for one hash, the
// active Service never selects a ReplicaSet without pods, a pause keeps its start time, at most one
// pre-promotion run per revision, and every revision ends Healthy on its own pods.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { POD_TEMPLATE_HASH_LABEL } from '../../src/rollouts/index.js';
import { startAnalysisController } from '../support/fixtures/analysis-controller.js';
import { useRestartedController } from '../support/fixtures/restarted-controller.js';
import {
  checkInvariants,
  createRollout,
  getRollout,
  replicaSetsOf,
  setImage,
} from '../support/fixtures/rollout-scenario.js';
import { SideWatch } from '../support/fixtures/side-watch.js';
import { eventually } from '../support/kube.js';
import { type LocalHttpServer, startLocalHttpServer } from '../support/local-http-server.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const AR = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' } as const;

describe('rollouts: blue-green with the controller killed at every step', () => {
  const controller = useRestartedController('rollout-controller-process');
  let analysis: { stop(): Promise<void> } | undefined;
  let metrics: LocalHttpServer | undefined;
  // Registered before the namespace's hooks: runs before the namespace is deleted.
  after(async () => {
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
    await controller.start(ns.name);
    await eventually(
      'initial deploy Healthy',
      async () => (await getRollout(client, ns.name, name)).status?.phase === 'Healthy',
      60_000,
    );

    const watch = new SideWatch(async (w) => {
      const r = await getRollout(client, ns.name, name);
      const hash = r.status?.currentPodHash ?? '';
      const bg = r.status?.blueGreen;
      w.mark(
        `${hash.slice(0, 4)}:${r.status?.phase?.[0] ?? '-'}${bg?.activeSelector === hash ? 'A' : ''}${r.status?.stableRS === hash ? 'S' : ''}`,
      );
      for (const p of r.status?.pauseConditions ?? []) w.pauseStartKept(`${hash}/${p.reason}`, p.startTime);
      const sets = await replicaSetsOf(client, ns.name);
      w.noDuplicateHashes(sets);
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
        w.problems.push(`active Service selects ${selected}, which has no pods`);
      const { items: runs } = await client.listAll(AR, {
        namespace: ns.name,
        labelSelector: 'rollout-type=PrePromotion',
      });
      const perHash = new Map<string, number>();
      for (const run of runs) {
        const h = run.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] ?? '';
        perHash.set(h, (perHash.get(h) ?? 0) + 1);
      }
      for (const [h, n] of perHash) if (n > 1) w.problems.push(`${n} pre-promotion runs for ${h}`);
    }, 50);

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
      await controller.killAtNextMove(async () => {
        const now = await getRollout(client, ns.name, name);
        return JSON.stringify([now.status?.phase, now.status?.blueGreen, now.status?.stableRS]) !== before;
      });
      kills++;
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
    await watch.stop();
    process.stdout.write(`# ${watch.seq.join(' ')}\n`);
    process.stdout.write(
      `# ${kills} SIGKILLs over ${revision} revisions; ${watch.pauseStarts.size} pauses observed\n`,
    );
    assert.ok(kills >= 20, `only ${kills} kills`);
    assert.deepEqual(watch.problems, []);
    const final = await getRollout(client, ns.name, name);
    assert.equal(final.status?.blueGreen?.activeSelector, final.status?.currentPodHash);
    await checkInvariants(client, ns.name, name);
  });
});
