import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterErrorCode, ClusterRegistry, type SecretObject } from '../../../src/clusters/index.js';
import type { Manager } from '../../../src/core/index.js';
import { hasErrorCode } from '../../../src/errors/index.js';
import { silentLogger } from '../../../src/observability/index.js';
import { type ClusterTarget, ClusterTargets } from '../../../src/sync/controller/cluster-targets.js';
import type { Application } from '../../../src/sync/index.js';

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
    onReconnect: (s) => reconnected.push(s),
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
});
