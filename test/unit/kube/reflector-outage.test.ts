import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import {
  type KubeClient,
  KubeError,
  KubeErrorCode,
  type KubeObject,
  Reflector,
} from '../../../src/kube/index.js';

/** A client whose first list succeeds and whose every watch then fails to connect (the API server is gone). */
function goneAfterList() {
  let watches = 0;
  let signal: AbortSignal | undefined;
  const client = {
    async listAll() {
      return {
        items: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'c', namespace: 'a', resourceVersion: '1' },
          },
        ],
        resourceVersion: '1',
      };
    },
    async *watch(_gvk: unknown, options: { signal: AbortSignal }) {
      watches += 1;
      signal = options.signal;
      // fails before its first event, as a connection refused does
      if (watches > 0)
        throw new KubeError(KubeErrorCode.Unavailable, 'cannot reach the API server: connect ECONNREFUSED');
      yield* [];
    },
  };
  return { client: client as unknown as KubeClient, watches: () => watches, signal: () => signal };
}

describe('reflector: the API server goes away after the first list', () => {
  it('backs off between watch attempts and keeps no abort listener per retry', async () => {
    const fake = goneAfterList();
    const r = new Reflector<KubeObject>(fake.client, {
      gvk: { apiVersion: 'v1', kind: 'ConfigMap' },
      backoffInitialMs: 10,
      backoffMaxMs: 200,
    });
    r.start();
    try {
      await r.waitForSync();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // 10, 20, 40, 80, 160, then 200 ms apart (jittered ±20%): about 11 attempts in 1.5 s; retried every
      // 10 ms, as before, it was 89 under load
      assert.ok(fake.watches() >= 4, `retried: ${fake.watches()}`);
      assert.ok(fake.watches() <= 20, `backed off: ${fake.watches()} attempts in 1.5 s`);
      const signal = fake.signal();
      assert.ok(signal);
      assert.ok(
        getEventListeners(signal, 'abort').length <= 1,
        `abort listeners: ${getEventListeners(signal, 'abort').length}`,
      );
      assert.equal(r.store.list().length, 1, 'the last listed state is kept');
    } finally {
      // a failed assertion must not leave it retrying (the test process would never exit)
      await r.stop();
    }
  });
});
