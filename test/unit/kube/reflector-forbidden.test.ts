import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { errorFromResponse, type KubeClient, type KubeObject, Reflector } from '../../../src/kube/index.js';
import { createLogger } from '../../../src/observability/index.js';

const FORBIDDEN_BODY = {
  kind: 'Status',
  reason: 'Forbidden',
  message:
    'secrets is forbidden: User "system:serviceaccount:slipway-system:slipway-controller" cannot list resource "secrets" in API group "" at the cluster scope',
};

/** A client whose list is forbidden until `allow()`; its watch idles until aborted. */
function fakeClient() {
  let allowed = false;
  let lists = 0;
  const client = {
    async listAll() {
      lists += 1;
      if (!allowed) throw errorFromResponse(403, FORBIDDEN_BODY);
      return {
        items: [
          { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'a', resourceVersion: '1' } },
        ],
        resourceVersion: '1',
      };
    },
    async *watch(_gvk: unknown, options: { signal: AbortSignal }) {
      await new Promise<void>((resolve) => options.signal.addEventListener('abort', () => resolve()));
      yield* [];
    },
  };
  return {
    client: client as unknown as KubeClient,
    allow: () => {
      allowed = true;
    },
    lists: () => lists,
  };
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

const until = async (what: string, check: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('reflector: RBAC forbids the list', () => {
  it('settles without syncing, logs once, retries slowly, and syncs once allowed', async () => {
    const fake = fakeClient();
    const { logger, lines } = capturingLogger();
    const r = new Reflector<KubeObject>(fake.client, {
      gvk: { apiVersion: 'v1', kind: 'Secret' },
      forbiddenRetryMs: 20,
      logger,
    });
    r.start();
    await r.waitUntilSettled();
    assert.equal(r.hasSynced, false);
    assert.match(r.forbidden?.message ?? '', /cannot list resource "secrets"/);
    await until('a few retries', () => fake.lists() >= 4);
    const warnings = lines.filter((l) => l.msg === 'list or watch forbidden, retrying slowly');
    assert.equal(warnings.length, 1, 'one log line per transition, not per retry');
    assert.match(String(warnings[0]?.problem), /docs\/permissions\.md/);

    fake.allow();
    await r.waitForSync();
    assert.equal(r.forbidden, undefined);
    assert.equal(r.store.list().length, 1);
    await until('the recovery log line', () => lines.some((l) => l.msg === 'list or watch allowed again'));
    await r.stop();
  });

  it('does not spin: the retry period bounds the attempts', async () => {
    const fake = fakeClient();
    const r = new Reflector<KubeObject>(fake.client, {
      gvk: { apiVersion: 'v1', kind: 'Secret' },
      forbiddenRetryMs: 1_000,
    });
    r.start();
    await r.waitUntilSettled();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(fake.lists(), 1);
    await r.stop();
  });
});
