import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventRecorder, ManualClock, StatusWriter } from '../../../src/core/index.js';
import { type KubeClient, type KubeObject, ObjectStore, type Reflector } from '../../../src/kube/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import {
  buildReplicaSet,
  computePodTemplateHash,
  type ReplicaSet,
  RolloutExecutor,
  type RolloutInformers,
  type RolloutObject,
  RolloutReconciler,
} from '../../../src/rollouts/index.js';

/** An API server in memory: objects by kind/namespace/name, merge patches, a resourceVersion per write. */
function fakeServer() {
  const objects = new Map<string, KubeObject>();
  const counts = { statusWrites: 0, patches: 0, creates: 0 };
  let rv = 100;
  const key = (kind?: string, ns?: string, name?: string) => `${kind}/${ns}/${name}`;
  const merge = (a: unknown, b: unknown): unknown => {
    if (b === null || typeof b !== 'object' || Array.isArray(b) || a === null || typeof a !== 'object')
      return b;
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b)) {
      if (v === null) delete out[k];
      else out[k] = merge(out[k], v);
    }
    return out;
  };
  const stored = (o: KubeObject): KubeObject => {
    const next = { ...o, metadata: { ...o.metadata, resourceVersion: String(++rv) } };
    objects.set(key(o.kind, o.metadata.namespace, o.metadata.name), next);
    return structuredClone(next);
  };
  const client = {
    replace: async (o: KubeObject) => {
      counts.statusWrites += 1;
      const current = objects.get(key(o.kind, o.metadata.namespace, o.metadata.name)) as KubeObject;
      return stored({ ...current, status: (o as { status?: unknown }).status } as KubeObject);
    },
    patch: async (ref: { kind: string; namespace: string; name: string }, body: unknown) => {
      const current = objects.get(key(ref.kind, ref.namespace, ref.name));
      if (ref.kind === 'Event') return {};
      counts.patches += 1;
      return stored(merge(current, body) as KubeObject);
    },
    create: async (o: KubeObject) => {
      if (o.kind === 'Event') return o;
      counts.creates += 1;
      return stored({ ...o, metadata: { ...o.metadata, uid: `uid-${o.metadata.name}` } });
    },
  } as unknown as KubeClient;
  return { client, objects, counts, seed: (o: KubeObject) => stored(o) };
}

function reflector<T extends KubeObject>(objects: readonly KubeObject[] = []): Reflector<T> {
  const store = new ObjectStore<T>();
  for (const o of objects) store.upsert(o as T);
  return { store, hasSynced: true } as unknown as Reflector<T>;
}

const template = (image: string) => ({
  metadata: { labels: { app: 'demo' } },
  spec: { containers: [{ name: 'app', image }] },
});

describe('Rollout status: written at most once per reconcile, and not at all when unchanged', () => {
  it('walks an update to the end with one status write or none per reconcile, then writes nothing', async () => {
    const server = fakeServer();
    const clock = new ManualClock(1_700_000_000_000);
    const rollout: RolloutObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'demo', namespace: 'ns', uid: 'u1', generation: 2 },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'demo' } },
        template: template('demo:v2'),
        strategy: { canary: { steps: [{ setWeight: 50 }, { setWeight: 100 }] } },
      },
      status: { stableRS: 'stablehash', currentPodHash: 'stablehash', observedGeneration: '1' },
    };
    const stable = buildReplicaSet(
      { ...rollout, spec: { ...rollout.spec, template: template('demo:v1') } },
      'stablehash',
      1,
      2,
    );
    server.seed(rollout);
    server.seed({ ...stable, metadata: { ...stable.metadata, uid: 'uid-stable' } });
    const written = new StatusWriter({ clock });
    const events = new EventRecorder({
      client: server.client,
      component: 'test',
      logger: silentLogger(),
      clock,
    });
    const executor = new RolloutExecutor({ client: server.client, events, written, logger: silentLogger() });
    const perReconcile: number[] = [];
    for (let i = 0; i < 12; i++) {
      // the cache has caught up with the server; every ReplicaSet is as ready as it is big
      const all = [...server.objects.values()];
      const sets = all
        .filter((o) => o.kind === 'ReplicaSet')
        .map((o) => {
          const n = (o as ReplicaSet).spec?.replicas ?? 0;
          return { ...o, status: { replicas: n, readyReplicas: n, availableReplicas: n } } as ReplicaSet;
        });
      const informers: RolloutInformers = {
        rollouts: reflector(all.filter((o) => o.kind === 'Rollout')),
        replicaSets: reflector(sets),
        analysisRuns: reflector(),
        experiments: reflector(),
        services: reflector(),
        pods: reflector(),
        analysisTemplates: reflector(),
        clusterAnalysisTemplates: reflector(),
      };
      const reconciler = new RolloutReconciler({ informers, executor, written });
      const before = server.counts.statusWrites;
      await reconciler.reconcile(
        { logger: silentLogger(), signal: new AbortController().signal, clock, reconcileID: String(i) },
        { namespace: 'ns', name: 'demo', key: 'ns/demo' },
      );
      perReconcile.push(server.counts.statusWrites - before);
      clock.advance(1_000);
    }
    await events.flush();
    assert.ok(
      perReconcile.every((n) => n <= 1),
      `at most one status write per reconcile: ${perReconcile}`,
    );
    assert.deepEqual(perReconcile.slice(-3), [0, 0, 0], `nothing written once settled: ${perReconcile}`);
    const final = [...server.objects.values()].find((o) => o.kind === 'Rollout') as RolloutObject;
    assert.equal(final.status?.phase, 'Healthy');
    assert.equal(final.status?.stableRS, computePodTemplateHash(template('demo:v2')));
  });
});
