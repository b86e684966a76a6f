import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isAlreadyExists,
  isConflict,
  isDisruptionBudget,
  isNotFound,
  KubeErrorCode,
  type KubeObject,
} from '../../src/kube/index.js';
import { configMap, eventually } from '../support/kube.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' } as const;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const PDB = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' } as const;

describe('kube client (raw JSON) against a real API server', () => {
  const { client, ns } = useTestNamespace('kube');

  it('creates, gets, patches (merge, json, strategic), replaces and deletes; unknown fields survive', async () => {
    const created = await client.create<KubeObject & { data: Record<string, string> }>(
      configMap(ns.name, 'a', { k: 'v' }),
    );
    assert.equal(created.data.k, 'v');
    assert.ok(created.metadata.uid);
    const merged = await client.patch<KubeObject & { data: Record<string, string> }>(
      { ...CM, namespace: ns.name, name: 'a' },
      { data: { m: '1' } },
      { type: 'merge' },
    );
    assert.deepEqual(merged.data, { k: 'v', m: '1' });
    const jsonPatched = await client.patch<KubeObject & { data: Record<string, string> }>(
      { ...CM, namespace: ns.name, name: 'a' },
      [{ op: 'replace', path: '/data/k', value: 'w' }],
      { type: 'json' },
    );
    assert.equal(jsonPatched.data.k, 'w');
    const strategic = await client.patch<KubeObject & { data: Record<string, string> }>(
      { ...CM, namespace: ns.name, name: 'a' },
      { metadata: { labels: { x: 'y' } } },
      { type: 'strategic' },
    );
    assert.equal(strategic.metadata.labels?.x, 'y');
    const got = await client.get<KubeObject & { data: Record<string, string> }>({
      ...CM,
      namespace: ns.name,
      name: 'a',
    });
    const replaced = await client.replace<KubeObject & { data: Record<string, string> }>({
      ...got,
      data: { only: 'this' },
    });
    assert.deepEqual(replaced.data, { only: 'this' });
    await client.delete({ ...CM, namespace: ns.name, name: 'a' });
    await assert.rejects(client.get({ ...CM, namespace: ns.name, name: 'a' }), isNotFound);
  });

  it('maps failures to typed errors naming the object', async () => {
    await client.create(configMap(ns.name, 'dup', {}));
    await assert.rejects(client.create(configMap(ns.name, 'dup', {})), (err: unknown) => {
      assert.ok(isAlreadyExists(err));
      assert.match((err as Error).message, /ConfigMap .*\/dup/);
      return true;
    });
    const cm = await client.get({ ...CM, namespace: ns.name, name: 'dup' });
    await client.replace({ ...cm, data: { a: '1' } });
    await assert.rejects(client.replace({ ...cm, data: { a: '2' } }), isConflict);
    await assert.rejects(client.get({ ...CM, namespace: ns.name, name: 'missing' }), (err: unknown) => {
      assert.equal((err as { code?: string }).code, KubeErrorCode.NotFound);
      assert.equal((err as { object?: { name?: string } }).object?.name, 'missing');
      return true;
    });
    await assert.rejects(
      client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { namespace: ns.name, name: 'Not_Valid' },
      }),
      (err: unknown) => (err as { code?: string }).code === KubeErrorCode.Invalid,
    );
    await assert.rejects(
      client.get({ apiVersion: 'example.com/v1', kind: 'Nope', name: 'x' }),
      (err: unknown) => (err as { code?: string }).code === KubeErrorCode.UnknownKind,
    );
  });

  it('server-side applies with a field manager, dry-run, and force on conflicts', async () => {
    const desired = configMap(ns.name, 'ssa', { a: '1' });
    const dry = await client.apply(desired, { fieldManager: 'one', dryRun: true });
    assert.equal(dry.metadata.name, 'ssa');
    await assert.rejects(client.get({ ...CM, namespace: ns.name, name: 'ssa' }), isNotFound);
    await client.apply(desired, { fieldManager: 'one' });
    await assert.rejects(
      client.apply(configMap(ns.name, 'ssa', { a: '2' }), { fieldManager: 'two' }),
      isConflict,
    );
    const forced = await client.apply<KubeObject & { data: Record<string, string> }>(
      configMap(ns.name, 'ssa', { a: '2' }),
      {
        fieldManager: 'two',
        force: true,
      },
    );
    assert.equal(forced.data.a, '2');
  });

  it('lists with paging', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => client.create(configMap(ns.name, `page-${i}`, {}))),
    );
    const page = await client.list({ ...CM }, { namespace: ns.name, limit: 10, labelSelector: '' });
    assert.equal(page.items.length, 10);
    assert.ok(page.metadata.continue);
    const all = await client.listAll(CM, { namespace: ns.name, limit: 7 });
    assert.ok(all.items.filter((o) => o.metadata.name?.startsWith('page-')).length === 25);
    assert.ok(all.resourceVersion);
  });

  it('watches from a resourceVersion with bookmarks', async () => {
    const { resourceVersion } = await client.listAll(CM, { namespace: ns.name });
    const abort = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const ev of client.watch(CM, {
        namespace: ns.name,
        resourceVersion,
        signal: abort.signal,
      })) {
        if (ev.type !== 'BOOKMARK') seen.push(`${ev.type}:${ev.object.metadata.name}`);
        if (seen.includes('DELETED:w1')) break;
      }
    })();
    await client.create(configMap(ns.name, 'w1', {}));
    await client.patch({ ...CM, namespace: ns.name, name: 'w1' }, { data: { x: '1' } }, { type: 'merge' });
    await client.delete({ ...CM, namespace: ns.name, name: 'w1' });
    await watching;
    abort.abort();
    assert.deepEqual(seen, ['ADDED:w1', 'MODIFIED:w1', 'DELETED:w1']);
  });

  it('lists and watches metadata only, keeping the kind that was asked for', async () => {
    await client.create(configMap(ns.name, 'meta-1', { big: 'x'.repeat(1000) }));
    const listed = await client.list<KubeObject>(CM, { namespace: ns.name, metadataOnly: true });
    const item = listed.items.find((o) => o.metadata.name === 'meta-1');
    assert.ok(item, 'listed');
    assert.equal(item.apiVersion, 'v1');
    assert.equal(item.kind, 'ConfigMap');
    assert.equal(item.data, undefined, 'no data in a metadata-only list');
    assert.ok(item.metadata.uid && item.metadata.resourceVersion);
    const none = await client.listAll(CM, {
      namespace: ns.name,
      labelSelector: 'nothing=here',
      metadataOnly: true,
    });
    assert.deepEqual(none.items, [], 'an empty metadata list is an empty array');

    const abort = new AbortController();
    const seen: KubeObject[] = [];
    const watching = (async () => {
      for await (const ev of client.watch(CM, {
        namespace: ns.name,
        resourceVersion: listed.metadata.resourceVersion ?? '',
        metadataOnly: true,
        signal: abort.signal,
      })) {
        if (ev.type === 'MODIFIED') {
          seen.push(ev.object);
          break;
        }
      }
    })();
    await client.patch(
      { ...CM, namespace: ns.name, name: 'meta-1' },
      { metadata: { labels: { touched: 'yes' } } },
      { type: 'merge' },
    );
    await watching;
    abort.abort();
    assert.equal(seen[0]?.kind, 'ConfigMap');
    assert.equal(seen[0]?.metadata.labels?.touched, 'yes');
    assert.equal(seen[0]?.data, undefined);
  });
  it('writes the status subresource separately and deletes with a propagation policy', async () => {
    const ns2 = ns.name;
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { namespace: ns2, name: 'rs' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'rs' } },
        template: { metadata: { labels: { app: 'rs' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      },
    };
    await client.create(rs);
    const patched = await client.patch<KubeObject & { status?: { observedGeneration?: number } }>(
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns2, name: 'rs' },
      { status: { replicas: 0, observedGeneration: 7 } },
      { type: 'merge', subresource: 'status' },
    );
    assert.equal(patched.status?.observedGeneration, 7);
    await client.delete(
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: ns2, name: 'rs' },
      { propagationPolicy: 'Foreground' },
    );
  });

  it('reports an unreachable server as Unavailable', async () => {
    const { KubeClient: Client, KubeTransport } = await import('../../src/kube/index.js');
    const access = {
      server: new URL('https://127.0.0.1:1'),
      defaultNamespace: 'default',
      apply: async (opts: { rejectUnauthorized?: boolean; headers?: unknown }) => {
        opts.rejectUnauthorized = false;
        opts.headers = { Authorization: 'Bearer t' };
      },
    };
    const dead = new Client(new KubeTransport(access));
    await assert.rejects(
      dead.transport.request({ method: 'GET', path: '/api' }),
      (err: unknown) => (err as { code?: string }).code === KubeErrorCode.Unavailable,
    );
  });

  it('evicts a pod: refused with a typed error while a disruption budget forbids it, and evicts once allowed', async () => {
    await client.create({
      ...POD,
      metadata: { name: 'guarded', namespace: ns.name, labels: { app: 'guarded' } },
      spec: { containers: [{ name: 'app', image: 'registry.example/app:v1' }] },
    });
    await client.create({
      ...PDB,
      metadata: { name: 'all', namespace: ns.name },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
    });
    // The disruption controller must have judged the budget before the API server enforces it.
    await eventually(
      'the budget to be observed',
      async () => {
        const pdb = await client.get<KubeObject & { status?: { observedGeneration?: number } }>({
          ...PDB,
          namespace: ns.name,
          name: 'all',
        });
        return (pdb.status?.observedGeneration ?? 0) >= 1;
      },
      120_000,
      250,
    );
    const refused = await eventually(
      'the eviction to be refused by the budget',
      async () => {
        try {
          await client.evict({ namespace: ns.name, name: 'guarded' }, { dryRun: true });
          return undefined;
        } catch (err) {
          return isDisruptionBudget(err) ? err : undefined;
        }
      },
      120_000,
      250,
    );
    assert.equal(refused.httpStatus, 429);
    assert.match(refused.message, /disruption budget/);
    assert.equal(refused.object?.name, 'guarded');

    await client.delete({ ...PDB, namespace: ns.name, name: 'all' });
    await eventually(
      'the eviction to go through',
      async () => {
        await client.evict({ namespace: ns.name, name: 'guarded' });
        return true;
      },
      120_000,
      250,
    );
    await eventually(
      'the evicted pod to be deleted',
      async () => {
        try {
          const pod = await client.get({ ...POD, namespace: ns.name, name: 'guarded' });
          return pod.metadata.deletionTimestamp !== undefined;
        } catch (err) {
          return isNotFound(err);
        }
      },
      120_000,
      250,
    );
  });

  it('reports the eviction of a missing pod as NotFound', async () => {
    await assert.rejects(client.evict({ namespace: ns.name, name: 'absent' }), isNotFound);
  });
});
