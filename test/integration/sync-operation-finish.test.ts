import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusWriter } from '../../src/core/index.js';
import { KubeErrorCode } from '../../src/kube/index.js';
import { ApplicationStatusWriter } from '../../src/sync/controller/status-writer.js';
import type { Application } from '../../src/sync/index.js';
import { useTestNamespace } from '../support/namespace-scenario.js';

// Finishing an operation removes `.operation` only if it is still the one the reconcile ran: a sync a
// user requested in between (or a stale copy) is kept, and the write reads as a conflict to retry.
describe('sync: finishing an operation keeps one requested meanwhile', () => {
  const { client, ns } = useTestNamespace('sync-opfin', { crds: true });
  const ref = () => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    namespace: ns.name,
    name: 'web',
  });
  const auto = { sync: { revision: 'aaa' }, initiatedBy: { automated: true } };
  const manual = { sync: { revision: 'bbb' }, initiatedBy: { username: 'alice' } };

  it('removes the finished operation, and only that one', async () => {
    const created = await client.create<Application>({
      ...ref(),
      metadata: { name: 'web', namespace: ns.name },
      spec: {
        project: 'default',
        source: { repoURL: 'https://example.com/r.git', path: '.' },
        destination: { server: 'https://kubernetes.default.svc', namespace: ns.name },
      },
      operation: auto,
    } as unknown as Application);
    const writer = new ApplicationStatusWriter(client, 60_000, new StatusWriter());
    // a user's sync lands after the reconcile read the object
    await client.patch(ref(), [{ op: 'replace', path: '/operation', value: manual }], { type: 'json' });
    await assert.rejects(
      writer.write(created, { status: { sync: { status: 'Synced' } }, operation: null } as never, Date.now()),
      (err: { code?: string }) => err.code === KubeErrorCode.Conflict,
    );
    const kept = await client.get<Application>(ref());
    assert.deepEqual(kept.operation, manual);
    // read again: the operation it finishes is the current one, so it goes
    await writer.write(
      kept,
      { status: { sync: { status: 'Synced' } }, operation: null } as never,
      Date.now(),
    );
    assert.equal((await client.get<Application>(ref())).operation, undefined);
  });
});
