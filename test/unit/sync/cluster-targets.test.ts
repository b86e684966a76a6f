import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { ClusterErrorCode, ClusterRegistry, type SecretObject } from '../../../src/clusters/index.js';
import type { Manager } from '../../../src/core/index.js';
import { hasErrorCode } from '../../../src/errors/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import { type ClusterTarget, ClusterTargets } from '../../../src/sync/controller/cluster-targets.js';
import type { Application } from '../../../src/sync/index.js';
import { eventually } from '../../support/kube.js';

// Nothing listens on port 1: a registered cluster there is unreachable at once (ECONNREFUSED).
const DEAD = 'https://127.0.0.1:1';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret: SecretObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'dead', namespace: 'argocd', uid: 'u', resourceVersion: '1' },
  data: { name: b64('dead'), server: b64(DEAD), config: b64('{"bearerToken":"t"}') },
} as SecretObject;

const app = (destination: Record<string, string>): Application =>
  ({ metadata: { name: 'a', namespace: 'argocd' }, spec: { destination } }) as unknown as Application;

function targets(reconnected: string[]) {
  const stops: (() => unknown)[] = [];
  const manager = { onStop: (f: () => unknown) => stops.push(f) } as unknown as Manager;
  const local = { server: 'https://kubernetes.default.svc', name: 'in-cluster' } as ClusterTarget;
  const t = new ClusterTargets({
    manager,
    registry: new ClusterRegistry({ store: { list: () => [secret] } } as never),
    local,
    logger: silentLogger(),
    onChange: () => {},
    onConnectionChange: (s) => reconnected.push(s),
    probeTtlMs: 60_000,
  });
  return { t, local };
}

describe('sync: destination cluster targets', () => {
  it('the in-cluster is the controller’s own target; an unreachable cluster fails with its connection error', async () => {
    const { t, local } = targets([]);
    const inCluster = t.resolve(app({ server: 'https://kubernetes.default.svc' }));
    assert.equal(inCluster.kind, 'resolved');
    if (inCluster.kind === 'resolved') assert.equal(await t.connect(inCluster.cluster, 0), local);
    const dead = t.resolve(app({ name: 'dead' }));
    assert.equal(dead.kind, 'resolved');
    if (dead.kind !== 'resolved') return;
    const err = await t.connect(dead.cluster, 0).then(
      () => assert.fail('expected a connection error'),
      (e: unknown) => e,
    );
    assert.ok(hasErrorCode(err, ClusterErrorCode.Unreachable));
    assert.match(
      (err as Error).message,
      /^Failed to load live state: failed to sync cluster https:\/\/127\.0\.0\.1:1: cannot reach the API server: .*ECONNREFUSED/,
    );
    assert.equal(t.connectionStates().get(DEAD)?.status, 'Failed');
    await t.stop();
  });

  it('stops the caches of a cluster no Application targets any more', async () => {
    const { t } = targets([]);
    const dead = t.resolve(app({ server: DEAD }));
    if (dead.kind !== 'resolved') return assert.fail(JSON.stringify(dead));
    await t.connect(dead.cluster, 0).catch(() => {});
    await t.releaseUnused([app({ server: DEAD })]);
    assert.ok(t.connectionStates().has(DEAD), 'kept while an app targets it');
    await t.releaseUnused([app({ server: 'https://kubernetes.default.svc' })]);
    assert.ok(!t.connectionStates().has(DEAD), 'stopped once none does');
    await t.stop();
  });

  it('a cluster that stops answering, and answers again, makes its apps look again without being asked', async () => {
    // a stand-in API server that only answers GET /version
    const apiserver = (): Server =>
      createServer((req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(req.url === '/version' ? '{"major":"1","minor":"36"}' : '{}');
      });
    const listen = (s: Server, port = 0) =>
      new Promise<number>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
      });
    let server = apiserver();
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}`;
    const live: SecretObject = {
      ...secret,
      metadata: { ...secret.metadata, name: 'live', uid: 'v' },
      data: { name: b64('live'), server: b64(url), config: b64('{}') },
    } as SecretObject;
    const changed: string[] = [];
    const stops: (() => unknown)[] = [];
    const t = new ClusterTargets({
      manager: { onStop: (f: () => unknown) => stops.push(f) } as unknown as Manager,
      registry: new ClusterRegistry({ store: { list: () => [live] } } as never),
      local: { server: 'https://kubernetes.default.svc', name: 'in-cluster' } as ClusterTarget,
      logger: silentLogger(),
      onChange: () => {},
      onConnectionChange: (s) => changed.push(s),
      probeTtlMs: 100,
    });
    try {
      const r = t.resolve(app({ name: 'live' }));
      if (r.kind !== 'resolved') return assert.fail(JSON.stringify(r));
      await t.connect(r.cluster, Date.now());
      assert.equal(t.connectionStates().get(url)?.status, 'Successful');
      assert.deepEqual(changed, [], 'the first answer is the connecting reconcile’s own');

      // the API server goes away; nobody connects: the probe period notices
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await eventually('the lost cluster reported', () => changed.length === 1, 30_000, 20);
      assert.deepEqual(changed, [url]);
      assert.equal(t.connectionStates().get(url)?.status, 'Failed');
      const err = await t.connect(r.cluster, Date.now()).then(
        () => assert.fail('expected a connection error'),
        (e: unknown) => e,
      );
      assert.ok(hasErrorCode(err, ClusterErrorCode.Unreachable));
      assert.match(
        (err as Error).message,
        /^Failed to load live state: failed to sync cluster .*: cannot reach the API server: /,
      );

      // back on the same port: reported again, and usable
      server = apiserver();
      await listen(server, port);
      await eventually('the recovered cluster reported', () => changed.length === 2, 30_000, 20);
      assert.deepEqual(changed, [url, url]);
      assert.equal((await t.connect(r.cluster, Date.now())).server, url);
    } finally {
      await t.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
